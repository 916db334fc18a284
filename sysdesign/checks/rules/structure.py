"""Structure: orphans, unreachable parts, single points of failure, cycles, missing buffers."""

from __future__ import annotations

from collections.abc import Iterator

from sysdesign.analyses.ordering import VIRTUAL_ROOT as ROOT
from sysdesign.analyses.ordering import cycles, immediate_dominators
from sysdesign.checks.context import CheckContext, reach
from sysdesign.checks.rule import Hit, rule
from sysdesign.model import FailureMode, Mode
from sysdesign.taxonomy import BUFFER_KINDS, GUARD_LAYERS


def _holds_data(ctx: CheckContext, node: str) -> bool:
    """Stores, and the audit log: losing their only copy loses data."""
    return bool(ctx.node_data[node]["store"]) or ctx.has_layer(node, "audit_log")


def _observer_only(ctx: CheckContext, node: str) -> bool:
    return bool(ctx.node_data[node]["component"].observes)


@rule(
    "SD301",
    "structure.orphan",
    "structure",
    "Component with no flows",
    "warning",
    why="""A box with no arrows is either unexplained or forgotten; interviewers ask what it is
    for and who calls it.""",
    fix="""Connect it with the flows it takes part in, or remove it.""",
)
def orphan(ctx: CheckContext) -> Iterator[Hit]:
    for node in ctx.graph:
        if ctx.graph.degree(node) == 0 and not _observer_only(ctx, node):
            yield Hit(f"{node} has no flows", components=(node,))


@rule(
    "SD302",
    "structure.unreachable",
    "structure",
    "Unreachable from any entry point",
    "warning",
    why="""Every component should be reached from a client or a scheduler; otherwise nothing
    drives it, or the flows that do are missing from the design.""",
    fix="""Add the flow that drives it, or a scheduler entry point for background work.""",
)
def unreachable(ctx: CheckContext) -> Iterator[Hit]:
    reached = reach(ctx.forward, ctx.entries)
    lost = [
        n
        for n in ctx.graph
        if n not in reached and ctx.graph.degree(n) > 0 and not _observer_only(ctx, n)
    ]
    if lost:
        hint = "" if ctx.entries else " (the design has no client or scheduler)"
        yield Hit(
            f"{', '.join(lost[:8])}{' ...' if len(lost) > 8 else ''} cannot be reached from any "
            f"entry point{hint}",
            components=tuple(lost),
        )


def _critical(ctx: CheckContext) -> dict[str, bool]:
    """Per node: whether losing it cuts clients (or, for background work, any entry point) off
    from a store, an audit log or an LLM that it dominates."""
    if "critical" not in ctx.memo:
        from_clients = _dominating(ctx, ctx.clients)
        same_roots = len(ctx.entries) == len(ctx.clients)
        from_entries = from_clients if same_roots else _dominating(ctx, ctx.entries)
        ctx.memo["critical"] = {
            n: from_clients.get(n, False) or from_entries.get(n, False)
            for n in from_clients.keys() | from_entries.keys()
        }
    return ctx.memo["critical"]  # type: ignore[return-value]


def _dominating(ctx: CheckContext, roots: list[str]) -> dict[str, bool]:
    """Per node reached from `roots`: whether it dominates something that holds data or a model
    (every route from the roots to it passes through the node)."""
    if not roots:
        return {}
    arrays = ctx.analyses.arrays  # over component indexes: ints hash cheaper than ids
    if "forward by index" not in ctx.memo:
        ctx.memo["forward by index"] = dict(enumerate(arrays.succ))
    successors: dict[int, list[int]] = ctx.memo["forward by index"]  # type: ignore[assignment]
    idom = immediate_dominators(successors, [arrays.index[r] for r in roots])
    children: dict[object, list[int]] = {}
    for node, dom in idom.items():
        children.setdefault(dom, []).append(node)  # type: ignore[arg-type]
    order: list[object] = [ROOT]
    for node in order:  # breadth-first over the dominator tree
        order.extend(children.get(node, ()))
    holds: dict[int, bool] = {}
    store, layers = arrays.store, arrays.layers
    for node in reversed(order):
        if node == ROOT:
            continue
        i: int = node  # type: ignore[assignment]
        own = bool(store[i]) or not layers[i].isdisjoint(("audit_log", "llm"))
        holds[i] = own or any(holds[c] for c in children.get(i, ()))
    ids = arrays.ids
    return {ids[i]: held for i, held in holds.items()}


def _served(ctx: CheckContext) -> set[str]:
    """What clients' synchronous requests reach (computed once per check)."""
    if "served" not in ctx.memo:
        ctx.memo["served"] = reach(ctx.sync_forward, ctx.clients)
    return ctx.memo["served"]  # type: ignore[return-value]


def _stores_on_query_path(ctx: CheckContext) -> list[str]:
    """Single-replica stores that clients' synchronous requests reach (a read or a write that
    waits for it): the query path stops with them."""
    served = _served(ctx)
    return [
        n
        for n in ctx.graph
        if n in served
        and ctx.node_data[n]["store"]
        and ctx.node_data[n]["stateful"]
        and ctx.node_data[n]["replicas"] == 1
    ]


