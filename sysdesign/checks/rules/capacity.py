"""Capacity: propagated peak load against replicas x per-replica capacity."""

from __future__ import annotations

from collections.abc import Iterator

from sysdesign.checks.context import CheckContext
from sysdesign.checks.rule import Hit, rule
from sysdesign.figures import div, fmt_number, fmt_percent, mul


def _loaded(ctx: CheckContext) -> list[tuple[str, float, float | None]]:
    """(component, peak load, capacity or None) for every loaded component but the entry
    points, in design order (computed once per check)."""
    if "loaded" not in ctx.memo:
        nodes, capacities = ctx.node_data, ctx.analyses.capacities
        ctx.memo["loaded"] = [
            (node, load, capacities[node])
            for node, load in ctx.traffic.node.items()
            if load > 0 and not nodes[node]["entry"]
        ]
    return ctx.memo["loaded"]  # type: ignore[return-value]


@rule(
    "SD401",
    "capacity.over-capacity",
    "capacity",
    "Over capacity at peak",
    "error",
    why="""Load above capacity is queueing without bound: latency grows until timeouts, retries
    add load, and the failure cascades upstream.""",
    fix="""Add replicas, raise per-replica capacity (batching, bigger instances), cache in front,
    or shed load; `--scale` shows at what multiple it breaks.""",
)
def over_capacity(ctx: CheckContext) -> Iterator[Hit]:
    for node, load, capacity in _loaded(ctx):
        if capacity and load > capacity:
            yield Hit(
                f"{node} receives {fmt_number(load)} req/s at peak but "
                f"{ctx.node_data[node]['replicas']} replicas serve {fmt_number(capacity)} "
                f"({fmt_percent(div(load, capacity))})",
                components=(node,),
            )


@rule(
    "SD402",
    "capacity.over-target",
    "capacity",
    "Above target utilisation",
    "warning",
    why="""Running hot leaves no headroom for a replica or zone failure, a deploy, or a burst
    above the estimated peak; queueing delay rises steeply past ~70%.""",
    fix="""Add replicas until peak load is under the target (slo.target_utilization).""",
)
def over_target(ctx: CheckContext) -> Iterator[Hit]:
    target = ctx.target_utilization
    for node, load, capacity in _loaded(ctx):
        if capacity and mul(target, capacity) < load <= capacity:
            yield Hit(
                f"{node} runs at {fmt_percent(div(load, capacity))} at peak (target "
                f"{fmt_percent(ctx.target_utilization)}): {fmt_number(load)} of "
                f"{fmt_number(capacity)} req/s",
                components=(node,),
            )


@rule(
    "SD403",
    "capacity.unknown",
    "capacity",
    "Capacity unknown",
    "info",
    why="""A component that takes load without a stated capacity cannot be sized; say what one
    replica serves. The capacity checks (SD401, SD402) skip it rather than invent a figure.""",
    fix="""Set capacity_rps (requests/s per replica).""",
)
def capacity_unknown(ctx: CheckContext) -> Iterator[Hit]:
    nodes = ctx.node_data
    unknown = [n for n, _, _ in _loaded(ctx) if not nodes[n]["capacity_rps"]]
    if unknown:
        yield Hit(
            f"capacity not stated for {_count(unknown)}: capacity checks skipped for them "
            f"({', '.join(unknown)})",
            components=tuple(unknown),
        )


@rule(
    "SD404",
    "capacity.replicas-unstated",
    "capacity",
    "Replica count not stated",
    "info",
    why="""A box with no replica count is one instance: the single-point-of-failure, replication
    and capacity checks count it as one replica. Say how many run, so the checks judge the design
    you mean rather than a default.""",
    fix="""Set replicas on each component that serves requests (1 is a legitimate answer; then
    say why one instance is enough).""",
)
def replicas_unstated(ctx: CheckContext) -> Iterator[Hit]:
    unstated = [
        n
        for n in ctx.graph
        if not ctx.node_data[n]["entry"]
        and "replicas" not in ctx.node_data[n]["component"].model_fields_set
    ]
    if unstated:
        yield Hit(
            f"replicas not stated for {_count(unstated)}: each counted as one replica "
            f"({', '.join(unstated)})",
            components=tuple(unstated),
        )


@rule(
    "SD405",
    "capacity.peak-without-clients",
    "capacity",
    "Peak load not carried by any client",
    "error",
    why="""When every client states its own qps, the design's peak_qps reaches the components
    only through them; a peak the clients do not add up to is load the design never carries,
    so every capacity figure is too optimistic.""",
    fix="""Raise the clients' qps to add up to scale.peak_qps (or leave one client without qps to
    take the rest), or correct peak_qps.""",
)
def peak_without_clients(ctx: CheckContext) -> Iterator[Hit]:
    clients = [ctx.node_data[c]["component"] for c in ctx.clients]
    if not clients or any(c.qps is None for c in clients):
        return
    stated = sum(c.qps for c in clients)  # type: ignore[misc]
    peak = ctx.view.scale.peak_qps
    if stated < peak * (1 - PEAK_TOLERANCE):
        origin, source = ctx.slo_origin("peak_qps", "scale")
        shares = ", ".join(f"{c.id} {fmt_number(c.qps)}" for c in clients)  # type: ignore[arg-type]
        yield Hit(
            f"{source} sets peak_qps to {fmt_number(peak)} req/s but the clients originate "
            f"{fmt_number(stated)} req/s ({shares}): {fmt_number(peak - stated)} req/s reach no "
            f"component",
            origin=origin,
        )


PEAK_TOLERANCE = 0.01  # clients may round their shares


def _count(names: list[str]) -> str:
    return f"{len(names)} component{'s' if len(names) != 1 else ''}"
