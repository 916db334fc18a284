"""The slowest synchronous request path from each entry point.

A component's time is its own latency plus, for each step of its outgoing sync calls (those with a
response), the slowest call of that step; calls in one step run in parallel, steps in sequence.
A cache's miss path counts toward p99 only when more than 1% of reads miss.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from sysdesign.model import Flow, Mode

P99_MISS_THRESHOLD = 0.01


@dataclass(frozen=True)
class Timing:
    """Time of the slowest request tree under one component, and the path that sets it."""

    total_ms: float
    path: tuple[str, ...]


def _counts(flow: Flow) -> bool:
    if flow.mode is not Mode.SYNC or not flow.has_response:
        return False
    return flow.hit_ratio is None or (1.0 - flow.hit_ratio) > P99_MISS_THRESHOLD


def _sync_graph(graph: nx.DiGraph) -> nx.DiGraph:
    sync = nx.DiGraph()
    sync.add_nodes_from(graph)
    for u, v, flows in graph.edges(data="flows"):
        counted = [f for f in flows if _counts(f)]
        if counted:
            sync.add_edge(u, v, flows=counted)
    return sync


def timings(graph: nx.DiGraph) -> dict[str, Timing]:
    """Timing per component, computed bottom-up; sync cycles are cut (and reported elsewhere)."""
    sync = _sync_graph(graph)
    condensed = nx.condensation(sync)
    members = condensed.graph["mapping"]
    result: dict[str, Timing] = {}
    for scc in reversed(list(nx.topological_sort(condensed))):
        for node in sorted(condensed.nodes[scc]["members"]):
            own = graph.nodes[node]["latency_ms"] or 0.0
            steps: dict[int, tuple[float, tuple[str, ...]]] = {}
            for _, target, flows in sync.out_edges(node, data="flows"):
                if members[target] == scc or target not in result:
                    continue
                for flow in flows:
                    cost = flow.latency_ms + result[target].total_ms
                    best = steps.get(flow.step)
                    if best is None or cost > best[0]:
                        steps[flow.step] = (cost, result[target].path)
            total = own
            path: tuple[str, ...] = (node,)
            slowest = -1.0
            for _, (cost, sub) in sorted(steps.items()):
                total += cost
                if cost > slowest:
                    slowest, path = cost, (node, *sub)
            result[node] = Timing(total, path)
    return result


def unknown_latency(graph: nx.DiGraph) -> list[str]:
    """Components on a counted sync path whose latency is not given."""
    sync = _sync_graph(graph)
    on_path = {n for edge in sync.edges for n in edge}
    return [
        n
        for n in graph
        if n in on_path and graph.nodes[n]["latency_ms"] is None and not graph.nodes[n]["entry"]
    ]
