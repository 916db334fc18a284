"""Availability: journeys against the availability SLO, failures and their blast radius, and
figures outside what one replica of a kind plausibly does."""

from __future__ import annotations

from collections.abc import Iterator

from sysdesign.analyses.availability import Blast, Failure
from sysdesign.checks.context import CheckContext
from sysdesign.checks.rule import Hit, rule
from sysdesign.figures import fmt_number, fmt_percent
from sysdesign.kind_figures import PLAUSIBLE, Plausible


@rule(
    "SD701",
    "availability.journey-below-slo",
    "availability",
    "Journey less available than the SLO",
    "error",
    why="""A request is up only when every component it calls is up: availabilities multiply
    along the path, so a long chain of single replicas cannot meet a high SLO.""",
    fix="""Add replicas and zones to the weakest components, take optional calls off the path
    (async, fail open), or state a per-replica `availability` you can defend.""",
)
def journey_below_slo(ctx: CheckContext) -> Iterator[Hit]:
    slo = ctx.view.slo.availability
    for client in ctx.clients:
        nodes = ctx.analyses.journey(client)
        if not nodes:
            continue
        availability = ctx.analyses.journey_availability(client)
        if availability < slo:
            yield Hit(
                f"requests from {client} are up {availability:.5%} of the time (the product of "
                f"{len(nodes)} components in series) against slo.availability {slo:.5%}",
                components=tuple(sorted(nodes)),
            )


def _breaks(blast: Blast) -> Iterator[tuple[str, str]]:
    for client, missing in blast.broken:
        yield client, f"{client} can no longer reach {', '.join(missing)}"


@rule(
    "SD702",
    "availability.failure-breaks-journey",
    "availability",
    "A failure breaks a journey",
    "error",
    why="""With the failed zone or component gone, a client can no longer reach a store, a model
    or a safety filter its requests need.""",
    fix="""Spread the component over more zones, add a standby, or give the journey another
    path.""",
)
def failure_breaks(ctx: CheckContext) -> Iterator[Hit]:
    if ctx.failure is None:
        return
    blast = ctx.analyses.blast(ctx.failure)
    for client, text in _breaks(blast):
        yield Hit(f"losing {ctx.failure.describe()}: {text}", components=(client,))


@rule(
    "SD703",
    "availability.failure-overloads",
    "availability",
    "A failure overloads what is left",
    "error",
    why="""The replicas that survive a failure take its load: without N+1 headroom they
    overload, queue and fail in turn.""",
    fix="""Run enough replicas per zone that losing one zone keeps utilisation under 100% (and
    ideally under the target).""",
)
def failure_overloads(ctx: CheckContext) -> Iterator[Hit]:
    if ctx.failure is None:
        return
    blast = ctx.analyses.blast(ctx.failure)
    for node, ratio in blast.overloaded:
        yield Hit(
            f"losing {ctx.failure.describe()}: {node} runs at {fmt_percent(ratio)} of what is left",
            components=(node,),
        )
    for node, ratio in blast.hot:
        yield Hit(
            f"losing {ctx.failure.describe()}: {node} runs at {fmt_percent(ratio)} of what is "
            f"left (target {fmt_percent(ctx.target_utilization)})",
            components=(node,),
            severity="info",
        )


@rule(
    "SD704",
    "availability.zone-loss-not-survived",
    "availability",
    "Losing one zone is not survived",
    "error",
    why="""The design requires that losing any one zone keeps every journey up; a component in
    one zone only, or too few replicas per zone, breaks that.""",
    fix="""Spread every component a journey needs over at least two zones with enough replicas
    in each to carry the load alone.""",
)
def zone_loss(ctx: CheckContext) -> Iterator[Hit]:
    if not ctx.view.slo.survive_zone_loss:
        return
    origin, source = ctx.slo_origin("survive_zone_loss")
    if not ctx.analyses.zones:
        yield Hit(
            f"{source} requires surviving the loss of any one zone, but no component states its "
            f"zones",
            origin=origin,
        )
        return
    for zone in ctx.analyses.zones:
        blast = ctx.analyses.blast(Failure(zone=zone))
        problems = [text for _, text in _breaks(blast)] + [
            f"{node} at {fmt_percent(ratio)}" for node, ratio in blast.overloaded
        ]
        if problems:
            yield Hit(
                f"{source} requires surviving the loss of any one zone; losing {zone}: "
                f"{'; '.join(problems)}",
                components=tuple(c for c, _ in blast.broken)
                + tuple(n for n, _ in blast.overloaded),
            )


def _ranges(ctx: CheckContext) -> dict[str, tuple[Plausible, str]]:
    ranges = {kind: (p, p.source) for kind, p in PLAUSIBLE.items()}
    for kind, own in ctx.design.checks.plausible.items():
        ranges[str(kind)] = (
            Plausible(own.max_capacity_rps, own.min_latency_ms, own.reason),
            f"the design's checks.plausible: {own.reason}",
        )
    return ranges


@rule(
    "SD705",
    "availability.implausible-figure",
    "availability",
    "Figure outside the plausible range for its kind",
    "warning",
    why="""Capacity and latency per replica have physical limits; a figure far outside them
    makes every downstream number meaningless.""",
    fix="""Use a figure you can defend (a benchmark, a measurement), or override the range in
    `checks.plausible` with the reason.""",
)
def implausible(ctx: CheckContext) -> Iterator[Hit]:
    ranges = _ranges(ctx)
    for node, data in ctx.node_data.items():
        found = ranges.get(data["kind"])
        if found is None:
            continue
        limit, source = found
        capacity, latency = data["capacity_rps"], data["latency_ms"]
        if limit.max_capacity_rps is not None and capacity and capacity > limit.max_capacity_rps:
            yield Hit(
                f"{node} ({data['kind']}) serves {fmt_number(capacity)} req/s per replica; "
                f"plausible at most {fmt_number(limit.max_capacity_rps)} ({source})",
                components=(node,),
            )
        floor = limit.min_latency_ms
        if floor is not None and latency is not None and latency < floor:
            yield Hit(
                f"{node} ({data['kind']}) answers in {fmt_number(latency, 2)} ms at p99; "
                f"plausible at least {fmt_number(floor, 2)} ms ({source})",
                components=(node,),
            )
