"""One object per design view and scale factor holding every analysis, each computed lazily once."""

from __future__ import annotations

from functools import cached_property
from operator import eq
from typing import Any

import networkx as nx

from sysdesign.analyses.arrays import Arrays
from sysdesign.analyses.availability import (
    Blast,
    Failure,
    blast,
    journey,
    journey_availability,
    zones_of,
)
from sysdesign.analyses.freshness import Lag, lags
from sysdesign.analyses.headroom import Headroom, headroom
from sysdesign.analyses.latency import (
    Hop,
    SyncCalls,
    Timing,
    critical_path,
    hops,
    sync_calls,
    timings,
)
from sysdesign.analyses.ordering import grouped_order_indexes
from sysdesign.analyses.queueing import wait_ms
from sysdesign.analyses.storage import Fit, fits
from sysdesign.analyses.traffic import Traffic, flow_adjacency, propagate
from sysdesign.figures import LIMIT, add, div, mul
from sysdesign.graph import build_graph
from sysdesign.model import Flow
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
    def nodes(self) -> dict[str, dict[str, Any]]:
        """Node attributes by id, as a plain dict built once (`graph.nodes[n]` goes through a
        view on every lookup; analyses and rules read attributes a lot)."""
        return dict(self.graph.nodes(data=True))

    @cached_property
    def adjacency(self) -> dict[str, dict[str, tuple[Flow, ...]]]:
        """from -> to -> the flows between them, as plain dicts built once, in graph order."""
        return flow_adjacency(self.graph)

    @cached_property
    def arrays(self) -> Arrays:
        """Nodes, edges and flows as integer-indexed lists, built once (`analyses.arrays`)."""
        return Arrays(self.graph, self.nodes, self.adjacency)

    @cached_property
    def flow_order_indexes(self) -> list[list[int]]:
        """`flow_order` by component index (ordered over the arrays' integer adjacency)."""
        return grouped_order_indexes(self.arrays.succ)

    @cached_property
    def flow_order(self) -> list[list[str]]:
        """The flow graph's strongly connected groups in topological order (`grouped_order`)."""
        ids = self.arrays.ids
        return [[ids[i] for i in group] for group in self.flow_order_indexes]

    @cached_property
    def acyclic(self) -> bool:
        """No cycle of flows, and no component with a flow to itself: then no part of the flow
        graph (sync calls, say) has a cycle either, and its topological order serves them all."""
        a = self.arrays  # one group per node, and no edge from a node to itself
        return len(self.flow_order_indexes) == len(a) and not any(map(eq, a.edge_src, a.edge_dst))

    @cached_property
    def capacities(self) -> dict[str, float | None]:
        """Requests/s all replicas of each component serve together; None when one replica's
        capacity is not stated."""
        out: dict[str, float | None] = {}
        for node, data in self.nodes.items():
            each = data["capacity_rps"]
            if not each:
                out[node] = None
                continue
            total = each * data["replicas"]  # mul(each, replicas), inline when in range
            out[node] = total if each < LIMIT and total < LIMIT else mul(each, data["replicas"])
        return out

    # --- load --------------------------------------------------------------------------------

    @cached_property
    def traffic(self) -> Traffic:
        """Peak load (requests/s) per component and per flow."""
        return propagate(self.arrays, self.view.scale.peak_qps, self.scale, self.flow_order_indexes)

    def capacity(self, node: str) -> float | None:
        """Requests/s all replicas serve together, when one replica's capacity is stated."""
        return self.capacities[node]

    def utilisation(self, node: str) -> float | None:
        """Load over capacity at peak; None when capacity is not stated."""
        capacity = self.capacities[node]
        return div(self.traffic.node[node], capacity) if capacity else None

    @cached_property
    def waits(self) -> dict[str, float | None]:
        """Queueing delay (ms) per component with a stated capacity; None: saturated."""
        out: dict[str, float | None] = {}
        arrays = self.arrays
        loads = self.traffic.node  # in the arrays' node order
        for node, load, each, entry, replicas in zip(
            arrays.ids,
            loads.values(),
            arrays.capacity_rps,
            arrays.entry,
            arrays.replicas,
            strict=True,
        ):
            if each and not entry:
                out[node] = wait_ms(load, each, replicas)
        return out

    @cached_property
    def saturated(self) -> frozenset[str]:
        """Components whose load reaches or passes their capacity."""
        return frozenset(n for n, w in self.waits.items() if w is None)

    # --- latency -----------------------------------------------------------------------------

    @cached_property
    def sync(self) -> SyncCalls:
        """The calls that count toward latency."""
        return sync_calls(self.graph, self.arrays)

    def _own(self, first_token: bool) -> dict[str, float]:
        own: dict[str, float] = {}
        waits = self.waits
        a = self.arrays
        for node, latency, component in zip(a.ids, a.latency_ms, a.component, strict=True):
            base = latency or 0.0
            if first_token:
                ttft = component.ttft_ms
                if ttft is not None:
                    base = ttft
            wait = waits.get(node) or 0.0
            total = 0.0 + base + wait  # add's own sums, inline in range
            own[node] = total if base < LIMIT and total < LIMIT else add(base, wait)
        return own

    @cached_property
    def timings(self) -> dict[str, Timing]:
        """The slowest synchronous request tree under each component, with queueing delay."""
        return timings(self.graph, self.sync, self._own(False), self.saturated, self._call_order)

    @cached_property
    def first_token_timings(self) -> dict[str, Timing]:
        """The same, with streaming LLMs counting their time to first token (`ttft_ms`)."""
        return timings(self.graph, self.sync, self._own(True), self.saturated, self._call_order)

    @property
    def _call_order(self) -> list[list[str]] | None:
        """The flow graph's order when it is acyclic (then it orders the sync calls too)."""
        return self.flow_order if self.acyclic else None

    def critical_path(self, start: str) -> tuple[str, ...]:
        return critical_path(self.timings, start)

    def hops(self, start: str, first_token: bool = False) -> list[Hop]:
        """The critical request tree from `start`, hop by hop (see `latency.hops`)."""
        return hops(self.first_token_timings if first_token else self.timings, start)

    def streams(self, entry: str) -> bool:
        """Whether requests from `entry` reach, by synchronous calls, an LLM that streams its
        answer (one that states `ttft_ms`)."""
        seen = {entry}
        stack = [entry]
        nodes = self.nodes
        while stack:
            node = stack.pop()
            if nodes[node]["component"].ttft_ms is not None:
                return True
            for nxt in self.sync[node]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return False

    def budget(self, entry: str) -> float:
        """The p99 budget (ms) for requests from an entry point: its own, else the design's."""
        own = self.nodes[entry]["component"].latency_budget_ms
        return own if own is not None else self.view.slo.p99_latency_ms

    # --- data --------------------------------------------------------------------------------

    @cached_property
    def fits(self) -> list[Fit]:
        """What each store's replicas must hold against what they can (storage, memory)."""
        return fits(self.graph, self.view.scale)

    @cached_property
    def lags(self) -> list[Lag]:
        """The slowest update path into each store that serves reads."""
        return lags(self.graph, self.waits, self.traffic.node)

    # --- headroom and failures ---------------------------------------------------------------

    @cached_property
    def headroom(self) -> list[Headroom]:
        """Per loaded component, the traffic multiples to the target utilisation and to 100%."""
        entries = self.arrays.entry  # the node order of capacities and loads alike
        capacities = {
            n: c
            for (n, c), entry in zip(self.capacities.items(), entries, strict=True)
            if not entry
        }
        loads = {
            n: load
            for (n, load), entry in zip(self.traffic.node.items(), entries, strict=True)
            if not entry
        }
        return headroom(loads, capacities, self.view.slo.target_utilization)

    def journey(self, client: str) -> set[str]:
        """What a client's synchronous calls reach (a new set each call; the search runs once
        per client)."""
        key = f"journey:{client}"
        found = self.__dict__.get(key)
        if found is None:
            found = self.__dict__[key] = frozenset(journey(self.sync, client))
        return set(found)

    def journey_availability(self, client: str) -> float:
        return journey_availability(self.nodes, self.journey(client))

    def matters(self, node: str) -> bool:
        """A component a journey breaks without: a store, an LLM or a safety filter."""
        data = self.nodes[node]
        return bool(data["store"] or data["layers"] & {"llm", "safety_filter"})

    def blast(self, failure: Failure) -> Blast:
        """What one zone or component failure takes away at this load."""
        key = f"blast:{failure.zone}:{failure.component}"
        found = self.__dict__.get(key)
        if found is None:
            found = blast(
                self.graph,
                self.sync,
                self.traffic.node,
                failure,
                self.view.slo.target_utilization,
                self.matters,
            )
            self.__dict__[key] = found
        return found

    @cached_property
    def zones(self) -> list[str]:
        return zones_of(self.graph)

    def blasts(self) -> list[Blast]:
        """Every single zone and every single component failing in turn, worst first."""
        failures = [Failure(zone=z) for z in self.zones] + [
            Failure(component=n) for n in self.graph if not self.graph.nodes[n]["entry"]
        ]
        return sorted((self.blast(f) for f in failures), key=Blast.sort_key)


def analyses_for(view: DesignView, scale: float = 1.0) -> Analyses:
    """The analyses of `view` at `scale`, created once per view and scale and then reused."""
    cached = view.analyses.get(scale)
    if cached is None:
        cached = view.analyses[scale] = Analyses(view, scale)
    return cached  # type: ignore[return-value]
