"""Latency: the slowest synchronous path against the p99 budget."""

from __future__ import annotations

from collections.abc import Iterator

from sysdesign.analyses.latency import unknown_latency
from sysdesign.checks.context import CheckContext
from sysdesign.checks.rule import Hit, rule
from sysdesign.figures import fmt_number


@rule(
    "SD501",
    "latency.over-budget",
    "latency",
    "Critical path over the latency budget",
    "error",
    why="""The slowest synchronous path sets the p99 a user sees; if its sum exceeds the budget,
    no amount of scaling fixes it: the path has to change.""",
    fix="""Shorten the path: parallelise independent calls (same step), cache, move work off the
    request path (async), or use faster models/indexes.""",
)
def over_budget(ctx: CheckContext) -> Iterator[Hit]:
    for client in ctx.clients:
        budget = ctx.budget(client)
        timing = ctx.timings[client]
        if timing.total_ms > budget:
            path = ctx.critical_path(client)
            yield Hit(
                f"slowest path from {client} takes {fmt_number(timing.total_ms, 1)} ms against a "
                f"{fmt_number(budget)} ms budget: {' -> '.join(path)}",
                components=path[1:],
            )


@rule(
    "SD502",
    "latency.unknown",
    "latency",
    "Latency unknown on a request path",
    "info",
    why="""A component on a synchronous path without a latency estimate makes the budget
    unverifiable: the critical path counts its own work as 0 ms, so the total is a lower bound.""",
    fix="""Set latency_ms (its own p99 work per request).""",
)
def latency_unknown(ctx: CheckContext) -> Iterator[Hit]:
    unknown = unknown_latency(ctx.graph, ctx.sync)
    if unknown:
        plural = "s" if len(unknown) != 1 else ""
        yield Hit(
            f"latency not stated for {len(unknown)} component{plural} on a request path: "
            f"counted as 0 ms, so the critical path is a lower bound ({', '.join(unknown)})",
            components=tuple(unknown),
        )
