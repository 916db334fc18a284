"""The content search over hop tables (checks/content.py): states beyond a component's first
screen interval, and what a search answers about them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sysdesign.checks.content import Hop, HopTable, _search, _unscreened, search


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


STEPS = st.lists(st.integers(0, 4), max_size=3).map(lambda s: tuple(sorted(set(s))))


@st.composite
def _unscreened_cases(draw: st.DrawFn) -> tuple[list[dict[int, Hop]], list[int], bytearray, bytes]:
    """Random small tables (calls and answers at steps 0-4), sources and blocked components."""
    n = draw(st.integers(1, 8))
    rows: list[dict[int, Hop]] = []
    for _ in range(n):
        row: dict[int, Hop] = {}
        for j in draw(st.lists(st.integers(0, n - 1), max_size=4, unique=True)):
            hop = (draw(STEPS), draw(STEPS))
            if hop != ((), ()):
                row[j] = hop
        rows.append(row)
    stateless = bytes(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    sources = list(dict.fromkeys(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3))))
    blocked = bytearray(n)
    for node in draw(st.lists(st.integers(0, n - 1), max_size=3)):
        blocked[node] = 1
    return rows, sources, blocked, stateless


@settings(max_examples=1000, deadline=None)
@given(_unscreened_cases())
def test_the_pass_without_screen_calls_records_what_the_full_pass_does(
    case: tuple[list[dict[int, Hop]], list[int], bytearray, bytes],
) -> None:
    rows, sources, blocked, stateless = case
    full = _search(rows, sources, blocked, [None] * len(rows), stateless)
    short = _unscreened(rows, sources, blocked, stateless)
    assert short[:5] == full[:5]  # first states, order, parents, sources, carrying calls


def test_screen_calls_that_are_all_empty_are_no_screen_calls() -> None:
    table = _table(ROWS)
    with_empty = search(table, ["db"], {"guard"}, {"app": []})
    without = search(table, ["db"], {"guard"})
    assert with_empty.reached() == without.reached() == ["db", "app", "llm"]
    assert with_empty.call_into("llm") == without.call_into("llm") == ("app", 4)
