"""The located YAML loader: the fast event path, the node path and PyYAML's own parser agree."""

from __future__ import annotations

import gc
import textwrap
from pathlib import Path
from typing import Any

import pytest

from sysdesign import yaml_events, yaml_nodes
from sysdesign.diagnostics import InputError
from sysdesign.loader import parse_design
from sysdesign.yamlsource import (
    LocatedData,
    Location,
    MarkTable,
    ScalarSpan,
    parse_text,
    paused_gc,
)

ROOT = Path(__file__).parent.parent
HEAD = "id: t\ntitle: T\nprompt: P\nscale: {peak_qps: 10}\nslo: {p99_latency_ms: 100}\n"

HOSTILE = [
    "",
    "# only a comment\n",
    "hello\n",
    "- a\n- [b, {c: d}]\n",
    "id: [\n",
    "id: a\nid: b\n",
    "id: a\n---\nid: b\n",
    "a: !!set {x}\n",
    "a: !foo [1]\n",
    "a: !!python/object/apply:os.system ['x']\n",
    "a: {<<: {b: 1}}\n",
    "'<<': 1\n",
    "[a]: 1\n",
    "? {a: b}\n: c\nd: e\n",
    "~: 1\n7: 2\ntrue: 3\n1.5: 4\n",
    "2024-01-01: x\nd: 2024-01-01\n",
    "a: yes\nb: on\nc: True\nd: FALSE\ne: 0x1F\nf: 1_000\ng: 1:30\nh: .nan\ni: -.inf\nj: 0o17\n",
    "n: !!int '7'\ns: !!str 7\nf: !!float 1\nb: !!bool yes\nz: !!null x\n",
    "n: !!int seven\n",
    "a:\nb: ''\nc: ~\n'': x\n",
    "a: |\n  lit\n  more\nb: >\n  fold\nc: 'q''s'\nd: \"dq\\n\"\ne: plain text\n",
    "a: &x {b: 1}\nc: [&y 2, 3]\n",
    "[" * 70 + "]" * 70 + "\n",
    "? " + "[" * 70 + "]" * 70 + "\n: 1\n",
    "x: !foo " + "[" * 70 + "]" * 70 + "\n",
    "id: a\n---\n" + "[" * 70 + "]" * 70 + "\n",
    "id: a\nid: b\nx: [\n",
    "a:\n  - b: 1\n    c: [1, 2, {d: [e, f]}]\n  - []\n  - {}\n",
    HEAD + 'components:\n  - {id: \u00e9t\u00e9, kind: cache, label: "\\u2603 x"}\n',
    "id:\ta\n\tb: 1\n",
]

ALIASED = [
    "a: &a [1, 2]\nb: *a\n",
    "a: &a [*a]\n",
    "x: *nope\n",
    "k: &k id\nx: {*k : a}\n",
    "a: &a ['x', 'x']\nb: &b [*a, *a, *a]\nc: [*b, *b]\n",
]


def _snapshot(build: Any, text: str, **kwargs: Any) -> Any:
    """Everything a build returns, as plain values (or its errors)."""
    try:
        got = build(text, "f.yaml", **kwargs)
    except InputError as exc:
        return ("errors", [d.format() for d in exc.diagnostics])
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))
    return (
        got.data,
        dict(got.values.items()),
        dict(got.keys.items()),
        dict(got.scalar_spans.items()),
    )


def _texts() -> list[str]:
    files = [*sorted((ROOT / "designs").glob("*.yaml")), *sorted((ROOT / "rubrics").glob("*.yaml"))]
    files += sorted((ROOT / "tests" / "fixtures").glob("*.yaml"))
    return [p.read_text() for p in files] + HOSTILE


@pytest.mark.parametrize("text", _texts())
def test_event_path_equals_node_path(text: str) -> None:
    with paused_gc():
        assert _snapshot(yaml_events.build, text) == _snapshot(yaml_nodes.build, text)


@pytest.mark.parametrize("text", _texts() + ALIASED)
def test_pure_python_parser_gives_the_same_located_data(text: str) -> None:
    c_side = _snapshot(parse_text, text)
    py_side = _snapshot(parse_text, text, libyaml=False)
    if c_side[0] == "errors" and any("YAML syntax" in e for e in c_side[1]):
        # each parser words (and places) its own syntax errors; both refuse the text
        assert py_side[0] == "errors" and len(py_side[1]) == 1
    else:
        assert py_side == c_side


def test_every_key_and_value_is_located() -> None:
    got = parse_text("a: 1\nb:\n  - x\n  - {c: 'q'}\n", "f.yaml")
    assert got.data == {"a": 1, "b": ["x", {"c": "q"}]}
    assert dict(got.values.items()) == {
        (): Location(1, 1),
        ("a",): Location(1, 4),
        ("b",): Location(3, 3),
        ("b", 0): Location(3, 5),
        ("b", 1): Location(4, 5),
        ("b", 1, "c"): Location(4, 9),
    }
    assert dict(got.keys.items()) == {
        ("a",): Location(1, 1),
        ("b",): Location(2, 1),
        ("b", 1, "c"): Location(4, 6),
    }
    assert got.scalar_spans[("b", 1, "c")] == ScalarSpan("'", Location(4, 12))
    assert got.scalar_spans[("b", 0)] == ScalarSpan("", Location(3, 6))
    assert ("a",) not in got.scalar_spans  # numbers have no span


