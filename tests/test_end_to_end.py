"""Where the process boundary is the point: the console script starts, a check and a render run
end to end in a real process, and the in-process runner most tests use (`conftest.run_cli`) gives
exactly what a real `python -m sysdesign` gives, leaving nothing behind.

The other real-process tests stay beside what they test: `python -m sysdesign --help` and what a
command imports (test_cli_registry), signals while answering (test_interrupts), the practice
session in a pty (test_practice_pty), the installed wheel (test_workspace), a design read from
/dev/stdin (test_cli_errors) and exit 2 without a traceback (test_loader).
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, run_cli_process

from sysdesign.commands import COMMANDS

FIXTURE = ROOT / "tests" / "fixtures" / "minimal.yaml"
BROKEN = "id: broken\ntitle: half-written\nprompt: x\ncomponents:\n  - {id: a, kind: cach}\n"


def _console_script() -> Path:
    script = Path(sys.executable).parent / "sysdesign"
    if not script.is_file():  # not a venv layout: whatever `sysdesign` the PATH gives
        found = shutil.which("sysdesign")
        assert found, "the `sysdesign` console script is not installed (pip install -e .)"
        script = Path(found)
    return script


def test_the_console_script_starts_and_dispatches(tmp_path: Path) -> None:
    script = str(_console_script())
    env = {**os.environ, "SYSDESIGN_ROOT": str(tmp_path)}
    shown = subprocess.run(
        [script, "--help"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Usage: sysdesign [OPTIONS] COMMAND [ARGS]...")
    assert all(f"\n  {name} " in shown.stdout for name in COMMANDS)
    checked = subprocess.run(
        [script, "validate", str(FIXTURE)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == f"{FIXTURE}: ok\n" and checked.stderr == ""


def _copy_project(root: Path) -> Path:
    root.mkdir()
    for folder in ("designs", "rubrics", "schema"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "broken.yaml").write_text(BROKEN)
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_check_and_render_end_to_end_in_a_real_process(tmp_path: Path) -> None:
    """One real process per command; the same commands in-process write the same bytes."""
    real, here = _copy_project(tmp_path / "real"), _copy_project(tmp_path / "here")
    check = ("check", "qortex", "--all-stages", "--format", "json")
    render = ("render", "qortex", "--stage", "2", "--format", "dot,mmd,svg", "--out", "out")
    checked = run_cli_process(real, *check)
    assert checked.returncode == 0, checked.stderr
    report = json.loads(checked.stdout)
    assert [r["design"] for r in report] == ["qortex"] * len(report) and len(report) > 1
    rendered = run_cli_process(real, *render)
    assert rendered.returncode == 0, rendered.stderr
    written = _files(real / "out")
    assert {Path(name).suffix for name in written} == {".dot", ".mmd", ".svg"}
    assert all(data for data in written.values())

    assert _seen(run_cli(here, *check), here) == _seen(checked, real)
    assert _seen(run_cli(here, *render), here) == _seen(rendered, real)
    assert _files(here / "out") == written


def _seen(result: subprocess.CompletedProcess[str], root: Path) -> tuple[int, str, str]:
    """Exit status and output, the project folder written as <root>."""
    return (
        result.returncode,
        result.stdout.replace(str(root), "<root>"),
        result.stderr.replace(str(root), "<root>"),
    )


SAME_AS_A_PROCESS = [
    ("--help",),  # the launcher's own help, no Typer
    ("check", "--help"),  # Click's help, program name and width
    ("check", "qortex", "--stage", "1", "--brief"),  # findings: exit 1
    ("validate", "broken.yaml", "designs/qortex.yaml"),  # file:line:col on stderr, exit 2
    ("new", "x", "--from", "qortx"),  # a clean error with a suggestion
    ("chek", "qortex"),  # Click's usage error
    ("--workspace", "ws", "new", "mine", "--blank"),  # the global option, files written
]


@pytest.mark.parametrize("args", SAME_AS_A_PROCESS, ids=" ".join)
def test_the_in_process_runner_gives_what_a_process_gives(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    real, here = _copy_project(tmp_path / "real"), _copy_project(tmp_path / "here")
    expected = run_cli_process(real, *args)
    assert _seen(run_cli(here, *args), here) == _seen(expected, real)
    assert _files(here) == _files(real)
    assert expected.stdout or expected.stderr  # each case says something


def _process_state() -> tuple[object, ...]:
    """What an in-process run could leave changed behind it."""
    return (
        dict(os.environ),
        os.getcwd(),
        list(sys.argv),
        sys.excepthook,
        [signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)],
        gc.isenabled(),
        gc.get_freeze_count(),
        sys.getrecursionlimit(),
    )


def test_in_process_runs_leave_nothing_behind(tmp_path: Path) -> None:
    """`--workspace` and `--dot-timeout` set environment variables for the run; cwd, argv,
    signal handlers, the exception hook, the garbage collector and the recursion limit are the
    test's own again afterwards."""
    before = _process_state()
    project = _copy_project(tmp_path / "p")
    made = run_cli(project, "--workspace", "ws", "new", "mine", "--blank")
    assert made.returncode == 0, made.stderr
    drawn = run_cli(project, "render", "ws/mine.yaml", "-f", "dot", "--dot-timeout", "30", X="1")
    assert drawn.returncode == 0, drawn.stderr
    assert (project / "attempts" / "renders" / "mine" / "mine.dot").is_file()
    after = _process_state()
    assert after == before
    again = run_cli(project, "validate", "mine")  # no --workspace: not ./ws any more
    assert again.returncode == 2 and "designs/mine.yaml:1:1: error: cannot read" in again.stderr


def test_a_crash_in_process_fails_the_test_with_its_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected exception is never turned into a quiet exit 1: it reaches the test."""
    import sysdesign.cli.validate
    import sysdesign.loader

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(sysdesign.loader, "load_design", boom)
    monkeypatch.setattr(sysdesign.cli.validate, "load_design", boom, raising=False)
    with pytest.raises(RuntimeError, match="boom") as crash:
        run_cli(tmp_path, "validate", str(FIXTURE))
    assert any(note.startswith("stderr:") for note in crash.value.__notes__)
