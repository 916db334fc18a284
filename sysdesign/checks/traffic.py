"""Peak load per component and per flow, propagated along flows in one linear pass.

A component's load is the sum over incoming flows of the source's load x share x fan_out x
(1 - hit_ratio). Entry points originate load: clients split the design's peak QPS (less what
clients with an explicit `qps` take); schedulers originate only their own `qps`.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from sysdesign.checks.ordering import grouped_order
from sysdesign.model import Flow


@dataclass(frozen=True)
class Traffic:
    """Load at peak (requests/s) by component id and by flow key."""

    node: dict[str, float]
    flow: dict[str, float]


def flow_factor(flow: Flow) -> float:
    """How many requests into the target one request at the source becomes."""
    return flow.share * flow.fan_out * (1.0 - (flow.hit_ratio or 0.0))


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
                explicit_total += qps
        elif data["kind"] == "client":
            implicit.append(node)
        else:
            loads[node] = 0.0
    if implicit:
        each = max(peak_qps - explicit_total, 0.0) / len(implicit)
        for node in implicit:
            loads[node] = each
    return loads


def propagate(graph: nx.DiGraph, peak_qps: float, factor: float = 1.0) -> Traffic:
    """Load per component and flow at `peak_qps` x `factor`.

    Cycles are cut: within a strongly connected group, flows to members earlier in design order
    carry load but do not feed it back (a feedback loop is not a traffic multiplier).
    """
    node_load = dict.fromkeys(graph, 0.0)
    for node, load in entry_loads(graph, peak_qps).items():
        node_load[node] += load * factor
    flow_load: dict[str, float] = {}
    adjacency = graph.adj
    position = {n: i for i, n in enumerate(graph)}
    for group in grouped_order(graph, adjacency):
        members = set(group)
        for node in group:
            load = node_load[node]
            for target, attrs in adjacency[node].items():
                feeds = target not in members or position[target] > position[node]
                for flow in attrs["flows"]:
                    carried = load * flow_factor(flow)
                    flow_load[flow.key] = carried
                    if feeds:
                        node_load[target] += carried
    return Traffic(node_load, flow_load)
