"""The slowest synchronous request path from each entry point.

A component's time is its own latency plus, for each step of its outgoing sync calls (those with a
response), the slowest call of that step; calls in one step run in parallel, steps in sequence.
A cache's miss path counts toward p99 only when more than 1% of reads miss. Sums saturate at
1e300 ms (sysdesign.figures).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from sysdesign.analyses.ordering import grouped_order
from sysdesign.figures import add
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
    return flow.hit_ratio is None or (1.0 - flow.hit_ratio) > P99_MISS_THRESHOLD + 1e-9


SyncCalls = dict[str, dict[str, list[Flow]]]  # caller -> callee -> counted flows


def sync_calls(graph: nx.DiGraph) -> SyncCalls:
    """The calls that count toward latency: sync, with a response, cache misses above 1%."""
    calls: SyncCalls = {n: {} for n in graph}
    for u, nbrs in graph.adj.items():
        for v, attrs in nbrs.items():
            counted = [f for f in attrs["flows"] if _counts(f)]
            if counted:
                calls[u][v] = counted
    return calls


def timings(graph: nx.DiGraph, calls: SyncCalls | None = None) -> dict[str, Timing]:
    """Timing per component, computed bottom-up; sync cycles are cut (and reported elsewhere)."""
    calls = sync_calls(graph) if calls is None else calls
    latency = dict(graph.nodes(data="latency_ms"))
    result: dict[str, Timing] = {}
    for group in reversed(grouped_order(graph, calls)):
        members = set(group) if len(group) > 1 else ()
        for node in group:
            steps: dict[int, tuple[float, str]] = {}
            for target, flows in calls[node].items():
                if target in members or target not in result:
                    continue
                below = result[target].total_ms
                for flow in flows:
                    cost = add(flow.latency_ms, below)
                    best = steps.get(flow.step)
                    if best is None or cost > best[0]:
                        steps[flow.step] = (cost, target)
            total = latency[node] or 0.0
            slowest: tuple[float, str | None] = (-1.0, None)
            for cost, target in steps.values():
                total = add(total, cost)
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


def unknown_latency(graph: nx.DiGraph, calls: SyncCalls | None = None) -> list[str]:
    """Components on a counted sync path whose latency is not given."""
    calls = sync_calls(graph) if calls is None else calls
    on_path = {n for n, callees in calls.items() if callees} | {
        v for callees in calls.values() for v in callees
    }
    return [
        n
        for n in graph
        if n in on_path and graph.nodes[n]["latency_ms"] is None and not graph.nodes[n]["entry"]
    ]
