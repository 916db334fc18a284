"""Benchmark against a peer and against Python itself; every figure is a ratio or a growth.

Run: .venv/bin/python bench/bench_peer.py [--sizes 1000,3000] [--load-sizes 1000,10000]
[--runs 5] [--no-peer]

1. Cold start: `sysdesign --help` and `sysdesign check` of each reference design against a bare
   `python -c pass` (wall and CPU, median of --runs), with sysdesign's bytecode compiled first
   (as an installed package has it).
2. Located load: sysdesign.yamlsource.parse_text against yaml.CSafeLoader.load (which builds
   its objects in Python) and against libyaml's bare event parse (CPU time, best of three), on
   generated designs; growth per 10x.
3. End to end: `sysdesign check FILE --format json` (a subprocess: start-up, YAML in, report
   out) against the time CSafeLoader takes merely to load the same file, and where its CPU goes
   (each phase timed in-process; start-up and exit are the rest).
4. The peer: OWASP pytm (threat modelling as code). The same generated graph is written as a
   pytm model (actors, servers, datastores, dataflows) and run with `--json` (its rule pass:
   check, resolve every threat against every element, write findings); the ratio is
   pytm / sysdesign end to end. pytm is installed by this script into bench/.peer-venv
   (gitignored), never into the project.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from bench_check import generate_data

from sysdesign.yamlsource import parse_text

ROOT = Path(__file__).resolve().parent.parent
PEER_VENV = ROOT / "bench" / ".peer-venv"
PY = sys.executable


def timed(argv: list[str], runs: int, cwd: Path | None = None) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of a command, in seconds.

    Both are printed: on a machine other work keeps busy, the wall time waits for a core and the
    CPU time is the steadier figure."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def cpu(fn: Callable[[], Any], runs: int = 3) -> float:
    """Best CPU time of an in-process call, in seconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def design_yaml(n: int) -> str:
    return yaml.safe_dump(generate_data(n), sort_keys=False, default_flow_style=False)


def events(text: str) -> None:
    from yaml._yaml import CParser

    get = CParser(text).get_event
    end = yaml.StreamEndEvent
    while type(get()) is not end:
        pass


def compile_bytecode() -> None:
    """Compile sysdesign's modules as pip does when it installs the package: an editable
    checkout under PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every run."""
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "sysdesign")], check=True)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("(PYTHONDONTWRITEBYTECODE is set: sysdesign's bytecode compiled first, as pip does)")


def section_start(runs: int) -> None:
    print(f"== cold start (median of {runs}: wall, and CPU in brackets) ==")
    compile_bytecode()
    bare, bare_cpu = timed([PY, "-c", "pass"], runs)
    print(f"python -c pass                 {bare * 1000:7.1f} ms ({bare_cpu * 1000:5.1f} ms CPU)")
    refs = sorted(ROOT.glob("designs/*.yaml"))
    for label, argv in [
        ("sysdesign --help", ["--help"]),
        *((f"check {ref.name}", ["check", str(ref)]) for ref in refs),
        ("check qortex.yaml --format json", ["check", "designs/qortex.yaml", "--format", "json"]),
    ]:
        t, c = timed([PY, "-m", "sysdesign", *argv], runs)
        print(
            f"{label:30} {t * 1000:7.1f} ms ({c * 1000:5.1f} ms CPU)  x{t / bare:.2f} bare "
            f"(CPU x{c / bare_cpu:.2f})"
        )
    print("-- the floor: what every check imports (graph library, models), no design read --")
    for label, code in [
        ("import networkx", "import networkx"),
        ("import sysdesign.model", "import sysdesign.model"),
        ("import both", "import networkx, sysdesign.model"),
    ]:
        t, c = timed([PY, "-c", code], runs)
        print(
            f"{label:30} {t * 1000:7.1f} ms ({c * 1000:5.1f} ms CPU)  x{t / bare:.2f} bare "
            f"(CPU x{c / bare_cpu:.2f})"
        )


