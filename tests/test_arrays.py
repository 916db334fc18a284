"""The integer-indexed arrays every pass reads agree with the networkx graph they come from, and
the passes that read them agree with a plain computation over the graph."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from conftest import design_data

from sysdesign.analyses import analyses_for
from sysdesign.analyses.arrays import Arrays
from sysdesign.analyses.latency import P99_MISS_THRESHOLD
from sysdesign.loader import load_design
from sysdesign.model import Design, Mode
from sysdesign.views import view_of

ROOT = Path(__file__).parent.parent
KINDS = ["service", "cache", "database", "worker", "queue", "llm", "safety_filter", "client"]


def random_design(seed: int, n: int = 30, flows: int = 70) -> Design:
    """Random components and flows, several per pair, cache hits; odd seeds: with cycles and
    self-loops, even seeds: acyclic (flows from earlier to later components only)."""
    rng = random.Random(seed)
    components: list[dict[str, Any]] = [{"id": "users", "kind": "client"}]
    for i in range(n):
        components.append(
            {
                "id": f"c{i}",
                "kind": rng.choice(KINDS[:-1]),
                "replicas": rng.choice([1, 2]),
                "capacity_rps": rng.choice([10, 1000]),
                "latency_ms": rng.choice([1, 5]),
            }
        )
    ids = [c["id"] for c in components]
    edges: list[dict[str, Any]] = [{"from": "users", "to": "c0"}]
    for k in range(flows):
        a, b = rng.randrange(1, len(ids)), rng.randrange(1, len(ids))
        if seed % 2 == 0:
            a, b = min(a, b), max(a, b) + (a == b)
            if b == len(ids):
                continue
        flow: dict[str, Any] = {
            "id": f"f{k}",
            "from": ids[a],
            "to": ids[b],
            "op": rng.choice(["read", "write", "stream"]),
            "mode": rng.choice(["sync", "async"]),
            "step": rng.randint(1, 4),
            "share": rng.choice([0.5, 1.0]),
            "fan_out": rng.choice([1, 3]),
            "latency_ms": rng.choice([0, 2]),
        }
        if rng.random() < 0.2:
            flow["hit_ratio"] = rng.choice([0.5, 0.995, 1.0])
        edges.append(flow)
    data = design_data(components, edges, scale={"peak_qps": 100}, slo={"p99_latency_ms": 500})
    return Design.model_validate(data, strict=False)


def designs() -> list[tuple[str, Design]]:
    found = [(f"random{seed}", random_design(seed)) for seed in range(8)]
    found += [(p.stem, load_design(p)) for p in sorted((ROOT / "designs").glob("*.yaml"))]
    return found


DESIGNS = designs()
# the sum rule holds where no cycle cuts the load (cycles: tests/test_rules.py)
ACYCLIC = [
    (name, design)
    for name, design in DESIGNS
    if nx.is_directed_acyclic_graph(analyses_for(view_of(design)).graph)
]


@pytest.mark.parametrize(("name", "design"), DESIGNS, ids=[n for n, _ in DESIGNS])
def test_arrays_agree_with_the_graph(name: str, design: Design) -> None:
    analyses = analyses_for(view_of(design))
    graph: nx.DiGraph = analyses.graph
    arrays = analyses.arrays
    assert arrays.ids == list(graph)
    assert all(arrays.index[n] == i for i, n in enumerate(graph))
    for i, (node, data) in enumerate(graph.nodes(data=True)):
        for attr in ("kind", "family", "layers", "replicas", "capacity_rps", "latency_ms"):
            assert getattr(arrays, attr)[i] == data[attr]
        for attr in ("stateful", "compute", "store", "entry", "component"):
            assert getattr(arrays, attr)[i] == data[attr]
        assert arrays.names(arrays.succ[i]) == list(graph.successors(node))
        assert arrays.names(arrays.pred[i]) == list(graph.predecessors(node))
    edges = [
        (arrays.ids[u], arrays.ids[v])
        for u, v in zip(arrays.edge_src, arrays.edge_dst, strict=True)
    ]
    assert edges == list(graph.edges)
    for e, (u, v) in enumerate(edges):
        assert [arrays.flows[f] for f in arrays.edge_flows[e]] == list(graph.edges[u, v]["flows"])
        assert e in arrays.out_edges[arrays.index[u]]
    for i, span in enumerate(arrays.out_flows):  # a node's flows: its edges', in order
        assert list(span) == [f for e in arrays.out_edges[i] for f in arrays.edge_flows[e]]
    assert arrays.flow_dst == [
        arrays.edge_dst[e] for e, span in enumerate(arrays.edge_flows) for _ in span
    ]
    for e, span in enumerate(arrays.edge_flows):
        for f in span:
            pair = (arrays.ids[arrays.edge_src[e]], arrays.ids[arrays.edge_dst[e]])
            assert pair == (arrays.flows[f].from_, arrays.flows[f].to)
    for f, flow in enumerate(arrays.flows):
        assert arrays.key[f] == flow.key
        assert (arrays.step[f], arrays.op[f], arrays.mode[f]) == (flow.step, flow.op, flow.mode)
        assert (arrays.share[f], arrays.fan_out[f]) == (flow.share, flow.fan_out)
        assert (arrays.hit_ratio[f], arrays.hop_ms[f]) == (flow.hit_ratio, flow.latency_ms)
        assert arrays.responds[f] == flow.has_response
    assert len(arrays.flows) == len(view_of(design).flows)
    assert Arrays.of(graph).key == arrays.key


@pytest.mark.parametrize(("name", "design"), DESIGNS, ids=[n for n, _ in DESIGNS])
def test_sync_calls_are_the_counted_flows_of_each_edge(name: str, design: Design) -> None:
    analyses = analyses_for(view_of(design))
    expected: dict[str, dict[str, list[object]]] = {n: {} for n in analyses.graph}
    for u, v, flows in analyses.graph.edges(data="flows"):
        counted = [
            f
            for f in flows
            if f.mode is Mode.SYNC
            and f.has_response
            and (f.hit_ratio is None or 1.0 - f.hit_ratio > P99_MISS_THRESHOLD + 1e-9)
        ]
        if counted:
            expected[u][v] = counted
    assert analyses.sync == expected


def test_some_designs_are_acyclic_and_some_are_not() -> None:
    assert 0 < len(ACYCLIC) < len(DESIGNS)


@pytest.mark.parametrize(("name", "design"), ACYCLIC, ids=[n for n, _ in ACYCLIC])
def test_traffic_of_an_acyclic_graph_is_the_sum_over_incoming_flows(
    name: str, design: Design
) -> None:
    analyses = analyses_for(view_of(design))
    graph = analyses.graph
    traffic = analyses.traffic
    for node in nx.topological_sort(graph):
        incoming = [
            traffic.node[u] * f.share * f.fan_out * (1.0 - (f.hit_ratio or 0.0))
            for u, _, flows in graph.in_edges(node, data="flows")
            for f in flows
        ]
        entry = traffic.node[node] if graph.nodes[node]["entry"] else 0.0
        assert math.isclose(traffic.node[node], entry + sum(incoming), rel_tol=1e-9)
        for _, _, flows in graph.out_edges(node, data="flows"):
            for f in flows:
                carried = traffic.node[node] * f.share * f.fan_out * (1.0 - (f.hit_ratio or 0.0))
                assert math.isclose(traffic.flow[f.key], carried, rel_tol=1e-9)


def test_random_designs_have_cycles_and_shared_edges() -> None:
    """The random designs above exercise what the arrays must keep apart."""
    graphs = [analyses_for(view_of(d)).graph for n, d in DESIGNS if n.startswith("random")]
    assert any(not nx.is_directed_acyclic_graph(g) for g in graphs)
    assert any(len(flows) > 1 for g in graphs for _, _, flows in g.edges(data="flows"))


@pytest.mark.parametrize(("name", "design"), DESIGNS, ids=[n for n, _ in DESIGNS])
def test_flow_order_by_index_is_the_graph_order(name: str, design: Design) -> None:
    """Ordering by component index gives the groups ordering the graph by id gives."""
    from sysdesign.analyses.ordering import grouped_order

    analyses = analyses_for(view_of(design))
    assert analyses.flow_order == grouped_order(analyses.graph, analyses.adjacency)
