"""Availability of each client journey, and what a zone or component failure takes away.

One replica is available with probability a (its `availability`, else its kind's default in
`kind_figures`). A component with n replicas in z zones (zones stated) is up with probability
(1 - (1 - a)^n) x (1 - (1 - a_zone)^z): replicas and zones in parallel. A journey (everything a
client's synchronous calls reach) is up when all its components are: the product, in series. A
guard that fails open (`failure_mode: open`) lets requests through when it is down: it is left out
of the product and never breaks a journey; a fail-closed guard stays in series.

A failure removes a component, or one zone: a component in that zone alone is lost, one spread
over k zones keeps (k - 1)/k of its replicas (spread evenly). The blast radius lists the clients
that can no longer reach a store, an LLM or a safety filter they reached before, and the
components whose load no longer fits the capacity left.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from sysdesign.figures import div, mul
from sysdesign.kind_figures import (
    DEFAULT_REPLICA_AVAILABILITY,
    REPLICA_AVAILABILITY,
    ZONE_AVAILABILITY,
)

NodeData = Mapping[str, Mapping[str, Any]]  # node attributes by id (Analyses.nodes)


def _data(graph: nx.DiGraph | NodeData) -> NodeData:
    """Node attributes by id: the graph's own view, or a plain dict given instead (faster)."""
    return graph.nodes if hasattr(graph, "nodes") else graph  # type: ignore[union-attr]


def replica_availability(graph: nx.DiGraph | NodeData, node: str) -> float:
    data = _data(graph)[node]
    own = data["component"].availability
    if own is not None:
        return own
    return REPLICA_AVAILABILITY.get(data["kind"], (DEFAULT_REPLICA_AVAILABILITY,))[0]


def component_availability(graph: nx.DiGraph | NodeData, node: str) -> float:
    data = _data(graph)[node]
    down = 1.0 - replica_availability(graph, node)
    up = 1.0 - down ** data["replicas"]
    zones = len(data["component"].zones)
    if zones:
        up *= 1.0 - (1.0 - ZONE_AVAILABILITY) ** zones
    return up


def journey(
    sync: Mapping[str, Mapping[str, object]], start: str, lost: Collection[str] = ()
) -> set[str]:
    """Components a client's synchronous calls reach (not entering lost ones)."""
    seen = {start}
    stack = [start]
    while stack:
        node = stack.pop()
        for nxt in sync[node]:
            if nxt not in seen and nxt not in lost:
                seen.add(nxt)
                stack.append(nxt)
    seen.discard(start)
    return seen


def fails_open(graph: nx.DiGraph | NodeData, node: str) -> bool:
    """A guard that lets traffic through when it is down (`failure_mode: open`): not in series
    for availability. A fail-closed guard is, wherever it is called from."""
    mode = _data(graph)[node]["component"].failure_mode
    return mode is not None and mode.value == "open"


def journey_availability(graph: nx.DiGraph | NodeData, nodes: Collection[str]) -> float:
    """The product over `nodes` of their availability (fail-open guards left out); `graph` may be
    the plain node dict instead."""
    data = _data(graph)
    product = 1.0
    for node in sorted(nodes):
        if not fails_open(data, node):
            product *= component_availability(data, node)
    return product


@dataclass(frozen=True)
class Failure:
    """One zone or one component lost."""

    zone: str | None = None
    component: str | None = None

    def describe(self) -> str:
        return f"zone {self.zone}" if self.zone is not None else f"component {self.component}"


def check_failure(design: object, failure: Failure, stages: Collection[int]) -> None:
    """Raise ValueError unless the zone or component to fail exists in some stage checked."""
    from sysdesign.views import suggest, view_of

    names: set[str] = set()
    for index in stages:
        view = view_of(design, index)  # type: ignore[arg-type]
        if failure.zone is not None:
            names |= {z for c in view.components.values() for z in c.zones}
        else:
            names |= set(view.components)
    wanted = failure.zone if failure.zone is not None else failure.component
    if wanted not in names:
        what = "zone" if failure.zone is not None else "component"
        raise ValueError(f"no {what} {wanted!r} to fail{suggest(str(wanted), names)}")


@dataclass(frozen=True)
class Blast:
    """What one failure takes away."""

    failure: Failure
    lost: tuple[str, ...]  # components entirely gone
    broken: tuple[tuple[str, tuple[str, ...]], ...]  # (client, what it can no longer reach)
    overloaded: tuple[tuple[str, float], ...]  # (component, utilisation on what is left) > 1
    hot: tuple[tuple[str, float], ...]  # above the target utilisation, at or under 100%

    def sort_key(self) -> tuple[object, ...]:
        worst = max((u for _, u in self.overloaded + self.hot), default=0.0)
        unreachable = sum(len(m) for _, m in self.broken)
        return (
            -len(self.broken),
            -unreachable,
            -len(self.overloaded),
            -worst,
            self.failure.describe(),
        )


def zones_of(graph: nx.DiGraph) -> list[str]:
    """Every zone a component runs in, sorted."""
    return sorted({z for _, c in graph.nodes(data="component") for z in c.zones})


def blast(
    graph: nx.DiGraph,
    sync: Mapping[str, Mapping[str, object]],
    loads: Mapping[str, float],
    failure: Failure,
    target: float,
    matters: Callable[[str], bool],
) -> Blast:
    """The blast radius of one failure at the current load."""
    remaining: dict[str, float] = {}
    lost: list[str] = []
    for node, data in graph.nodes(data=True):
        if data["entry"]:
            continue
        zones = data["component"].zones
        if failure.component == node or (failure.zone is not None and zones == [failure.zone]):
            lost.append(node)
        elif failure.zone is not None and failure.zone in zones:
            remaining[node] = mul(data["replicas"], div(len(zones) - 1, len(zones)))
    clients = [n for n, kind in graph.nodes(data="kind") if kind == "client"]
    broken = []
    blocking = [n for n in lost if not fails_open(graph, n)]  # a fail-open guard is passed
    for client in clients:
        before = journey(sync, client)
        after = journey(sync, client, blocking)
        missing = tuple(sorted(n for n in before - after if matters(n)))
        if missing:
            broken.append((client, missing))
    overloaded, hot = [], []
    for node, data in graph.nodes(data=True):
        if node in lost or data["entry"] or not data["capacity_rps"] or not loads.get(node):
            continue
        replicas = remaining.get(node, data["replicas"])
        ratio = div(loads[node], mul(data["capacity_rps"], replicas))
        if ratio > 1.0:
            overloaded.append((node, ratio))
        elif ratio > target and node in remaining:
            hot.append((node, ratio))
    return Blast(
        failure,
        tuple(lost),
        tuple(broken),
        tuple(sorted(overloaded, key=lambda x: (-x[1], x[0]))),
        tuple(sorted(hot, key=lambda x: (-x[1], x[0]))),
    )
