"""Records made at once (`analyses.records.made`) are the records their classes' constructors
make: equal, with the same repr, hash and fields, and frozen still."""

from __future__ import annotations

import dataclasses

import networkx as nx
import pytest

from sysdesign.analyses.headroom import Headroom, headroom
from sysdesign.analyses.latency import Timing, timings
from sysdesign.analyses.records import made


def assert_same(record: object, built: object) -> None:
    assert type(record) is type(built)
    assert record == built and repr(record) == repr(built) and hash(record) == hash(built)
    assert vars(record) == vars(built) and list(vars(record)) == list(vars(built))
    field = dataclasses.fields(record)[0].name  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(record, field, None)


def test_made_records_are_constructed_records() -> None:
    steps = ((1, "db", 2.0),)
    assert_same(
        made(
            Timing,
            {
                "total_ms": 7.0,
                "next_hop": "db",
                "own_ms": 5.0,
                "steps": steps,
                "component": "app",
                "tree": None,
            },
        ),
        Timing(7.0, "db", 5.0, steps, "app", None),
    )
    assert_same(
        made(
            Headroom,
            {
                "component": "db",
                "load_rps": 1.0,
                "capacity_rps": 4.0,
                "to_target": 2.8,
                "to_full": 4.0,
            },
        ),
        Headroom("db", 1.0, 4.0, 2.8, 4.0),
    )


def test_headroom_and_timings_rows_are_what_the_constructors_give() -> None:
    """The analyses that make their records at once give the records the constructors give
    (every field set: a field left out would read as its class default, or fail)."""
    rows = headroom(
        {"b": 5.0, "a": 10.0, "c": 0.0, "d": 50.0},
        {"a": 20.0, "b": 100.0, "c": 1.0, "d": 100.0},
        0.5,
    )
    assert rows == [  # first to break first; a tie on the multiple goes by component
        Headroom("a", 10.0, 20.0, 1.0, 2.0),
        Headroom("d", 50.0, 100.0, 1.0, 2.0),
        Headroom("b", 5.0, 100.0, 10.0, 20.0),
    ]
    graph = nx.DiGraph()
    graph.add_nodes_from([("a", {"latency_ms": 1.0}), ("b", {"latency_ms": 2.0})])
    found = timings(graph, {"a": {}, "b": {}}, {"a": 1.0, "b": 2.0})
    for node in ("a", "b"):
        expected = Timing(found[node].total_ms, None, found[node].own_ms, (), node)
        assert vars(found[node]) == {**vars(expected), "tree": found[node].tree}
    assert found["a"] == Timing(1.0, None, 1.0, (), "a")
