"""Byte-for-byte output of the commands, to prove a speed change changed nothing else.

Run before a change: .venv/bin/python bench/golden.py capture /tmp/golden-before
and after it:       .venv/bin/python bench/golden.py compare /tmp/golden-before
Each case runs `python -m sysdesign ARGS` in a subprocess (the real thing: start-up, exit code,
stdout and stderr) on the bundled designs, every stage, and a set of hostile loader inputs; then
every other command on each reference drill (render, probe, fail, rubric, checklist, grade without
recording, drills, new, compare, fmt, import, next, progress), with the files each one writes.
A scratch folder holds the workspace, the history and every output, so nothing in the checkout is
touched; its path is written `{tmp}` in the results. Cases a baseline does not have yet are listed
as new, not as differences, so an older baseline stays usable.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HEAD = "id: t\ntitle: T\nprompt: P\nscale: {peak_qps: 10}\nslo: {p99_latency_ms: 100}\n"

LOADER_INPUTS: dict[str, str] = {
    "syntax": "id: [\n",
    "unknown-field": HEAD + "components:\n  - id: a\n    kind: client\n    replica: 2\n",
    "bad-int": HEAD + "components:\n  - id: a\n    kind: client\n    replicas: two\n",
    "bad-kind-and-replicas": HEAD
    + "components:\n  - {id: a, kind: cach}\n  - {id: b, kind: client, replicas: 0}\n",
    "unknown-flow": HEAD
    + "components:\n  - {id: gateway, kind: cache}\nflows:\n  - {from: gateway, to: gatway}\n",
    "list-root": "- just\n- a list\n",
    "duplicate-key": "id: a\nid: b\n",
    "missing-components": HEAD,
    "alias-bomb": "\n".join(
        ['a: &a ["x","x","x","x","x","x","x","x","x"]']
        + [
            f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        ]
    )
    + "\n",
    "deep": "[" * 5000 + "]" * 5000 + "\n",
    "tag": "id: !!python/object/apply:os.system ['echo hi']\n",
    "custom-tag": HEAD + "components: !foo\n  - {id: a, kind: client}\n",
    "merge-key": HEAD + "base: &b {kind: cache}\ncomponents:\n  - {<<: *b, id: a}\n",
    "yes-bool": HEAD + "components:\n  - {id: a, kind: cache, stateful: yes}\n",
    "recursive": "a: &a [*a]\n",
    "complex-key": HEAD + "components:\n  - {[a]: 1, id: a, kind: cache}\n",
    "null-key": HEAD + "~: 1\ncomponents:\n  - {id: a, kind: cache}\n",
    "int-key": HEAD + "7: 1\ncomponents:\n  - {id: a, kind: cache}\n",
    "timestamp": HEAD + "created: 2024-01-01\ncomponents:\n  - {id: a, kind: cache}\n",
    "binary": HEAD + "blob: !!binary aGVsbG8=\ncomponents:\n  - {id: a, kind: cache}\n",
    "set": HEAD + "s: !!set {a, b}\ncomponents:\n  - {id: a, kind: cache}\n",
    "empty": "",
    "comment-only": "# nothing\n",
    "scalar-root": "hello\n",
    "two-docs": "id: a\n---\nid: b\n",
    "tab": "id:\ta\n\tb: 1\n",
    "unicode": HEAD + 'components:\n  - {id: \u00e9t\u00e9, kind: cache, label: "\\u2603 x"}\n',
    "bad-utf8": "",  # written as bytes below
    "big-list": "x:\n" + "- 1\n" * 200_000,
    "floats": HEAD + "components:\n  - {id: a, kind: cache, latency_ms: .inf, capacity_rps: 1e3}\n",
    "null-values": HEAD + "components:\n  - {id: a, kind: cache, label: ~, replicas: null}\n",
    "anchors-ok": HEAD + "components:\n  - &c {id: a, kind: cache}\nextra: *c\n",
    "quoted-keys": HEAD + "'components':\n  - {\"id\": a, kind: cache}\n",
    "deep-key": "? " + "[" * 70 + "]" * 70 + "\n: 1\n",
    "deep-under-tag": "x: !foo " + "[" * 70 + "]" * 70 + "\n",
    "deep-second-doc": "id: a\n---\n" + "[" * 70 + "]" * 70 + "\n",
    "anchor-unused": HEAD + "components:\n  - &c {id: a, kind: cache}\n",
    "alias-key": HEAD + "k: &k id\nx: {*k : a}\ncomponents:\n  - {id: a, kind: cache}\n",
    "undefined-alias": HEAD + "x: *nope\ncomponents:\n  - {id: a, kind: cache}\n",
    "dup-then-syntax": "id: a\nid: b\nx: [\n",
    "explicit-tags": HEAD + "n: !!int '7'\ns: !!str 7\nf: !!float 1\nb: !!bool yes\n"
    "components:\n  - {id: a, kind: cache}\n",
    "bad-explicit-int": HEAD + "n: !!int seven\ncomponents:\n  - {id: a, kind: cache}\n",
    "null-and-empty": HEAD + "a:\nb: ''\nc: ~\n'': x\ncomponents:\n  - {id: a, kind: cache}\n",
    "styles": HEAD + "a: |\n  lit\nb: >\n  fold\nc: 'q'\nd: \"dq\"\n"
    "components:\n  - {id: a, kind: cache}\n",
    "seq-root-big": "[" + ",".join(["1"] * 50_000) + "]\n",
}


def _cases() -> list[tuple[str, list[str]]]:
    cases: list[tuple[str, list[str]]] = [
        ("help", ["--help"]),
        ("rules", ["rules"]),
        ("rules-json", ["rules", "--format", "json"]),
        ("kinds", ["kinds"]),
        ("profiles-json", ["profiles", "--format", "json"]),
        ("explain", ["explain", "SD201"]),
        ("explain-missing", ["explain", "SD2O1"]),
        ("schema", ["schema"]),
        ("validate-all", ["validate"]),
        ("validate-all-json", ["validate", "--format", "json"]),
        ("check-all", ["check"]),
        ("check-all-stages-json", ["check", "--all-stages", "--format", "json"]),
        ("check-all-stages-text", ["check", "--all-stages"]),
        ("check-brief-scale", ["check", "--brief", "--scale", "10"]),
    ]
    help_out = subprocess.run(
        [sys.executable, "-m", "sysdesign", "--help"], capture_output=True, text=True, check=False
    ).stdout
    commands = []
    in_commands = False
    for line in help_out.splitlines():
        if line.strip().startswith("Commands:"):
            in_commands = True
            continue
        if in_commands and line.startswith("  ") and line.strip():
            commands.append(line.split()[0])
    for name in commands:
        cases.append((f"help-{name}", [name, "--help"]))
    for name in LOADER_INPUTS:
        cases.append((f"loader-{name}", ["validate", f"{{fixtures}}/{name}.yaml"]))
        cases.append(
            (f"loader-{name}-json", ["validate", "--format", "json", f"{{fixtures}}/{name}.yaml"])
        )
        cases.append((f"loader-check-{name}", ["check", f"{{fixtures}}/{name}.yaml"]))
    return cases


def _drills() -> list[tuple[str, int]]:
    """Each reference drill and its number of stages after the base."""
    import yaml

    found = []
    for path in sorted((ROOT / "designs").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        if data.get("drill") == path.stem:
            found.append((path.stem, len(data.get("stages") or [])))
    return found


def _placeheld(text: str, tmp: str) -> str:
    """Output with the temporary folder and this checkout's path held by placeholders, so a
    baseline captured in one checkout (or git worktree) compares with another."""
    return text.replace(tmp, "{tmp}").replace(str(ROOT), "{root}")


def _command_cases() -> list[tuple[str, list[str]]]:
    """Every other command, run in the scratch folder (`{out}`: this case's output folder)."""
    cases: list[tuple[str, list[str]]] = [
        ("drills", ["drills"]),
        ("drills-json", ["drills", "--format", "json"]),
        ("rubric-list", ["rubric"]),
        ("next-empty", ["next", "--today", "2026-01-05"]),
        ("progress-empty", ["progress", "--no-chart"]),
        ("practice-refused", ["practice", "nope"]),
    ]
    for drill, stages in _drills():
        last = str(stages)
        cases += [
            (
                f"render-{drill}-last",
                ["render", drill, "-s", last, "-v", "all", "-f", "dot,mmd,svg", "-o", "{out}"],
            ),
            (
                f"render-{drill}-1",
                ["render", drill, "-s", "1", "-v", "all", "-f", "dot,mmd", "-o", "{out}"],
            ),
            (f"probe-{drill}-json", ["probe", drill, "-s", last, "-f", "json"]),
            (f"probe-{drill}-1", ["probe", drill, "-s", "1", "--discussion"]),
            (f"fail-{drill}", ["fail", drill, "-s", last]),
            (f"fail-{drill}-json", ["fail", drill, "--all", "-f", "json"]),
            (f"rubric-{drill}", ["rubric", drill]),
            (f"rubric-{drill}-template", ["rubric", drill, "--answers-template"]),
            (f"checklist-{drill}", ["checklist", drill, "-o", "{out}"]),
            (f"grade-{drill}", ["grade", drill, "--no-record", "--no-ask"]),
            (
                f"grade-{drill}-json",
                ["grade", drill, "-s", "1", "--no-record", "--no-ask", "-f", "json"],
            ),
        ]
    cases += [
        ("new-from", ["new", "mine", "--from", "qortex"]),
        ("new-blind", ["new", "blind", "--from", "mcp-gateway", "--blind"]),
        ("new-blank", ["new", "empty", "--blank"]),
        ("new-exists", ["new", "mine", "--from", "qortex"]),
        ("compare-mine", ["compare", "mine"]),
        ("compare-mine-brief", ["compare", "mine", "--brief"]),
        ("compare-mine-json", ["compare", "mine", "-s", "2", "-f", "json"]),
        ("grade-mine", ["grade", "mine", "--no-record", "--no-ask"]),
        ("fmt-check-long", ["fmt", "--check", "fmt/long.yaml"]),
        ("fmt-long", ["fmt", "fmt/long.yaml"]),
        ("fmt-expand", ["fmt", "--expand", "fmt/compact.yaml"]),
        (
            "fmt-check-references",
            ["fmt", "--check", *[f"{{root}}/designs/{d}.yaml" for d, _ in _drills()]],
        ),
    ]
    for sketch in sorted((ROOT / "tests" / "fixtures" / "sketches").glob("*.mmd")):
        cases.append((f"import-{sketch.stem}", ["import", str(sketch)]))
    return cases


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sysdesign", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _written(folder: Path) -> dict[str, str]:
    """Every file under `folder` (PNGs by size only)."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = str(path.relative_to(folder))
        data = path.read_bytes()
        files[name] = (
            f"<{len(data)} bytes>" if path.suffix == ".png" else data.decode("utf-8", "replace")
        )
    return files


def run_all() -> dict[str, dict[str, object]]:
    results: dict[str, dict[str, object]] = {}
    base_env = {**os.environ, "COLUMNS": "100", "SYSDESIGN_ROOT": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        fixtures = Path(tmp) / "fx"
        fixtures.mkdir()
        for name, text in LOADER_INPUTS.items():
            (fixtures / f"{name}.yaml").write_text(text)
        (fixtures / "bad-utf8.yaml").write_bytes(HEAD.encode() + b"x: \xff\xfe\n")
        for name, args in _cases():
            argv = [a.replace("{fixtures}", "fx") for a in args]
            cwd = Path(tmp) if any("{fixtures}" in a for a in args) else ROOT
            run = _run(argv, cwd, base_env)
            results[name] = {"rc": run.returncode, "stdout": run.stdout, "stderr": run.stderr}

        work = Path(tmp) / "work"
        (work / "fmt").mkdir(parents=True)
        shutil.copy(ROOT / "tests" / "fixtures" / "search-long.yaml", work / "fmt" / "long.yaml")
        shutil.copy(
            ROOT / "tests" / "fixtures" / "search-compact.yaml", work / "fmt" / "compact.yaml"
        )
        env = {
            **base_env,
            "SYSDESIGN_WORKSPACE": str(work / "ws"),
            "SYSDESIGN_HISTORY": str(work / "history.sqlite3"),
        }
        for name, args in _command_cases():
            out = work / "out" / name
            argv = [a.replace("{out}", str(out)).replace("{root}", str(ROOT)) for a in args]
            run = _run(argv, work, env)
            result: dict[str, object] = {
                "rc": run.returncode,
                "stdout": _placeheld(run.stdout, tmp),
                "stderr": _placeheld(run.stderr, tmp),
            }
            if out.is_dir():
                result["files"] = {k: _placeheld(v, tmp) for k, v in _written(out).items()}
            results[name] = result
        results["workspace-files"] = {"files": _written(work / "ws"), "fmt": _written(work / "fmt")}
    return results


def run_through_server() -> dict[str, dict[str, object]]:
    """`run_all` with a server running in a temporary runtime folder; checks it served every
    case whose command it serves."""
    from sysdesign.commands import SERVED
    from sysdesign.launcher import command_name

    def ask(*args: str) -> str:
        argv = [sys.executable, "-m", "sysdesign", "server", *args]
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout

    with tempfile.TemporaryDirectory(prefix="sd-rt-") as folder:
        os.environ["SYSDESIGN_RUNTIME_DIR"] = folder
        os.environ.pop("SYSDESIGN_SERVER", None)
        try:
            ask("start")
            results = run_all()
            served = json.loads(ask("status", "--format", "json")).get("requests", 0)
        finally:
            ask("stop")
    cases = [args for _, args in _cases() + _command_cases()]
    expected = sum(command_name(args) in SERVED for args in cases)
    print(f"the server served {served} runs; {expected} cases name a served command")
    if served != expected:
        sys.exit("not every served case went through the server")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["capture", "compare"])
    parser.add_argument("folder", type=Path)
    parser.add_argument(
        "--server",
        action="store_true",
        help="run every case with a `sysdesign server` running (served commands go through it)",
    )
    args = parser.parse_args()
    results = run_through_server() if args.server else run_all()
    if args.mode == "capture":
        args.folder.mkdir(parents=True, exist_ok=True)
        (args.folder / "golden.json").write_text(json.dumps(results, indent=1, sort_keys=True))
        print(f"{len(results)} cases captured in {args.folder}")
        return
    before = json.loads((args.folder / "golden.json").read_text())
    new_cases = sorted(set(results) - set(before))
    differ = [k for k in sorted(before) if before.get(k) != results.get(k)]
    for key in differ:
        print(f"DIFFERS: {key}")
        old_case, new_case = before.get(key) or {}, results.get(key) or {}
        for part in sorted(set(old_case) | set(new_case)):
            old, new = old_case.get(part), new_case.get(part)
            if old != new:
                print(f"  {part}: before {str(old)[:400]!r}\n  {part}: after  {str(new)[:400]!r}")
    if new_cases:
        print(f"new cases, not in {args.folder} (capture a newer baseline to compare them): "
              + ", ".join(new_cases))  # fmt: skip
    print(f"{len(results)} cases, {len(differ)} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
