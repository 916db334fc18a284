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
    """Time of the slowest request tree under one component, and the next hop that sets it."""

    total_ms: float
    next_hop: str | None


def _counts(flow: Flow) -> bool:
    if flow.mode is not Mode.SYNC or not flow.has_response:
        return False
    return flow.hit_ratio is None or (1.0 - flow.hit_ratio) > P99_MISS_THRESHOLD


def sync_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """The calls that count toward latency: sync, with a response, cache misses above 1%."""
    sync = nx.DiGraph()
    sync.add_nodes_from(graph)
    for u, v, flows in graph.edges(data="flows"):
        counted = [f for f in flows if _counts(f)]
        if counted:
            sync.add_edge(u, v, flows=counted)
    return sync


def timings(graph: nx.DiGraph, sync: nx.DiGraph | None = None) -> dict[str, Timing]:
    """Timing per component, computed bottom-up; sync cycles are cut (and reported elsewhere)."""
    sync = sync_graph(graph) if sync is None else sync
    condensed = nx.condensation(sync)
    members = condensed.graph["mapping"]
    result: dict[str, Timing] = {}
    for scc in reversed(list(nx.topological_sort(condensed))):
        for node in sorted(condensed.nodes[scc]["members"]):
            steps: dict[int, tuple[float, str]] = {}
            for _, target, flows in sync.out_edges(node, data="flows"):
                if members[target] == scc or target not in result:
                    continue
                for flow in flows:
                    cost = flow.latency_ms + result[target].total_ms
                    best = steps.get(flow.step)
                    if best is None or cost > best[0]:
                        steps[flow.step] = (cost, target)
            total = graph.nodes[node]["latency_ms"] or 0.0
            slowest: tuple[float, str | None] = (-1.0, None)
            for cost, target in steps.values():
                total += cost
                if cost > slowest[0]:
                    slowest = (cost, target)
            result[node] = Timing(total, slowest[1])
    return result


def critical_path(times: dict[str, Timing], start: str) -> tuple[str, ...]:
    """The chain of slowest calls from `start`."""
    path = [start]
    while (nxt := times[path[-1]].next_hop) is not None:
        path.append(nxt)
    return tuple(path)


def unknown_latency(graph: nx.DiGraph, sync: nx.DiGraph | None = None) -> list[str]:
    """Components on a counted sync path whose latency is not given."""
    sync = sync_graph(graph) if sync is None else sync
    return [
        n
        for n in graph
        if sync.degree(n) > 0
        and graph.nodes[n]["latency_ms"] is None
        and not graph.nodes[n]["entry"]
    ]
