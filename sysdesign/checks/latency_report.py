"""The critical paths a report shows: per client, the whole response and, for streamed answers,
the time to first token, each hop by hop."""

from __future__ import annotations

from sysdesign.checks.context import CheckContext
from sysdesign.checks.findings import LatencyPath, PathHop


def budgets(ctx: CheckContext, client: str) -> list[tuple[str, float]]:
    """What a client's requests are judged against: (measure, budget ms).

    A client with a time-to-first-token budget (its own `ttft_budget_ms`, or `slo.ttft_ms` when
    its requests reach a streaming LLM) is judged on its time to first token, and on the whole
    response only when it also sets `latency_budget_ms`; any other client on the whole response
    against its own budget or the design's p99.
    """
    component = ctx.node_data[client]["component"]
    ttft = component.ttft_budget_ms
    if ttft is None and ctx.view.slo.ttft_ms is not None and ctx.analyses.streams(client):
        ttft = ctx.view.slo.ttft_ms
    out: list[tuple[str, float]] = []
    if ttft is None or component.latency_budget_ms is not None:
        out.append(("p99", ctx.budget(client)))
    if ttft is not None:
        out.append(("first token", ttft))
    return out


def latency_path(ctx: CheckContext, client: str, measure: str, budget: float) -> LatencyPath:
    first = measure == "first token"
    analyses = ctx.analyses
    timing = (analyses.first_token_timings if first else analyses.timings)[client]
    hops = tuple(
        PathHop(h.component, h.ms, h.depth, h.step, h.folded) for h in analyses.hops(client, first)
    )
    return LatencyPath(
        client,
        timing.total_ms,
        ctx.critical_path(client),
        budget,
        hops=hops,
        saturated_at=tuple(sorted(timing.saturated)),
        measure=measure,
    )


def latency_paths(ctx: CheckContext) -> list[LatencyPath]:
    """Every client's critical paths, in design order (computed once per check, memoised)."""
    if "latency_paths" not in ctx.memo:
        ctx.memo["latency_paths"] = [
            latency_path(ctx, c, measure, budget)
            for c in ctx.clients
            for measure, budget in budgets(ctx, c)
        ]
    return ctx.memo["latency_paths"]  # type: ignore[return-value]