def _closed_guards_on_request_path(ctx: CheckContext) -> list[str]:
    """Single-replica guards that fail closed and that clients' synchronous requests reach: in
    series with every request they guard, wherever they are called from. (A guard that fails
    open is not in series for availability; SD213 asks whether that is acceptable.)"""
    served = _served(ctx)
    return [
        n
        for n in ctx.graph
        if n in served
        and ctx.node_data[n]["layers"] & set(GUARD_LAYERS)
        and ctx.node_data[n]["component"].failure_mode is FailureMode.CLOSED
        and ctx.node_data[n]["replicas"] == 1
    ]


@rule(
    "SD303",
    "structure.single-point-of-failure",
    "structure",
    "Single point of failure",
    "error",
    why="""One replica on the only route to a store or a model means one crash (or one deploy)
    takes the product down; availability multiplies along a path.""",
    fix="""Run at least two replicas (in different zones), or add a second route.""",
)
def single_point_of_failure(ctx: CheckContext) -> Iterator[Hit]:
    for store in _stores_on_query_path(ctx):
        yield Hit(
            f"{store} keeps its data on one replica and clients' synchronous requests read it: "
            "one crash takes the query path down",
            components=(store,),
        )
    closed_guards = _closed_guards_on_request_path(ctx)
    guarded = set(closed_guards)
    for guard in closed_guards:
        yield Hit(
            f"{guard} fails closed and has one replica: when it is down, every request it "
            "guards is refused",
            components=(guard,),
        )
    holds = _critical(ctx)
    for node, critical in holds.items():
        if (
            critical
            and ctx.node_data[node]["replicas"] == 1
            and not ctx.node_data[node]["entry"]
            and not _holds_data(ctx, node)
            and ctx.node_data[node]["component"].failure_mode is not FailureMode.OPEN
            and node not in guarded
        ):
            yield Hit(
                f"{node} has one replica and every route from the entry points to a store or "
                "model below it passes through it",
                components=(node,),
            )


@rule(
    "SD304",
    "structure.single-zone",
    "structure",
    "Critical replicas all in one zone",
    "warning",
    why="""Replicas in one availability zone fail together; a zone outage is a routine event at
    the availability targets these systems claim.""",
    fix="""Spread the replicas over at least two zones (list them in `zones`).""",
)
def single_zone(ctx: CheckContext) -> Iterator[Hit]:
    holds = _critical(ctx)
    for node, critical in holds.items():
        zones = ctx.node_data[node]["component"].zones
        if critical and ctx.node_data[node]["replicas"] > 1 and len(zones) == 1:
            yield Hit(
                f"all {ctx.node_data[node]['replicas']} replicas of {node} are in {zones[0]}",
                components=(node,),
            )


@rule(
    "SD305",
    "structure.sync-cycle",
    "structure",
    "Synchronous call cycle",
    "error",
    why="""A cycle of synchronous calls can deadlock, amplifies retries and has no finite latency
    bound; interviewers treat it as a design error.""",
    fix="""Break the cycle: make one hop asynchronous (through a queue) or restructure the
    calls.""",
)
def sync_cycle(ctx: CheckContext) -> Iterator[Hit]:
    if ctx.analyses.acyclic:
        return  # no cycle of flows at all
    calls = ctx.sync_forward
    for group in cycles(ctx.graph, calls):
        yield Hit(f"synchronous cycle through {', '.join(group)}", components=tuple(group))


@rule(
    "SD306",
    "structure.async-without-buffer",
    "structure",
    "Asynchronous flow without a buffer",
    "warning",
    why="""'Async' needs somewhere for the message to wait: without a queue or stream, a slow or
    dead consumer means lost work, and there is no backlog to scale on or replay.""",
    fix="""Route the flow through a queue or stream, or make it synchronous.""",
)
def async_without_buffer(ctx: CheckContext) -> Iterator[Hit]:
    nodes = ctx.node_data
    mode, edge_flows, asynchronous = (
        ctx.analyses.arrays.mode,
        ctx.analyses.arrays.edge_flows,
        Mode.ASYNC,
    )
    for (u, v, flows), span in zip(ctx.flow_edges, edge_flows, strict=True):
        if len(span) == 1:  # most edges
            if mode[span.start] is not asynchronous:
                continue
        elif all(mode[f] is not asynchronous for f in span):
            continue
        if nodes[u]["kind"] in BUFFER_KINDS or nodes[v]["kind"] in BUFFER_KINDS:
            continue
        if nodes[v]["family"] == "observability":
            continue  # telemetry is fire-and-forget by design
        for flow in flows:
            if flow.mode is Mode.ASYNC:
                yield Hit(f"{flow.key} is asynchronous with no queue or stream", components=(u, v))


@rule(
    "SD307",
    "structure.unreplicated-store",
    "structure",
    "Store without replication",
    "warning",
    why="""A single copy of data is lost with its disk; interviewers expect a replication factor
    and what happens to reads and writes when a replica dies.""",
    fix="""Give the store replicas >= 2 (3 for quorum) and say how they are kept consistent.""",
)
def unreplicated_store(ctx: CheckContext) -> Iterator[Hit]:
    on_query_path = set(_stores_on_query_path(ctx))  # SD303 reports those as errors
    for node in ctx.graph:
        if (
            _holds_data(ctx, node)
            and ctx.node_data[node]["stateful"]
            and ctx.node_data[node]["replicas"] == 1
            and node not in on_query_path
        ):
            yield Hit(f"{node} keeps its data on one replica", components=(node,))
