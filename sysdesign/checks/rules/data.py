"""Data: stores that cannot hold what they must, and updates slower than the freshness objective."""

from __future__ import annotations

from collections.abc import Iterator

from sysdesign.analyses.units import human_bytes, human_ms
from sysdesign.checks.context import CheckContext
from sysdesign.checks.rule import Hit, rule


@rule(
    "SD601",
    "data.does-not-fit",
    "data",
    "Store cannot hold its data",
    "error",
    why="""Data that does not fit on a store's replicas (or an index that must sit in memory and
    does not) is a redesign, not a tuning knob: more shards, a tier, compression or another
    index structure.""",
    fix="""Add shards or replicas, hold a tier (`holds_share`), keep the data on disk instead of
    in memory, or state a bigger `storage_bytes`/`memory_bytes` per replica.""",
)
def does_not_fit(ctx: CheckContext) -> Iterator[Hit]:
    for fit in ctx.analyses.fits:
        if fit.fits is False:
            assert fit.need_bytes is not None and fit.have_bytes is not None
            yield Hit(
                f"{fit.component} must keep {human_bytes(fit.need_bytes)} per replica in "
                f"{fit.medium} ({fit.derivation}) but one replica has "
                f"{human_bytes(fit.have_bytes)} ({fit.need_bytes / fit.have_bytes:.1f}x)",
                components=(fit.component,),
            )


@rule(
    "SD602",
    "data.size-not-stated",
    "data",
    "Data size not stated",
    "info",
    why="""Whether a store holds its data is arithmetic on stated figures; without them it is a
    guess.""",
    fix="""State the figures named (scale: documents, document_bytes, vector_bytes,
    replication_factor, ingest_bytes_per_day, retention_days; per replica: storage_bytes or
    memory_bytes).""",
)
def size_not_stated(ctx: CheckContext) -> Iterator[Hit]:
    for fit in ctx.analyses.fits:
        if fit.not_stated:
            yield Hit(
                f"{fit.component}: not stated: {', '.join(fit.not_stated)}",
                components=(fit.component,),
            )


def _objective(ctx: CheckContext) -> float | None:
    return ctx.view.slo.freshness_ms


@rule(
    "SD611",
    "data.stale",
    "data",
    "Updates slower than the freshness objective",
    "error",
    why="""An update is only useful once reads can see it; batch intervals, refreshes and queues
    on the way add up, and the slowest hop usually dominates.""",
    fix="""Shorten the hop with the largest share: smaller batch or refresh intervals, a fast path
    for updates, more consumers where the queue waits, or a delta index next to the main one.""",
)
def stale(ctx: CheckContext) -> Iterator[Hit]:
    objective = _objective(ctx)
    if objective is None:
        return
    lags = ctx.analyses.lags
    origin, source = ctx.slo_origin("freshness_ms")
    if not lags:
        yield Hit(
            f"{source} requires updates to be readable within {human_ms(objective)} "
            f"(slo.freshness_ms) but no write, stream or async path reaches a store that serves "
            f"reads",
            origin=origin,
        )
        return
    for lag in lags:
        if lag.saturated:
            yield Hit(
                f"updates into {lag.target} queue without bound: {', '.join(lag.saturated)} "
                f"saturated ({source} requires {human_ms(objective)}): {' -> '.join(lag.path)}",
                components=(lag.target, *lag.saturated),
            )
        elif lag.total_ms > objective:
            shares = ", ".join(
                f"{h.component} {human_ms(h.ms)} ({h.ms / lag.total_ms:.0%}"
                + (f", batch {human_ms(h.batch_ms)}" if h.batch_ms else "")
                + ")"
                for h in lag.hops[1:]
            )
            yield Hit(
                f"an update reaches {lag.target} in {human_ms(lag.total_ms)} (p99) but {source} "
                f"requires {human_ms(objective)} (slo.freshness_ms): {lag.hops[0].component} -> "
                f"{shares}",
                components=(lag.target,),
            )


@rule(
    "SD612",
    "data.freshness-unknown",
    "data",
    "Freshness not verifiable",
    "info",
    why="""A hop without a stated latency makes the update lag a lower bound.""",
    fix="""Set latency_ms (and batch_interval_ms where it batches) on the components named.""",
)
def freshness_unknown(ctx: CheckContext) -> Iterator[Hit]:
    if _objective(ctx) is None:
        return
    unknown = sorted({n for lag in ctx.analyses.lags for n in lag.unknown})
    if unknown:
        yield Hit(
            f"update lag is a lower bound: no latency_ms for {', '.join(unknown)}",
            components=tuple(unknown),
        )
