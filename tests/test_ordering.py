"""The graph orderings the checker relies on agree with networkx on random graphs."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from sysdesign.analyses.ordering import (
    VIRTUAL_ROOT,
    cycles,
    grouped_order,
    grouped_order_indexes,
    immediate_dominators,
)


def random_graph(seed: int, n: int = 40, edges: int = 90) -> nx.DiGraph:
    rng = random.Random(seed)
    graph = nx.DiGraph()
    graph.add_nodes_from(f"n{i}" for i in range(n))
    for _ in range(edges):
        graph.add_edge(f"n{rng.randrange(n)}", f"n{rng.randrange(n)}")
    return graph


@pytest.mark.parametrize("seed", range(30))
def test_dominators_match_networkx(seed: int) -> None:
    graph = random_graph(seed)
    roots = ["n0", "n1", "n2"]
    successors = {n: list(graph.successors(n)) for n in graph}
    ours = immediate_dominators(successors, roots)
    rooted = graph.copy()
    rooted.add_edges_from((VIRTUAL_ROOT, r) for r in roots)
    theirs = nx.immediate_dominators(rooted, VIRTUAL_ROOT)
    theirs.pop(VIRTUAL_ROOT, None)
    assert ours == theirs


@pytest.mark.parametrize("seed", range(30))
def test_grouped_order_is_a_topological_order_of_the_condensation(seed: int) -> None:
    graph = random_graph(seed, edges=50)
    successors = {n: list(graph.successors(n)) for n in graph}
    groups = grouped_order(graph, successors)
    assert sorted(map(frozenset, groups), key=sorted) == sorted(
        map(frozenset, nx.strongly_connected_components(graph)), key=sorted
    )
    position = {n: i for i, group in enumerate(groups) for n in group}
    for u, v in graph.edges:
        assert position[u] <= position[v]
    assert len(cycles(graph, successors)) == sum(
        1
        for c in nx.strongly_connected_components(graph)
        if len(c) > 1 or any(graph.has_edge(n, n) for n in c)
    )


def index_successors(seed: int, count: int = 40) -> list[list[int]]:
    """Random successor lists, some duplicated; even seeds acyclic (edges forward only)."""
    rng = random.Random(seed)
    successors: list[list[int]] = [[] for _ in range(count)]
    for _ in range(70):
        u, v = rng.randrange(count), rng.randrange(count)
        if seed % 2 == 0:
            u, v = min(u, v), max(u, v)
            if u == v:
                continue
        successors[u].append(v)
        if rng.random() < 0.1:
            successors[u].append(v)
    return successors


@pytest.mark.parametrize("seed", range(30))
def test_grouped_order_by_index_is_grouped_order(seed: int) -> None:
    """The same groups in the same order as `grouped_order` gives for the same nodes."""
    successors = index_successors(seed)
    expected = grouped_order(range(len(successors)), dict(enumerate(successors)))
    assert grouped_order_indexes(successors) == expected


def test_index_successors_cover_both_paths() -> None:
    """Kahn's order (acyclic) and the strongly connected fallback are both exercised."""
    groups = [grouped_order_indexes(index_successors(seed)) for seed in range(30)]
    assert any(all(len(g) == 1 for g in found) for found in groups)
    assert any(any(len(g) > 1 for g in found) for found in groups)
