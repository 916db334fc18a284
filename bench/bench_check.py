"""Benchmark: check time and growth for generated designs of 1k, 10k and 100k components.

Run: .venv/bin/python bench/bench_check.py [--sizes 1000,10000,100000]
Prints seconds per size (wall and CPU, best of three up to 10k), growth per 10x (1.0 would be
perfectly linear: time ratio / size ratio), peak resident memory (of the whole process, so far:
the generated design included), and a hash of the report (its repr: findings, utilisation,
latency, headroom), so a speed change can show that it changed no result. `--phases` adds one
timed run per size broken down by phase: the view, each analysis every check computes, each rule
family, and the report.
Targets (issue 3): 10k < 1 s, 100k < 10 s within 2 GB, near-linear growth.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import sys
import time
from itertools import pairwise
from typing import Any

from sysdesign.checks import run_checks
from sysdesign.checks.findings import Report
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


def report_hash(report: Report) -> str:
    """A short hash of everything the report holds (its dataclass repr)."""
    return hashlib.sha256(repr(report).encode()).hexdigest()[:16]


def measure(design: Design, repeat: int) -> tuple[float, float, Report]:
    """Best wall and CPU seconds of `run_checks` over `repeat` runs, and the last report."""
    wall = cpu = float("inf")
    report = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        report = run_checks(design)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    assert report is not None
    return wall, cpu, report


def phases(design: Design) -> dict[str, float]:
    """Seconds per phase of one `run_checks` (see its `laps`)."""
    laps: dict[str, float] = {}
    run_checks(design, laps=laps)
    return laps


def print_phases(laps: dict[str, float]) -> None:
    total = sum(laps.values())
    shown = "  ".join(f"{name} {seconds:.3f}" for name, seconds in laps.items())
    print(f"         phases (s, total {total:.3f}): {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument(
        "--phases", action="store_true", help="also time each phase (one more run per size)"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results: list[tuple[int, float, float]] = []
    for n in sizes:
        design = generate(n)
        wall, cpu, report = measure(design, 3 if n <= 10_000 else 1)  # best of three if cheap
        results.append((n, wall, cpu))
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{n:>7} components {len(design.flows):>7} flows: check {wall:7.3f} s "
            f"(CPU {cpu:.3f} s), {len(report.findings)} findings, peak RSS {rss_mb:,.0f} MB, "
            f"report {report_hash(report)}",
            flush=True,
        )
        if args.phases:
            print_phases(phases(design))
    for (n0, t0, c0), (n1, t1, c1) in pairwise(results):
        print(
            f"growth {n0:>7} -> {n1:>7}: time x{t1 / t0:.1f} (CPU x{c1 / c0:.1f}) for size "
            f"x{n1 / n0:.0f} (linearity {t1 / t0 / (n1 / n0):.2f}; 1.00 = linear)"
        )
    sys.exit(0)


if __name__ == "__main__":
    main()
