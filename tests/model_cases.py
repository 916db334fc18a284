"""Failing and passing mutations of the clean test design for the model rules (storage, freshness,
availability, plausibility, load), with the arithmetic each one relies on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from designs import component

Mutation = Callable[[dict[str, Any]], None]


def holds_documents(storage_bytes: float | None, document_bytes: float | None = 5000) -> Mutation:
    """db holds 1M documents x 5 KB = 5 GB; RF 3 over 3 replicas = 5 GB per replica."""

    def mutate(d: dict[str, Any]) -> None:
        d["scale"].update(documents=1_000_000, replication_factor=3)
        if document_bytes is not None:
            d["scale"]["document_bytes"] = document_bytes
        db = component(d, "db")
        db["holds"] = "documents"
        if storage_bytes is not None:
            db["storage_bytes"] = storage_bytes

    return mutate


def update_path(batch_interval_ms: float, latency_ms: float | None = 20) -> Mutation:
    """feeds (10 req/s) -> ingest (1 replica x 100 req/s) -> db, freshness objective 1 s.

    Lag into db: ingest queueing (M/M/1: rho 0.1, 0.1 / (100 - 10) s = 1.11 ms) + its 20 ms +
    its batch interval, then the 1 ms hop + db's 5 ms (+ ~0 queueing at 4% load)."""

    def mutate(d: dict[str, Any]) -> None:
        d["slo"]["freshness_ms"] = 1000
        ingest: dict[str, Any] = {
            "id": "ingest",
            "kind": "worker",
            "replicas": 1,
            "capacity_rps": 100,
            "batch_interval_ms": batch_interval_ms,
        }
        if latency_ms is not None:
            ingest["latency_ms"] = latency_ms
        d["components"] += [{"id": "feeds", "kind": "client", "qps": 10}, ingest]
        d["flows"] += [
            {"from": "feeds", "to": "ingest", "op": "write"},
            {"from": "ingest", "to": "db", "op": "write", "latency_ms": 1},
        ]
        d["accepted"] = [
            {"code": code, "reason": "a test of freshness, not of the rest of the design"}
            for code in ("SD105", "SD207", "SD208", "SD106", "SD205", "SD108", "SD303", "SD304")
        ]

    return mutate


def users_qps(qps: float) -> Mutation:
    """Every client states its qps: users at `qps` against the design's peak of 100 req/s."""

    def mutate(d: dict[str, Any]) -> None:
        component(d, "users")["qps"] = qps

    return mutate


def ttft_objective(model_ttft_ms: float | None) -> Mutation:
    """slo.ttft_ms 800; the model streams only when it states its time to first token."""

    def mutate(d: dict[str, Any]) -> None:
        d["slo"]["ttft_ms"] = 800
        if model_ttft_ms is not None:
            component(d, "model")["ttft_ms"] = model_ttft_ms

    return mutate


def availability_slo(slo: float) -> Mutation:
    """Journey from users: gw, guard, app, cache (2 replicas each, 99.5% per replica: 1 - 0.005^2
    = 0.999975), db (3: 1 - 0.005^3), model (2 LLM replicas at 99%: 1 - 0.01^2 = 0.9999); zones
    are on the same components but counted (1 - 0.001^2 each for gw, guard, app):
    product ~ 0.99979 (see test_models)."""

    def mutate(d: dict[str, Any]) -> None:
        d["slo"]["availability"] = slo

    return mutate


def fail(**failure: str) -> Mutation:
    """Check with one zone or component failed (read by the test harness, not the model)."""

    def mutate(d: dict[str, Any]) -> None:
        d["_fail"] = failure

    return mutate


def model_in_zones(zones: list[str], capacity_rps: float = 60) -> Mutation:
    """model: 2 replicas over `zones`, `capacity_rps` each, 100 req/s. Losing zone a of [a, b]
    leaves 1 replica: 100 / 60 = 167% (overloaded) or 100 / 250 = 40%."""

    def mutate(d: dict[str, Any]) -> None:
        component(d, "model").update(zones=zones, capacity_rps=capacity_rps)

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        for m in mutations:
            m(d)

    return mutate


def survive_zone_loss(d: dict[str, Any]) -> None:
    d["slo"]["survive_zone_loss"] = True


def plausible_override(d: dict[str, Any]) -> None:
    component(d, "model")["capacity_rps"] = 100_000
    d["checks"] = {
        "plausible": {"llm": {"max_capacity_rps": 200_000, "reason": "a cached-answer tier"}}
    }


MODEL_CASES: dict[str, tuple[Mutation, Mutation]] = {
    "SD701": (availability_slo(0.9999), availability_slo(0.999)),
    "SD702": (fail(component="model"), fail(component="metrics")),
    "SD703": (
        both(model_in_zones(["a", "b"]), fail(zone="a")),
        both(model_in_zones(["a", "b"], 250), fail(zone="a")),
    ),
    "SD704": (
        both(model_in_zones(["a"], 250), survive_zone_loss),
        both(model_in_zones(["a", "b"], 250), survive_zone_loss),
    ),
    "SD705": (lambda d: component(d, "model").update(capacity_rps=100_000), plausible_override),
    "SD405": (users_qps(50), users_qps(100)),
    "SD503": (ttft_objective(None), ttft_objective(100)),
    "SD601": (holds_documents(1e9), holds_documents(1e10)),
    "SD602": (holds_documents(1e10, document_bytes=None), holds_documents(1e10)),
    "SD611": (update_path(2000), update_path(500)),
    "SD612": (update_path(500, latency_ms=None), update_path(500)),
}
