"""Peak load per component and per flow, propagated along flows in one linear pass.

A component's load is the sum over incoming flows of the source's load x share x fan_out x
(1 - hit_ratio). Entry points originate load: clients split the design's peak QPS (less what
clients with an explicit `qps` take); schedulers originate only their own `qps`.
Arithmetic saturates (sysdesign.figures): a load beyond 1e300 req/s is held at 1e300, flagged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from sysdesign.analyses.ordering import grouped_order
from sysdesign.figures import add, div, mul
from sysdesign.model import Flow


@dataclass(frozen=True)
class Traffic:
    """Load at peak (requests/s) by component id and by flow key."""

    node: dict[str, float]
    flow: dict[str, float]


def flow_adjacency(graph: nx.DiGraph) -> dict[str, dict[str, tuple[Flow, ...]]]:
    """from -> to -> flows, as plain dicts in the graph's order."""
    return {u: {v: a["flows"] for v, a in nbrs.items()} for u, nbrs in graph.adj.items()}


def flow_factor(flow: Flow) -> float:
    """How many requests into the target one request at the source becomes."""
    return mul(flow.share, flow.fan_out, 1.0 - (flow.hit_ratio or 0.0))


def entry_loads(graph: nx.DiGraph, peak_qps: float) -> dict[str, float]:
    """Load each entry point originates."""
    loads: dict[str, float] = {}
    implicit: list[str] = []
    explicit_total = 0.0
    for node, data in graph.nodes(data=True):
        if not data["entry"]:
            continue
        qps = data["component"].qps
        if qps is not None:
            loads[node] = qps
            if data["kind"] == "client":
                explicit_total = add(explicit_total, qps)
        elif data["kind"] == "client":
            implicit.append(node)
        else:
            loads[node] = 0.0
    if implicit:
        each = div(max(add(peak_qps, -explicit_total), 0.0), len(implicit))
        for node in implicit:
            loads[node] = each
    return loads


def _entry_order(group: list[str], graph: nx.DiGraph, origin: dict[str, float]) -> list[str]:
    """Members of a cycle in the order load reaches them: first those fed from outside the cycle
    (or originating load), then along the cycle's own flows; design order breaks ties."""
    members = set(group)
    starts = [
        n for n in group if origin.get(n) or any(p not in members for p in graph.predecessors(n))
    ]
    order = list(dict.fromkeys(starts or group[:1]))
    seen = set(order)
    for node in order:  # breadth-first within the cycle
        for nxt in graph.successors(node):
            if nxt in members and nxt not in seen:
                seen.add(nxt)
                order.append(nxt)
    return order + [n for n in group if n not in seen]


def propagate(
    graph: nx.DiGraph,
    peak_qps: float,
    factor: float = 1.0,
    adjacency: Mapping[str, Mapping[str, tuple[Flow, ...]]] | None = None,
    order: list[list[str]] | None = None,
) -> Traffic:
    """Load per component and flow at `peak_qps` x `factor`.

    Cycles are cut: inside a strongly connected group, load flows forward from where it entered
    the group; a flow back towards that entry carries load but does not feed it again (a feedback
    loop is not a traffic multiplier). `adjacency` (from -> to -> flows, as plain dicts) and
    `order` (its `grouped_order`) save computing them when the caller has them.
    """
    origin = entry_loads(graph, peak_qps)
    node_load = dict.fromkeys(graph, 0.0)
    for node, load in origin.items():
        node_load[node] = add(node_load[node], mul(load, factor))
    flow_load: dict[str, float] = {}
    if adjacency is None:  # plain dicts: networkx's adjacency views cost a view per lookup
        adjacency = flow_adjacency(graph)
    for group in grouped_order(graph, adjacency) if order is None else order:
        if len(group) == 1:  # not in a cycle: every flow out of it feeds its target but itself
            node = group[0]
            load = node_load[node]
            for target, flows in adjacency[node].items():
                for flow in flows:
                    carried = mul(load, flow_factor(flow))
                    flow_load[flow.key] = carried
                    if target != node:
                        node_load[target] = add(node_load[target], carried)
            continue
        group = _entry_order(group, graph, origin)
        rank = {n: i for i, n in enumerate(group)}
        for node in group:
            load = node_load[node]
            for target, flows in adjacency[node].items():
                feeds = target not in rank or rank[target] > rank[node]
                for flow in flows:
                    carried = mul(load, flow_factor(flow))
                    flow_load[flow.key] = carried
                    if feeds:
                        node_load[target] = add(node_load[target], carried)
    return Traffic(node_load, flow_load)
