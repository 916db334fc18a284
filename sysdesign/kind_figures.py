"""Figures per kind of component, as data with their sources: the availability of one replica
(used when a component does not state its own) and the plausible range of one replica's capacity
and latency (a figure outside it gets a warning naming the range and the source).

A design overrides a range in `checks.plausible` with a written reason.
"""

from __future__ import annotations

from dataclasses import dataclass

ZONE_AVAILABILITY = 0.999
ZONE_SOURCE = "one availability zone ~99.9% (region-level SLAs of 99.99% assume 3 zones)"

DEFAULT_REPLICA_AVAILABILITY = 0.995
REPLICA_SOURCE = "a single cloud instance ~99.5% (AWS EC2 single-instance SLA, 2022)"

REPLICA_AVAILABILITY: dict[str, tuple[float, str]] = {
    "llm": (0.99, "one GPU model server ~99% (driver faults, OOM restarts; LLM API status pages)"),
    "human_review": (0.9, "a staffed review seat ~90% (shifts, breaks)"),
}


@dataclass(frozen=True)
class Plausible:
    """What one replica of a kind plausibly does."""

    max_capacity_rps: float | None  # per replica
    min_latency_ms: float | None  # own p99 per request
    source: str


PLAUSIBLE: dict[str, Plausible] = {
    "llm": Plausible(
        500,
        20,
        "one GPU serving an LLM: tens to a few hundred requests/s with continuous batching, "
        "p99 >= tens of ms (vLLM / TensorRT-LLM benchmarks)",
    ),
    "embedding_model": Plausible(
        20_000, 1, "one GPU embedding short texts: up to ~10-20K/s (TEI / TensorRT benchmarks)"
    ),
    "ml_model": Plausible(50_000, 0.1, "one CPU/GPU classifier replica (Triton benchmarks)"),
    "search_index": Plausible(
        50_000, 1, "one inverted-index node: ~1-50K queries/s (Lucene / Elasticsearch benchmarks)"
    ),
    "vector_index": Plausible(
        50_000, 0.5, "one ANN node: ~1-50K queries/s at useful recall (ann-benchmarks)"
    ),
    "database": Plausible(
        200_000, 0.2, "one database node: up to ~100-200K simple ops/s (ScyllaDB, PostgreSQL)"
    ),
    "cache": Plausible(2_000_000, 0.05, "one cache node: up to ~1-2M ops/s (Redis, Memcached)"),
}