def errors(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_text(textwrap.dedent(text), "x.yaml")
    return [d.format() for d in caught.value.diagnostics]


def test_merge_keys_are_refused_where_written() -> None:
    assert errors("base: &b {kind: cache}\nc: {<<: *b, id: a}\n") == [
        "x.yaml:2:5: error: merge keys ('<<') are not supported; write the fields out"
    ]
    assert errors("c: {<<: {kind: cache}, id: a}\n") == [
        "x.yaml:1:5: error: merge keys ('<<') are not supported; write the fields out"
    ]


def test_keys_must_be_plain_strings_and_unique() -> None:
    assert errors("[a]: 1\nb: 2\nb: 3\n") == [
        "x.yaml:1:1: error: mapping keys must be plain strings",
        "x.yaml:3:1: error: duplicate key 'b'",
    ]


def test_aliases_expand_with_the_anchor_location_and_recursion_is_refused() -> None:
    got = parse_text("a: &a [1, 2]\nb: *a\n", "f.yaml")
    assert got.data == {"a": [1, 2], "b": [1, 2]}
    assert got.values[("b", 1)] == got.values[("a", 1)] == Location(1, 11)
    assert errors("a: &a [*a]\n") == [
        "x.yaml:1:4: error: recursive alias: a value cannot contain itself"
    ]


def test_anchors_alone_stay_on_the_event_path() -> None:
    got = yaml_events.build("a: &x {b: 1}\nc: [&y 2, 3]\n", "f.yaml")
    assert got.data == {"a": {"b": 1}, "c": [2, 3]}
    with pytest.raises(yaml_events.NeedsNodes):
        yaml_events.build("a: &x 1\nb: *x\n", "f.yaml")


def test_a_design_file_holding_a_huge_list_is_refused_without_building_it() -> None:
    text = "[" + ",".join(["1"] * 200_000) + "]\n"
    got = parse_text(text, "f.yaml", mapping_only=True)
    assert got.data == [] and dict(got.values.items()) == {(): Location(1, 1)}
    with pytest.raises(InputError) as caught:
        parse_design(text, "f.yaml")
    assert [d.format() for d in caught.value.diagnostics] == [
        "f.yaml:1:1: error: expected a design mapping, found list"
    ]
    with pytest.raises(InputError) as caught:  # its syntax is still read
        parse_design("[1, 2,\n", "f.yaml")
    assert "YAML syntax" in caught.value.diagnostics[0].message


def test_mark_table_reads_as_a_dict_of_locations() -> None:
    class Mark:
        def __init__(self, line: int, column: int) -> None:
            self.line, self.column = line, column

    table = MarkTable({("a",): Mark(0, 4)})
    assert table[("a",)] == Location(1, 5) and table.get(("b",)) is None
    table[("b",)] = Location(3, 1)
    assert ("b",) in table and len(table) == 2
    assert dict(table) == {("a",): Location(1, 5), ("b",): Location(3, 1)}
    located = LocatedData("f", {}, table)
    assert located.locate(("b", "c")) == Location(3, 1)


def test_garbage_collection_is_paused_while_loading_and_restored_after() -> None:
    seen: list[bool] = []
    original = yaml_events.build

    def spy(*args: Any, **kwargs: Any) -> LocatedData:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    assert gc.isenabled()
    yaml_events.build = spy  # type: ignore[assignment]
    try:
        parse_text("a: 1\n", "f.yaml")
    finally:
        yaml_events.build = original  # type: ignore[assignment]
    assert seen == [False] and gc.isenabled()


def test_what_a_paused_block_made_goes_to_the_oldest_generation() -> None:
    """No young collection walks a freshly loaded tree just to promote it; the collector's
    switch and anything the process froze itself are left as they were."""
    assert gc.get_freeze_count() == 0
    data = parse_text("a:\n  - [1, 2]\n  - {b: [c]}\n", "f.yaml").data
    young = {id(o) for o in gc.get_objects(generation=0)}
    assert id(data) not in young and id(data["a"]) not in young
    assert any(o is data["a"] for o in gc.get_objects(generation=2))
    assert gc.isenabled() and gc.get_freeze_count() == 0

    gc.freeze()  # the process's own frozen objects stay frozen, the block's join them
    try:
        data = parse_text("a: [1]\n", "f.yaml").data
        assert gc.get_freeze_count() and gc.isenabled()
        assert not any(o is data["a"] for g in range(3) for o in gc.get_objects(generation=g))
    finally:
        gc.unfreeze()

    gc.disable()  # a caller's own pause: nothing moved, the switch left off
    try:
        parse_text("a: [1]\n", "f.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()