def section_served(runs: int) -> None:
    """The same start-up rows with a `sysdesign server` running (in a temporary runtime folder):
    each command forked from a process that has imported everything."""
    import json
    import shutil

    print(f"== served by `sysdesign server` (median of {runs}: wall, and CPU in brackets) ==")
    folder = tempfile.mkdtemp(prefix="sd-rt-")
    saved = os.environ.get("SYSDESIGN_RUNTIME_DIR")
    os.environ["SYSDESIGN_RUNTIME_DIR"] = folder
    os.environ.pop("SYSDESIGN_SERVER", None)
    try:
        subprocess.run([PY, "-m", "sysdesign", "server", "start"], check=True, capture_output=True)
        bare, bare_cpu = timed([PY, "-c", "pass"], runs)
        print(f"{'python -c pass':41} {bare * 1000:7.1f} ms ({bare_cpu * 1000:5.1f} ms CPU)")
        rows = [
            (f"check {ref.name} (server)", ["check", str(ref)])
            for ref in sorted(ROOT.glob("designs/*.yaml"))
        ]
        rows.append(
            (
                "check qortex.yaml --format json (server)",
                ["check", "designs/qortex.yaml", "--format", "json"],
            )
        )
        for label, argv in rows:
            t, c = timed([PY, "-m", "sysdesign", *argv], runs)
            print(
                f"{label:41} {t * 1000:7.1f} ms ({c * 1000:5.1f} ms CPU)  x{t / bare:.2f} bare "
                f"(CPU x{c / bare_cpu:.2f}; the child's CPU is the server's, not counted)"
            )
        status = subprocess.run(
            [PY, "-m", "sysdesign", "server", "status", "--format", "json"],
            capture_output=True,
            text=True,
            check=True,
        )
        served = json.loads(status.stdout).get("requests", 0)
        print(f"(the server served {served} of {len(rows) * runs} runs)")
    finally:
        subprocess.run([PY, "-m", "sysdesign", "server", "stop"], capture_output=True, check=False)
        if saved is None:
            os.environ.pop("SYSDESIGN_RUNTIME_DIR", None)
        else:
            os.environ["SYSDESIGN_RUNTIME_DIR"] = saved
        shutil.rmtree(folder, ignore_errors=True)


def section_load(sizes: list[int]) -> None:
    print("== located load (CPU, best of 3) ==")
    rows = []
    for n in sizes:
        text = design_yaml(n)
        gc.collect()
        e = cpu(lambda t=text: events(t))
        c = cpu(lambda t=text: yaml.load(t, Loader=yaml.CSafeLoader))
        p = cpu(lambda t=text: parse_text(t, "bench.yaml"))
        rows.append((n, p))
        print(
            f"{n:>7} components ({len(text) / 1e6:.1f} MB): located {p:.3f} s = "
            f"x{p / c:.2f} CSafeLoader.load ({c:.3f} s), x{p / e:.2f} bare events ({e:.3f} s)"
        )
    for (n0, t0), (n1, t1) in pairwise(rows):
        print(f"located load growth {n0} -> {n1}: x{t1 / t0:.1f} for x{n1 / n0:.0f}")


def split(path: Path) -> dict[str, float]:
    """CPU seconds per phase of one check of `path` in this process, as `check` runs them
    (collector paused and frozen the same way); what the subprocess spends beyond their sum is
    start-up (imports, Typer) and exit."""
    from sysdesign.checks import run_checks
    from sysdesign.json_text import dumps
    from sysdesign.loader import located_design
    from sysdesign.yamlsource import load_file, paused_gc

    laps: dict[str, float] = {}

    def lap(name: str, fn: Callable[[], Any]) -> Any:
        start = time.process_time()
        result = fn()
        laps[name] = time.process_time() - start
        return result

    located = lap("located load", lambda: load_file(path, mapping_only=True))
    located, design = lap("validate", lambda: located_design(located))
    gc.freeze()
    try:
        report = lap("run_checks", lambda: run_checks(design))
        with paused_gc():
            data = lap("report dict", lambda: [{"file": str(path), **report.as_dict()}])
            lap("JSON", lambda: dumps(data))
    finally:
        gc.unfreeze()
    return laps


