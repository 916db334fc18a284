"""A small design that checks clean, as plain data, for tests to break one rule at a time."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from sysdesign.loader import parse_design
from sysdesign.model import Design

BASE: dict[str, Any] = {
    "id": "clean",
    "title": "Clean assistant",
    "prompt": "Design a question-answering assistant.",
    "scale": {"peak_qps": 100},
    "slo": {"p99_latency_ms": 1000},
    "components": [
        {"id": "users", "kind": "client"},
        {
            "id": "gw",
            "kind": "api_gateway",
            "roles": ["auth", "rate_limiter", "load_balancer"],
            "replicas": 2,
            "zones": ["a", "b"],
            "capacity_rps": 1000,
            "latency_ms": 2,
        },
        {
            "id": "guard",
            "kind": "safety_filter",
            "screens": ["input", "output"],
            "failure_mode": "closed",
            "replicas": 2,
            "zones": ["a", "b"],
            "capacity_rps": 1000,
            "latency_ms": 10,
        },
        {
            "id": "app",
            "kind": "service",
            "replicas": 2,
            "zones": ["a", "b"],
            "capacity_rps": 1000,
            "latency_ms": 5,
        },
        {"id": "cache", "kind": "cache", "replicas": 2, "capacity_rps": 10000, "latency_ms": 1},
        {
            "id": "db",
            "kind": "database",
            "replicas": 3,
            "capacity_rps": 1000,
            "latency_ms": 5,
            "system_of_record": True,
        },
        {"id": "model", "kind": "llm", "replicas": 2, "capacity_rps": 100, "latency_ms": 200},
        {"id": "events", "kind": "stream", "replicas": 3, "capacity_rps": 10000, "latency_ms": 2},
        {"id": "audit", "kind": "audit_log", "replicas": 3, "capacity_rps": 1000, "latency_ms": 2},
        {"id": "metrics", "kind": "metrics", "replicas": 2, "observes": ["*"]},
    ],
    "flows": [
        {"from": "users", "to": "gw"},
        {"from": "gw", "to": "guard"},
        {"from": "guard", "to": "app"},
        {"from": "app", "to": "cache", "step": 1},
        {"from": "cache", "to": "db", "hit_ratio": 0.9},
        {"from": "app", "to": "model", "step": 2},
        {"id": "app-write", "from": "app", "to": "db", "op": "write", "step": 3},
        {"from": "app", "to": "events", "op": "write", "mode": "async"},
        {"from": "guard", "to": "events", "op": "write", "mode": "async"},
        {"from": "events", "to": "audit", "op": "write", "mode": "async"},
    ],
}


def data() -> dict[str, Any]:
    """A fresh deep copy of the clean design."""
    return copy.deepcopy(BASE)


def component(d: dict[str, Any], cid: str) -> dict[str, Any]:
    return next(c for c in d["components"] if c["id"] == cid)


def remove_component(d: dict[str, Any], cid: str) -> None:
    d["components"] = [c for c in d["components"] if c["id"] != cid]
    d["flows"] = [f for f in d["flows"] if cid not in (f["from"], f["to"])]


def remove_flow(d: dict[str, Any], src: str, dst: str) -> None:
    d["flows"] = [f for f in d["flows"] if (f["from"], f["to"]) != (src, dst)]


def build(d: dict[str, Any]) -> Design:
    return parse_design(yaml.safe_dump(d, sort_keys=False), "test.yaml")
