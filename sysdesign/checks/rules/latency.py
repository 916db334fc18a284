"""Latency: the slowest synchronous path, with queueing under load, against each client's budget."""

from __future__ import annotations

from collections.abc import Iterator

from sysdesign.analyses.latency import unknown_latency
from sysdesign.checks.context import CheckContext
from sysdesign.checks.latency_report import latency_paths
from sysdesign.checks.rule import Hit, rule
from sysdesign.figures import fmt_number


@rule(
    "SD501",
    "latency.over-budget",
    "latency",
    "Critical path over the latency budget",
    "error",
    why="""The slowest synchronous path sets the p99 a user sees; if its sum exceeds the budget,
    no amount of scaling fixes it: the path has to change. A component past its capacity queues
    without bound, so a path through it meets no budget at all.""",
    fix="""Shorten the path: parallelise independent calls (same step), cache, move work off the
    request path (async), or use faster models/indexes; add capacity where a hop is saturated.""",
)
def over_budget(ctx: CheckContext) -> Iterator[Hit]:
    for path in latency_paths(ctx):
        what = "time to first token" if path.measure == "first token" else "slowest path"
        if path.saturated_at:
            yield Hit(
                f"{what} from {path.entry} cannot meet its {fmt_number(path.budget_ms)} ms budget: "
                f"{', '.join(path.saturated_at)} saturated (load at or past capacity)",
                components=path.saturated_at,
            )
        elif not path.fits:
            yield Hit(
                f"{what} from {path.entry} takes {fmt_number(path.total_ms, 1)} ms against a "
                f"{fmt_number(path.budget_ms)} ms budget: {' -> '.join(path.path)}",
                components=path.path[1:],
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


@rule(
    "SD503",
    "latency.no-streamed-journey",
    "latency",
    "Time-to-first-token objective without a streamed answer",
    "error",
    why="""A time-to-first-token objective says some caller gets an LLM's answer as a stream;
    if no client's requests reach a streaming LLM, the design does not serve that caller.""",
    fix="""Draw the journey: a client whose synchronous calls reach an LLM that states `ttft_ms`
    (and give that client its own `ttft_budget_ms` if it differs).""",
)
def no_streamed_journey(ctx: CheckContext) -> Iterator[Hit]:
    objective = ctx.view.slo.ttft_ms
    if objective is None or any(ctx.analyses.streams(c) for c in ctx.clients):
        return
    origin, source = ctx.slo_origin("ttft_ms")
    yield Hit(
        f"{source} requires streamed answers with a first token within {fmt_number(objective)} ms "
        f"(slo.ttft_ms) but no client's requests reach an LLM that streams (states ttft_ms)",
        origin=origin,
    )
