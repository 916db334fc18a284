"""One object per design view and scale factor holding every analysis, each computed lazily once."""

from __future__ import annotations

from functools import cached_property

import networkx as nx

from sysdesign.analyses.latency import SyncCalls, Timing, critical_path, sync_calls, timings
from sysdesign.analyses.traffic import Traffic, propagate
from sysdesign.figures import mul
from sysdesign.graph import build_graph
from sysdesign.views import DesignView


class Analyses:
    """The graph of one view and what it implies at `scale` x the design's peak load."""

    def __init__(self, view: DesignView, scale: float = 1.0) -> None:
        self.view = view
        self.scale = scale

    @cached_property
    def graph(self) -> nx.DiGraph:
        return build_graph(self.view)

    @cached_property
    def traffic(self) -> Traffic:
        """Peak load (requests/s) per component and per flow."""
        return propagate(self.graph, self.view.scale.peak_qps, self.scale)

    @cached_property
    def sync(self) -> SyncCalls:
        """The calls that count toward latency."""
        return sync_calls(self.graph)

    @cached_property
    def timings(self) -> dict[str, Timing]:
        """The slowest synchronous request tree under each component."""
        return timings(self.graph, self.sync)

    def critical_path(self, start: str) -> tuple[str, ...]:
        return critical_path(self.timings, start)

    def budget(self, entry: str) -> float:
        """The p99 budget (ms) for requests from an entry point: its own, else the design's."""
        own = self.graph.nodes[entry]["component"].latency_budget_ms
        return own if own is not None else self.view.slo.p99_latency_ms

    def capacity(self, node: str) -> float | None:
        """Requests/s all replicas serve together, when one replica's capacity is stated."""
        per_replica = self.graph.nodes[node]["capacity_rps"]
        return mul(per_replica, self.graph.nodes[node]["replicas"]) if per_replica else None


def analyses_for(view: DesignView, scale: float = 1.0) -> Analyses:
    """The analyses of `view` at `scale`, created once per view and scale and then reused."""
    cached = view.analyses.get(scale)
    if cached is None:
        cached = view.analyses[scale] = Analyses(view, scale)
    return cached  # type: ignore[return-value]