def section_end_to_end(sizes: list[int], runs: int) -> dict[int, float]:
    print(f"== end to end: sysdesign check --format json (median of {runs}) ==")
    out: dict[int, float] = {}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"bench{n}.yaml"
            text = design_yaml(n)
            path.write_text(text)
            load = cpu(lambda t=text: yaml.load(t, Loader=yaml.CSafeLoader))
            t, c = timed([PY, "-m", "sysdesign", "check", str(path), "--format", "json"], runs)
            out[n] = t
            rows.append((n, t))
            print(
                f"{n:>7} components: check {t:.3f} s wall ({c:.3f} s CPU) = x{t / load:.2f} "
                f"(CPU x{c / load:.2f}) the time CSafeLoader.load takes ({load:.3f} s CPU)"
            )
            laps = split(path)
            laps = {"start-up and exit": max(c - sum(laps.values()), 0.0), **laps}
            print("         split (CPU s): " + ", ".join(f"{k} {v:.3f}" for k, v in laps.items()))
    for (n0, t0), (n1, t1) in pairwise(rows):
        print(f"end-to-end growth {n0} -> {n1}: x{t1 / t0:.1f} for x{n1 / n0:.0f}")
    return out


def pytm_model(data: dict[str, Any]) -> str:
    """The same components and flows as a pytm model script."""
    kinds_store = {"database", "cache", "queue", "search_index", "vector_index", "audit_log"}
    lines = [
        "from pytm import TM, Actor, Server, Datastore, Dataflow, Boundary",
        "tm = TM('bench')",
        "tm.description = 'generated'",
        "tm.isOrdered = True",
        "edge = Boundary('edge')",
        "e = {}",
    ]
    for c in data["components"]:
        cls = "Actor" if c["kind"] == "client" else "Datastore"
        if c["kind"] not in kinds_store and c["kind"] != "client":
            cls = "Server"
        lines.append(f"e[{c['id']!r}] = {cls}({c['id']!r})")
    for i, f in enumerate(data["flows"]):
        lines.append(f"Dataflow(e[{f['from']!r}], e[{f['to']!r}], 'f{i}')")
    lines.append("tm.process()")
    return "\n".join(lines) + "\n"


def peer_python() -> str | None:
    py = PEER_VENV / "bin" / "python"
    if not py.exists():
        print("(installing pytm into bench/.peer-venv)", flush=True)
        subprocess.run([PY, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "pytm"], check=False)
    ok = subprocess.run([str(py), "-c", "import pytm"], capture_output=True, check=False)
    return str(py) if ok.returncode == 0 else None


def section_peer(sizes: list[int], runs: int) -> None:
    print(f"== peer: pytm --json (rule pass) vs sysdesign check (wall, median of {runs}) ==")
    py = peer_python()
    if py is None:
        print("pytm could not be installed: peer figures skipped")
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            data = generate_data(n)
            model = Path(tmp) / f"tm{n}.py"
            model.write_text(pytm_model(data))
            design = Path(tmp) / f"d{n}.yaml"
            design.write_text(yaml.safe_dump(data, sort_keys=False))
            peer, peer_cpu = timed([py, str(model), "--json", str(Path(tmp) / "out.json")], runs)
            argv = [PY, "-m", "sysdesign", "check", str(design), "--format", "json"]
            ours, ours_cpu = timed(argv, runs)
            rows.append((n, peer, ours))
            print(
                f"{n:>6} elements ({len(data['flows'])} flows): pytm {peer:.2f} s, sysdesign "
                f"{ours:.2f} s: sysdesign x{peer / ours:.1f} faster "
                f"(CPU: {peer_cpu:.2f} s vs {ours_cpu:.2f} s, x{peer_cpu / ours_cpu:.1f})"
            )
    for (n0, p0, s0), (n1, p1, s1) in pairwise(rows):
        factor = (n1 / n0) ** (1 / 1)
        print(f"growth {n0} -> {n1} (x{factor:.0f}): pytm x{p1 / p0:.1f}, sysdesign x{s1 / s0:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,3000", help="peer sizes (elements)")
    parser.add_argument("--load-sizes", default="1000,10000", help="load and end-to-end sizes")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()
    os.chdir(ROOT)
    load_sizes = [int(s) for s in args.load_sizes.split(",")]
    section_start(args.runs)
    section_served(args.runs)
    section_load(load_sizes)
    section_end_to_end(load_sizes, max(1, args.runs // 2))
    if not args.no_peer:
        section_peer([int(s) for s in args.sizes.split(",")], max(1, args.runs // 2))


if __name__ == "__main__":
    main()
