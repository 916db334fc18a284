"""The slowest synchronous request path from each entry point.

A component's time is its own latency plus its queueing delay under load (`queueing`), plus, for
each step of its outgoing sync calls (those with a response), the slowest call of that step; calls
in one step run in parallel, steps in sequence. A cache's miss path counts toward p99 only when
more than 1% of reads miss. A saturated component (load >= capacity) anywhere in a request's tree
makes the tree saturated: no budget can be met, whatever the sum. Sums saturate at
1e300 ms (sysdesign.figures).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from sysdesign.analyses.arrays import Arrays
from sysdesign.analyses.ordering import grouped_order
from sysdesign.analyses.records import made
from sysdesign.figures import LIMIT, add
from sysdesign.model import Flow, Mode

P99_MISS_THRESHOLD = 0.01


class _Tree:
    """The counted calls of one `timings` pass, to find what is saturated under a component on
    first use (only entry points' are read: a set per component would cost the sum of every
    component's tree)."""

    def __init__(self, calls: SyncCalls, saturated: frozenset[str], group: dict[str, int]):
        self.calls, self.saturated, self.group = calls, saturated, group

    def saturated_under(self, start: str) -> frozenset[str]:
        """Saturated components `start`'s requests reach (itself included), following the calls
        the timing counts: none inside a cycle (cut) and none to itself."""
        if not self.saturated:
            return frozenset()
        group = self.group
        seen = {start}
        stack = [start]
        found = []
        while stack:
            node = stack.pop()
            if node in self.saturated:
                found.append(node)
            mine = group.get(node)
            for target in self.calls[node]:
                if target in seen or (mine is not None and group.get(target) == mine):
                    continue
                seen.add(target)
                stack.append(target)
        return frozenset(found)


@dataclass(frozen=True)
class Timing:
    """Time of the slowest request tree under one component, and the next hop that sets it."""

    total_ms: float
    next_hop: str | None
    own_ms: float = 0.0  # its own latency plus queueing delay
    steps: tuple[tuple[int, str, float], ...] = ()  # (step, slowest callee, hop ms) in order
    component: str = ""
    tree: _Tree | None = field(default=None, compare=False, repr=False)

    @cached_property
    def saturated(self) -> frozenset[str]:
        """Saturated components anywhere in its request tree (itself included)."""
        return self.tree.saturated_under(self.component) if self.tree else frozenset()


SyncCalls = dict[str, dict[str, list[Flow]]]  # caller -> callee -> counted flows


def sync_calls(graph: nx.DiGraph, arrays: Arrays | None = None) -> SyncCalls:
    """The calls that count toward latency: sync, with a response, cache misses above 1%.
    `arrays`: the graph's (`Arrays.of(graph)`), when the caller has them."""
    arrays = Arrays.of(graph) if arrays is None else arrays
    sync, threshold = Mode.SYNC, P99_MISS_THRESHOLD + 1e-9
    counts = [
        mode is sync and responds and (hit is None or (1.0 - hit) > threshold)
        for mode, responds, hit in zip(arrays.mode, arrays.responds, arrays.hit_ratio, strict=True)
    ]
    ids, dst, flows, spans = arrays.ids, arrays.edge_dst, arrays.flows, arrays.edge_flows
    calls = {}
    for u, edges in zip(ids, arrays.out_edges, strict=True):
        mine: dict[str, list[Flow]] = {}
        for edge in edges:
            span = spans[edge]
            if len(span) == 1:
                if counts[span.start]:
                    mine[ids[dst[edge]]] = [flows[span.start]]
            else:
                counted = [flows[f] for f in span if counts[f]]
                if counted:
                    mine[ids[dst[edge]]] = counted
        calls[u] = mine
    return calls


def timings(
    graph: nx.DiGraph,
    calls: SyncCalls | None = None,
    own: dict[str, float] | None = None,
    saturated: frozenset[str] = frozenset(),
    order: list[list[str]] | None = None,
) -> dict[str, Timing]:
    """Timing per component, computed bottom-up; sync cycles are cut (and reported elsewhere).

    `own` overrides a component's own time (latency plus queueing delay, or time to first token);
    `saturated` names components past 100% of capacity; `order`, the one-node groups of an
    acyclic graph the calls are part of, in topological order, saves ordering the calls.
    `add` is inlined on the per-call lines: a sum within range is its own, and two terms >= 0
    whose sum is not saturate to LIMIT, exactly as `add` does (see figures).
    """
    calls = sync_calls(graph) if calls is None else calls
    own = own or {}
    nodes = graph.nodes
    result: dict[str, Timing] = {}
    cycles: dict[str, int] = {}  # component -> its cycle, for components in one
    tree = _Tree(calls, saturated, cycles)
    groups = grouped_order(graph, calls) if order is None else order
    get = result.get
    for index, group in enumerate(reversed(groups)):
        members: set[str] | tuple[()] = ()
        if len(group) > 1:
            members = set(group)
            for node in members:
                cycles[node] = index
        for node in group:
            mine = own[node] if node in own else nodes[node]["latency_ms"] or 0.0
            callees = calls[node]
            if not callees:  # a leaf (most components): no step, its own time
                result[node] = _timing(mine, None, mine, (), node, tree)
                continue
            steps: dict[int, tuple[float, str, float]] = {}
            for target, flows in callees.items():
                below_timing = get(target)
                if below_timing is None or target in members:
                    continue
                below = below_timing.total_ms
                for flow in flows:
                    hop = flow.latency_ms
                    cost = 0.0 + hop + below  # add(hop, below)'s own sums, inline when in range
                    if not (hop < LIMIT and cost < LIMIT):
                        cost = LIMIT if hop >= 0.0 and below >= 0.0 else add(hop, below)
                    best = steps.get(flow.step)
                    if best is None or cost > best[0]:
                        steps[flow.step] = (cost, target, hop)
            total = mine
            slowest, slowest_ms = None, -1.0
            for cost, target, _ in steps.values():
                summed = 0.0 + total + cost  # add(total, cost)'s own sums, inline when in range
                if total < LIMIT and summed < LIMIT:
                    total = summed
                else:
                    total = LIMIT if total >= 0.0 and cost >= 0.0 else add(total, cost)
                if cost > slowest_ms:
                    slowest, slowest_ms = target, cost
            ordered = tuple([(step, t, hop) for step, (_, t, hop) in sorted(steps.items())])
            result[node] = _timing(total, slowest, mine, ordered, node, tree)
    return result


def _timing(
    total_ms: float,
    next_hop: str | None,
    own_ms: float,
    steps: tuple[tuple[int, str, float], ...],
    component: str,
    tree: _Tree,
) -> Timing:
    """`Timing(total_ms, next_hop, own_ms, steps, component, tree)`, made at once (`records`)."""
    return made(
        Timing,
        {
            "total_ms": total_ms,
            "next_hop": next_hop,
            "own_ms": own_ms,
            "steps": steps,
            "component": component,
            "tree": tree,
        },
    )


MAX_HOPS = 64  # hops listed per critical path; the rest are shown with their calls folded in


@dataclass(frozen=True)
class Hop:
    """One component's own share of a request's critical time."""

    component: str
    ms: float  # the network time into it plus its own latency and queueing delay
    depth: int  # call depth from the entry point
    step: int  # the step of its caller that called it
    folded: bool = False  # ms includes everything it calls (listed above, or past MAX_HOPS)


def hops(times: dict[str, Timing], start: str) -> list[Hop]:
    """The critical request tree from `start`, hop by hop in call order: each component's own
    time, then, step by step, the slowest callee of that step (sequential steps inside a
    component each appear). A component met again, and everything past MAX_HOPS, is listed once
    with its calls folded into its time, so the list stays linear in the graph. The hops' times
    add up to the total."""
    out: list[Hop] = []
    expanded: set[str] = set()
    stack: list[tuple[str, float, int, int]] = [(start, 0.0, 0, 0)]
    while stack:
        node, into, depth, step = stack.pop()
        timing = times[node]
        if node in expanded or len(out) >= MAX_HOPS:
            out.append(
                Hop(node, add(into, timing.total_ms), depth, step, folded=bool(timing.steps))
            )
            continue
        expanded.add(node)
        out.append(Hop(node, add(into, timing.own_ms), depth, step))
        for s, target, network in reversed(timing.steps):
            stack.append((target, network, depth + 1, s))
    return out


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
