"""The content search over hop tables (checks/content.py): states beyond a component's first
screen interval, and what a search answers about them."""

from __future__ import annotations

from sysdesign.checks.content import Hop, HopTable, search


def _table(rows: dict[str, dict[str, Hop]], stateless: set[str] = frozenset()) -> HopTable:
    ids = list(rows)
    index = {n: i for i, n in enumerate(ids)}
    return HopTable(
        ids,
        index,
        [{index[v]: hop for v, hop in row.items()} for row in rows.values()],
        bytes(n in stateless for n in ids),
    )


# content of db reaches app in the answers to its reads at steps 1 and 3; app calls the screen at
# step 2 and the model at step 4: what arrived at step 1 is screened before that call, what
# arrived at step 3 (a state of app's second screen interval) is not.
ROWS: dict[str, dict[str, Hop]] = {
    "db": {"app": ((), (1, 3))},
    "app": {"llm": ((4,), ()), "guard": ((2,), ())},
    "guard": {},
    "llm": {},
}


def test_content_after_a_screen_call_leaves_in_the_later_call() -> None:
    found = search(_table(ROWS), ["db"], {"guard"}, {"app": [2]})
    assert found.reached() == ["db", "app", "llm"]
    assert found.path_to("llm") == ("db", "app", "llm")
    assert found.call_into("llm") == ("app", 4)
    assert found.call_into("app") is None  # it came in an answer, not a call
    assert "guard" not in found and "nowhere" not in found


def test_content_screened_before_every_later_call_stops() -> None:
    rows = {**ROWS, "db": {"app": ((), (1,))}}  # only the read at step 1 answers
    assert search(_table(rows), ["db"], {"guard"}, {"app": [2]}).reached() == ["db", "app"]
    # a call at the screen's own step runs in parallel with it: the content is not screened yet
    rows["app"] = {"llm": ((2,), ()), "guard": ((2,), ())}
    found = search(_table(rows), ["db"], {"guard"}, {"app": [2]})
    assert found.reached() == ["db", "app", "llm"]
    assert found.call_into("llm") == ("app", 2)
