"""Structure: orphans, unreachable parts, single points of failure, cycles, missing buffers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sysdesign.analyses.ordering import VIRTUAL_ROOT as ROOT
from sysdesign.analyses.ordering import cycles, immediate_dominators
from sysdesign.checks.context import CheckContext
from sysdesign.checks.rule import Hit, rule
from sysdesign.model import FailureMode, Mode
from sysdesign.taxonomy import BUFFER_KINDS, GUARD_LAYERS


def _holds_data_in(data: dict[str, Any]) -> bool:
    """Stores, and the audit log (a component's node data): losing their only copy loses data."""
    return bool(data["store"]) or "audit_log" in data["layers"]


def _linked(ctx: CheckContext) -> set[str]:
    """Components with at least one flow, in or out (degree > 0; computed once per check)."""
    if "linked" not in ctx.memo:
        arrays = ctx.analyses.arrays
        ids = arrays.ids
        ctx.memo["linked"] = {ids[i] for i in {*arrays.edge_src, *arrays.edge_dst}}
    return ctx.memo["linked"]  # type: ignore[return-value]


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
    linked = _linked(ctx)
    for node in ctx.node_data:
        if node not in linked and not _observer_only(ctx, node):
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
    reached, linked = ctx.reach_along("any", ctx.entries), _linked(ctx)
    lost = [
        n for n in ctx.node_data if n not in reached and n in linked and not _observer_only(ctx, n)
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
        ctx.memo["served"] = ctx.reach_along("sync", ctx.clients)
    return ctx.memo["served"]  # type: ignore[return-value]


def _stores_on_query_path(ctx: CheckContext) -> list[str]:
    """Single-replica stores that clients' synchronous requests reach (a read or a write that
    waits for it): the query path stops with them."""
    if "stores on query path" not in ctx.memo:
        served = _served(ctx)
        ctx.memo["stores on query path"] = [
            n
            for n, data in ctx.node_data.items()
            if data["store"] and data["replicas"] == 1 and data["stateful"] and n in served
        ]
    return ctx.memo["stores on query path"]  # type: ignore[return-value]


def _closed_guards_on_request_path(ctx: CheckContext) -> list[str]:
    """Single-replica guards that fail closed and that clients' synchronous requests reach: in
    series with every request they guard, wherever they are called from. (A guard that fails
    open is not in series for availability; SD213 asks whether that is acceptable.)"""
    served, closed = _served(ctx), FailureMode.CLOSED
    return [
        n
        for n, data in ctx.node_data.items()
        if data["replicas"] == 1
        and not data["layers"].isdisjoint(GUARD_LAYERS)
        and n in served
        and data["component"].failure_mode is closed
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
    nodes, kept_open = ctx.node_data, FailureMode.OPEN
    for node, critical in _critical(ctx).items():
        if not critical or node in guarded:
            continue
        data = nodes[node]
        if (
            data["replicas"] == 1
            and not data["entry"]
            and not _holds_data_in(data)
            and data["component"].failure_mode is not kept_open
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
    nodes = ctx.node_data
    for node, critical in _critical(ctx).items():
        if not critical:
            continue
        data = nodes[node]
        replicas = data["replicas"]
        if replicas > 1:
            zones = data["component"].zones
            if len(zones) == 1:
                message = f"all {replicas} replicas of {node} are in {zones[0]}"
                yield Hit(message, components=(node,))


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
    for node, data in ctx.node_data.items():
        if (
            data["replicas"] == 1
            and data["stateful"]
            and _holds_data_in(data)
            and node not in on_query_path
        ):
            yield Hit(f"{node} keeps its data on one replica", components=(node,))
