"""Benchmark: check time and growth for generated designs of 1k, 10k and 100k components.

Run: .venv/bin/python bench/bench_check.py [--sizes 1000,10000,100000]
Prints seconds per size (best of three up to 10k), growth per 10x (1.0 would be perfectly
linear: time ratio / size ratio), and peak resident memory.
Targets (issue 3): 10k < 1 s, 100k < 10 s within 2 GB, near-linear growth.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from itertools import pairwise
from typing import Any

from sysdesign.checks import run_checks
from sysdesign.model import Design

KINDS = [
    "service",
    "service",
    "cache",
    "database",
    "worker",
    "queue",
    "llm",
    "safety_filter",
    "search_index",
    "vector_index",
    "embedding_model",
    "audit_log",
]


def generate(n: int, seed: int = 7) -> Design:
    """A layered random design: ~3 flows per component, every kind of rule exercised."""
    return Design.model_validate(generate_data(n, seed), strict=False)


def generate_data(n: int, seed: int = 7) -> dict[str, Any]:
    """The data of `generate(n)`, as a YAML file would hold it (bench_peer writes it out)."""
    rng = random.Random(seed)
    components: list[dict[str, Any]] = [
        {"id": "users", "kind": "client"},
        {
            "id": "gw",
            "kind": "api_gateway",
            "roles": ["auth", "rate_limiter", "load_balancer"],
            "replicas": 4,
            "capacity_rps": 1e6,
            "latency_ms": 2,
        },
        {"id": "metrics", "kind": "metrics", "replicas": 2, "observes": ["*"]},
    ]
    flows: list[dict[str, Any]] = [{"from": "users", "to": "gw"}]
    ids = []
    for i in range(n - len(components)):
        kind = KINDS[i % len(KINDS)]
        cid = f"c{i}"
        ids.append((cid, kind))
        components.append(
            {
                "id": cid,
                "kind": kind,
                "replicas": rng.choice([1, 2, 3]),
                "capacity_rps": rng.choice([100, 1000, 10000]),
                "latency_ms": rng.choice([1, 5, 20]),
            }
        )
    width = 50
    for index, (cid, _kind) in enumerate(ids):
        if index < width:
            flows.append({"from": "gw", "to": cid, "share": 0.02})
        targets = (
            {rng.randrange(index + 1, min(index + 1 + 4 * width, len(ids))) for _ in range(3)}
            if index + 1 < len(ids)
            else set()
        )
        for step, t in enumerate(sorted(targets), start=1):
            op = "write" if ids[t][1] in ("queue", "audit_log") else "read"
            mode = "async" if op == "write" else "sync"
            flows.append(
                {"from": cid, "to": ids[t][0], "op": op, "mode": mode, "step": step, "share": 0.3}
            )
    data = {
        "id": "bench",
        "title": "Bench",
        "prompt": "p",
        "profiles": ["rag"],
        "requirements": {"screens": ["corpus"]},
        "scale": {"peak_qps": 1e5},
        "slo": {"p99_latency_ms": 500},
        "components": components,
        "flows": flows,
    }
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    results: list[tuple[int, float, int]] = []
    for n in sizes:
        design = generate(n)
        elapsed = float("inf")
        for _ in range(3 if n <= 10_000 else 1):  # best of three where that is cheap
            start = time.perf_counter()
            report = run_checks(design)
            elapsed = min(elapsed, time.perf_counter() - start)
        results.append((n, elapsed, len(report.findings)))
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{n:>7} components {len(design.flows):>7} flows: check {elapsed:7.3f} s, "
            f"{len(report.findings)} findings, peak RSS {rss_mb:,.0f} MB",
            flush=True,
        )
    for (n0, t0, _), (n1, t1, _) in pairwise(results):
        print(
            f"growth {n0:>7} -> {n1:>7}: time x{t1 / t0:.1f} for size x{n1 / n0:.0f} "
            f"(linearity {t1 / t0 / (n1 / n0):.2f}; 1.00 = linear)"
        )
    sys.exit(0)


if __name__ == "__main__":
    main()
