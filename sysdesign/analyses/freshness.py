"""Freshness: how long an update takes from where it enters to where reads can see it.

Updates travel along write, stream and asynchronous flows (each carrying at least 1% of its
source's updates) from the entry points that send them; a scheduled entry adds its own
`batch_interval_ms` (a change waits for the next run).
Each hop into a component costs the flow's network time (`latency_ms`), its consumer lag
(`lag_ms`), the component's queueing delay at its utilisation (`queueing`), its own `latency_ms`
and, where it batches, flushes or refreshes, its full `batch_interval_ms` (p99: an update can
just miss a batch). The lag to a store that serves reads is the slowest such path (cycles cut).
A saturated component on the path means updates queue without bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from sysdesign.analyses.ordering import grouped_order
from sysdesign.figures import add
from sysdesign.model import Flow, Mode, Operation


@dataclass(frozen=True)
class LagHop:
    """One hop of an update's path: the component it reaches and what that hop costs (ms)."""

    component: str
    ms: float
    batch_ms: float  # of which waiting for a batch, flush or refresh


@dataclass(frozen=True)
class Lag:
    """The slowest update path into one store that serves reads."""

    target: str
    total_ms: float
    hops: tuple[LagHop, ...]  # from the entry point (0 ms) to the target
    saturated: tuple[str, ...]
    unknown: tuple[str, ...]  # components on the path whose latency is not stated

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(h.component for h in self.hops)


P99_SHARE = 0.01  # a flow carrying less than 1% of its source's updates does not set the p99


def carries_updates(flow: Flow) -> bool:
    """An asynchronous, write or stream flow that carries at least 1% of its source's updates."""
    if flow.share * (1.0 - (flow.hit_ratio or 0.0)) < P99_SHARE - 1e-12:
        return False
    return flow.mode is Mode.ASYNC or flow.op in (Operation.WRITE, Operation.STREAM)


def lags(
    graph: nx.DiGraph, waits: Mapping[str, float | None], loads: Mapping[str, float]
) -> list[Lag]:
    """The slowest update path into every store that serves reads, in design order.

    `waits` holds each component's queueing delay (None: saturated); `loads` its load.
    """
    updates: dict[str, list[tuple[str, Flow]]] = {n: [] for n in graph}
    for u, v, flows in graph.edges(data="flows"):
        updates[u].extend((v, f) for f in flows if carries_updates(f))
    sources = [n for n, entry in graph.nodes(data="entry") if entry and updates[n]]
    best: dict[str, tuple[float, str | None, float]] = {}
    for source in sources:  # a scheduled entry picks changes up only when it runs
        batch = graph.nodes[source]["component"].batch_interval_ms or 0.0
        best[source] = (batch, None, batch)
    successors = {n: [v for v, _ in targets] for n, targets in updates.items()}
    for group in grouped_order(graph, successors):
        rank = {n: i for i, n in enumerate(group)}
        for node in group:
            if node not in best:
                continue
            base = best[node][0]
            for target, flow in updates[node]:
                if target in rank and rank[target] <= rank[node]:
                    continue  # a flow back inside a cycle does not deliver the update again
                cost = _hop_cost(graph, target, flow, waits)
                total = add(base, cost)
                if target not in best or total > best[target][0]:
                    best[target] = (total, node, cost)
    read = {v for _, v, flows in graph.edges(data="flows") if any(_is_read(f) for f in flows)}
    stores = [n for n in graph if n in best and n in read and graph.nodes[n]["stateful"]]
    return [_trace(graph, best, store, waits, loads) for store in stores]


def _is_read(flow: Flow) -> bool:
    return flow.op is Operation.READ and flow.mode is Mode.SYNC


def _hop_cost(graph: nx.DiGraph, node: str, flow: Flow, waits: Mapping[str, float | None]) -> float:
    data = graph.nodes[node]
    batch = data["component"].batch_interval_ms or 0.0
    wait = waits.get(node) or 0.0
    return add(flow.latency_ms, flow.lag_ms, wait, data["latency_ms"] or 0.0, batch)


def _trace(
    graph: nx.DiGraph,
    best: dict[str, tuple[float, str | None, float]],
    store: str,
    waits: Mapping[str, float | None],
    loads: Mapping[str, float],
) -> Lag:
    hops: list[LagHop] = []
    node: str | None = store
    while node is not None:
        _, parent, cost = best[node]
        batch = graph.nodes[node]["component"].batch_interval_ms or 0.0
        hops.append(LagHop(node, cost, batch))
        node = parent
    hops.reverse()
    path = [h.component for h in hops]
    saturated = tuple(n for n in path[1:] if n in waits and waits[n] is None and loads.get(n))
    unknown = tuple(n for n in path[1:] if graph.nodes[n]["latency_ms"] is None)
    return Lag(store, best[store][0], tuple(hops), saturated, unknown)
