"""Peak load per component and per flow, propagated along flows in one linear pass.

A component's load is the sum over incoming flows of the source's load x share x fan_out x
(1 - hit_ratio). Entry points originate load: clients split the design's peak QPS (less what
clients with an explicit `qps` take); schedulers originate only their own `qps`.
Arithmetic saturates (sysdesign.figures): a load beyond 1e300 req/s is held at 1e300, flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from sysdesign.analyses.arrays import Arrays
from sysdesign.figures import LIMIT, add, clamp, div, mul, mul2
from sysdesign.model import Flow


@dataclass(frozen=True)
class Traffic:
    """Load at peak (requests/s) by component id and by flow key."""

    node: dict[str, float]
    flow: dict[str, float]


def flow_adjacency(graph: nx.DiGraph) -> dict[str, dict[str, tuple[Flow, ...]]]:
    """from -> to -> flows, as plain dicts in the graph's order (`adjacency()` yields the graph's
    own neighbour dicts: iterated in C, not through a view per node)."""
    return {u: {v: a["flows"] for v, a in nbrs.items()} for u, nbrs in graph.adjacency()}


def entry_loads(arrays: Arrays, peak_qps: float) -> dict[int, float]:
    """Load each entry point originates, by node index (in graph order)."""
    loads: dict[int, float] = {}
    implicit: list[int] = []
    explicit_total = 0.0
    kinds, components = arrays.kind, arrays.component
    for node, entry in enumerate(arrays.entry):
        if not entry:
            continue
        qps = components[node].qps
        if qps is not None:
            loads[node] = qps
            if kinds[node] == "client":
                explicit_total = add(explicit_total, qps)
        elif kinds[node] == "client":
            implicit.append(node)
        else:
            loads[node] = 0.0
    if implicit:
        each = div(max(add(peak_qps, -explicit_total), 0.0), len(implicit))
        for node in implicit:
            loads[node] = each
    return loads


def _entry_order(group: list[int], arrays: Arrays, origin: dict[int, float]) -> list[int]:
    """Members of a cycle in the order load reaches them: first those fed from outside the cycle
    (or originating load), then along the cycle's own flows; design order breaks ties."""
    members = set(group)
    pred, succ = arrays.pred, arrays.succ
    starts = [n for n in group if origin.get(n) or any(p not in members for p in pred[n])]
    order = list(dict.fromkeys(starts or group[:1]))
    seen = set(order)
    for node in order:  # breadth-first within the cycle
        for nxt in succ[node]:
            if nxt in members and nxt not in seen:
                seen.add(nxt)
                order.append(nxt)
    return order + [n for n in group if n not in seen]


def flow_factors(arrays: Arrays) -> list[float]:
    """Per flow index, how many requests into the target one request at the source becomes:
    `mul(share, fan_out, 1 - hit_ratio)`, as two `mul2` steps (the same figure, see figures);
    without a hit ratio the second step, times 1.0, is the first's product itself (but a zero,
    which `mul` gives as +0.0)."""
    factors = []
    append = factors.append
    for share, fan_out, hit in zip(arrays.share, arrays.fan_out, arrays.hit_ratio, strict=True):
        product = mul2(share, fan_out)
        append(product if hit is None and product else mul2(product, 1.0 - (hit or 0.0)))
    return factors


def propagate(arrays: Arrays, peak_qps: float, factor: float, order: list[list[int]]) -> Traffic:
    """Load per component and flow at `peak_qps` x `factor`, visiting `order` (the graph's
    `grouped_order`, by component index).

    Cycles are cut: inside a strongly connected group, load flows forward from where it entered
    the group; a flow back towards that entry carries load but does not feed it again (a feedback
    loop is not a traffic multiplier). `mul` and `add` are inlined on the per-flow line: loads and
    factors are already within range, so the result is exactly theirs.
    """
    origin = entry_loads(arrays, peak_qps)
    load_of = [0.0] * len(arrays)
    for node, load in origin.items():
        load_of[node] = add(load_of[node], mul(load, factor))
    flow_load: dict[str, float] = {}
    factors = flow_factors(arrays)
    keys, dst, edge_flows = arrays.key, arrays.edge_dst, arrays.edge_flows
    out_edges, out_flows, flow_dst = arrays.out_edges, arrays.out_flows, arrays.flow_dst
    for group in order:
        if len(group) == 1:  # not in a cycle: every flow out of it feeds its target but itself
            node = group[0]
            load = load_of[node]
            for f in out_flows[node]:
                share = factors[f]
                carried = load * share if load and share else 0.0
                if not -LIMIT < carried < LIMIT:
                    carried = clamp(carried)
                flow_load[keys[f]] = carried
                target = flow_dst[f]
                if target != node:
                    total = load_of[target] + carried
                    load_of[target] = total if -LIMIT < total < LIMIT else clamp(total)
            continue
        members = _entry_order(group, arrays, origin)
        rank = {n: i for i, n in enumerate(members)}
        for node in members:
            load = load_of[node]
            for edge in out_edges[node]:
                target = dst[edge]
                feeds = target not in rank or rank[target] > rank[node]
                for f in edge_flows[edge]:
                    carried = mul(load, factors[f])
                    flow_load[keys[f]] = carried
                    if feeds:
                        load_of[target] = add(load_of[target], carried)
    return Traffic(dict(zip(arrays.ids, load_of, strict=True)), flow_load)
