"""Benchmark: `sysdesign render` (the Python SVG render) against bare `dot -Tsvg` on the same DOT.

    .venv/bin/python bench/bench_render.py [--components 200] [--repeat 5]
        [--splines spline,polyline,ortho]

Generates a layered design of N components (clients, gateways, services in tiers, caches, stores,
queues, workers, models), then for each splines setting times

  render: build the scene, the DOT through `diagrams`, run dot, embed icons (`render_scene(svg)`)
  dot:    `dot -Tsvg` alone on the DOT that render produced

and prints their ratio (target: at most 1.3) and each splines setting relative to the fastest.
Figures are ratios of medians, so they hold across machines of different speed.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sysdesign.model import Design
from sysdesign.render.dot_graph import build_dot
from sysdesign.render.graphviz_run import dot_command, dot_executable
from sysdesign.render.output import render_scene
from sysdesign.render.scene import build_scene

TIERS = [  # (kind, share of components, group)
    ("client", 0.02, None),
    ("load_balancer", 0.02, "edge"),
    ("api_gateway", 0.03, "edge"),
    ("safety_filter", 0.03, "app"),
    ("service", 0.30, "app"),
    ("cache", 0.10, "data"),
    ("database", 0.12, "data"),
    ("queue", 0.05, "async"),
    ("worker", 0.13, "async"),
    ("llm", 0.05, "models"),
    ("object_store", 0.05, "data"),
]


def generate(n: int, seed: int = 7) -> Design:
    """A layered design with about `n` components and two to three flows each."""
    rng = random.Random(seed)
    components: list[dict] = []
    layers: list[list[str]] = []
    counts = [max(1, int(n * share)) for _, share, _ in TIERS]
    counts[[kind for kind, _, _ in TIERS].index("service")] += max(0, n - sum(counts))
    for (kind, _, group), count in zip(TIERS, counts, strict=True):
        ids = [f"{kind.replace('_', '-')}-{i}" for i in range(count)]
        layers.append(ids)
        for cid in ids:
            component: dict = {"id": cid, "kind": kind, "replicas": rng.choice([1, 2, 3, 6, 12])}
            if group:
                component["group"] = group
            if rng.random() < 0.3:
                component["technology"] = rng.choice(["Go", "Redis", "Postgres", "vLLM"])
            components.append(component)
    components = components[:n]
    known = {c["id"] for c in components}
    layers = [[c for c in layer if c in known] for layer in layers]
    layers = [layer for layer in layers if layer]
    flows: list[dict] = []
    seen: set[tuple[str, str]] = set()

    def add(a: str, b: str, **extra: object) -> None:
        if a != b and (a, b) not in seen:
            seen.add((a, b))
            flows.append({"from": a, "to": b, **extra})

    for upper, lower in itertools.pairwise(layers):
        for cid in lower:
            add(rng.choice(upper), cid, label=rng.choice(["", "read", "write", "GET /x"]) or None)
        for cid in upper:
            for target in rng.sample(lower, min(2, len(lower))):
                mode = "async" if rng.random() < 0.2 else "sync"
                add(cid, target, mode=mode)
    for llm in layers[-2][:3]:  # responses streamed back to the callers: backward edges
        add(llm, layers[0][0], mode="async", op="stream", label="tokens")
    flows = [{k: v for k, v in f.items() if v is not None} for f in flows]
    groups = [{"id": g} for g in ("edge", "app", "data", "async", "models")]
    return Design.model_validate(
        {
            "id": "bench",
            "title": f"Generated design, {len(components)} components",
            "prompt": "benchmark",
            "scale": {"peak_qps": 10000},
            "slo": {"p99_latency_ms": 500},
            "groups": groups,
            "components": components,
            "flows": flows,
        },
        strict=False,
    )


def _median_time(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--splines", default="spline,polyline")
    args = parser.parse_args()
    if dot_executable() is None:
        print(
            "Graphviz `dot` is not on the PATH: apt-get install -y graphviz / brew install graphviz"
        )
        return 2
    design = generate(args.components)
    print(
        f"{len(design.components)} components, {len(design.flows)} flows, "
        f"median of {args.repeat} runs"
    )
    render_scene(build_scene(design), ("svg",))  # warm caches (imports, icon data URIs)
    medians: dict[str, float] = {}
    for splines in [s.strip() for s in args.splines.split(",") if s.strip()]:
        scene = build_scene(design)
        source = build_dot(scene, splines=splines).encode("utf-8")
        command = dot_command("svg")

        def bare(source: bytes = source, command: list[str] = command) -> None:
            subprocess.run(command, input=source, capture_output=True, check=True)

        def full(splines: str = splines) -> None:
            render_scene(build_scene(design), ("svg",), splines=splines)

        dot_time = _median_time(bare, args.repeat)
        render_time = _median_time(full, args.repeat)
        medians[splines] = dot_time
        verdict = "ok" if render_time / dot_time <= 1.3 else "over target 1.3"
        print(f"splines={splines:9} render/dot = {render_time / dot_time:.2f}x  ({verdict})")
    fastest = min(medians.values())
    for splines, value in medians.items():
        print(f"splines={splines:9} dot time / fastest = {value / fastest:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
