"""MarkTable and SpanTable given the loader's flat list (path, mark, path, mark...) behave as
the dict of those pairs would, built only when first used."""

from __future__ import annotations

from collections import namedtuple

from sysdesign.yamlsource import Location, MarkTable, ScalarSpan, SpanTable, parse_text

Mark = namedtuple("Mark", "line column")


def test_a_flat_list_reads_as_its_dict_in_order_and_the_last_repeat_wins() -> None:
    flat = [("a",), Mark(0, 0), ("b", 0), Mark(1, 2), ("a",), Mark(4, 5)]
    table = MarkTable(flat=flat)
    assert table._table is None  # nothing built yet
    assert list(table) == [("a",), ("b", 0)]
    assert table[("a",)] == Location(5, 6) and table[("b", 0)] == Location(2, 3)
    assert len(table) == 2 and ("b", 0) in table and ("c",) not in table
    table[("c",)] = Location(9, 9)
    del table[("a",)]
    assert dict(table) == {("b", 0): Location(2, 3), ("c",): Location(9, 9)}


def test_writing_before_reading_builds_the_table_first() -> None:
    table = MarkTable(flat=[("x",), Mark(0, 0)])
    table[("y",)] = Location(3, 3)
    assert dict(table) == {("x",): Location(1, 1), ("y",): Location(3, 3)}
    assert dict(MarkTable(flat=[])) == {} and dict(MarkTable()) == {}


def test_spans_from_a_flat_list() -> None:
    spans = SpanTable(flat=[("s",), Mark(0, 3), ("q",), ("'", Mark(1, 8))])
    assert spans[("s",)] == ScalarSpan("", Location(1, 4))
    assert spans[("q",)] == ScalarSpan("'", Location(2, 9))


def test_the_loader_s_tables_locate_every_key_and_value() -> None:
    located = parse_text("a: 1\nb:\n  - x\n  - 'y'\nc: {d: e}\n", "t.yaml")
    assert dict(located.keys) == {
        ("a",): Location(1, 1),
        ("b",): Location(2, 1),
        ("c",): Location(5, 1),
        ("c", "d"): Location(5, 5),
    }
    assert dict(located.values) == {
        (): Location(1, 1),
        ("a",): Location(1, 4),
        ("b",): Location(3, 3),
        ("b", 0): Location(3, 5),
        ("b", 1): Location(4, 5),
        ("c",): Location(5, 4),
        ("c", "d"): Location(5, 8),
    }
    assert dict(located.scalar_spans) == {
        ("b", 0): ScalarSpan("", Location(3, 6)),
        ("b", 1): ScalarSpan("'", Location(4, 8)),
        ("c", "d"): ScalarSpan("", Location(5, 9)),
    }
