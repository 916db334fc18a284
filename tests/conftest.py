"""Shared test set-up: helpers importable from this folder, a scratch project, the CLI runners.

`run_cli` runs `python -m sysdesign ARGS` inside the test process (same entry point, same lazy
command table, same exit codes and output, about a tenth of the time); `run_cli_process` starts a
real `python -m sysdesign`, for the few tests where the process boundary is the point (start-up,
signals, a pty, an installed wheel, what gets imported).
"""

from __future__ import annotations

import gc
import io
import os
import runpy
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).parent.parent

_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]


def design_data(components: list[Any], flows: list[Any], **more: Any) -> dict[str, Any]:
    """The plain data of a small valid design: these components and flows, a peak of 10 req/s
    and a 100 ms budget unless `more` says otherwise."""
    return {
        "id": "t",
        "title": "T",
        "prompt": "P",
        "scale": {"peak_qps": 10},
        "slo": {"p99_latency_ms": 100},
        "components": components,
        "flows": flows,
        **more,
    }


def run_cli_process(
    cwd: Path, *args: str, input: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """`python -m sysdesign ARGS` in a new process in `cwd`, with `cwd` as the project root."""
    return subprocess.run(
        [sys.executable, "-m", "sysdesign", *args],
        cwd=cwd,
        env={**os.environ, "SYSDESIGN_ROOT": str(cwd), **env},
        input=input,
        capture_output=True,
        text=True,
        check=False,
    )


def _text(data: bytes) -> str:
    """Bytes read back as `subprocess.run(text=True)` reads a pipe (universal newlines)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace").read()


def run_cli(
    cwd: Path, *args: str, input: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """`python -m sysdesign ARGS` run in this process, as `run_cli_process` would in a new one.

    It goes through the real entry point (`sysdesign/__main__.py` by `runpy`, so the launcher's
    help, the lazy command table and Click's program name are the real ones), in `cwd`, with
    `cwd` as the project root, `env` added and stdin holding `input` (else empty, like a pipe at
    its end). Afterwards the environment (which `--workspace` and `--dot-timeout` set), the
    current folder, `sys.argv`, the signal handlers, the exception hook, the garbage collector
    (its switch, and `gc.freeze`: a one-shot command freezes what it loaded) and the recursion
    limit are put back, so runs do not leak into each other. Exit status: the `SystemExit` code,
    as the interpreter maps it. Anything else raised is a crash: it is raised again here (the
    test fails with the real traceback, and the captured output is attached as a note) instead
    of being turned into exit 1.
    """
    from typer._click import formatting
    from typer.testing import CliRunner

    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_argv = sys.argv
    saved_hook = sys.excepthook
    saved_signals = {signum: signal.getsignal(signum) for signum in _SIGNALS}
    saved_gc, saved_recursion = gc.isenabled(), sys.getrecursionlimit()
    saved_frozen = gc.get_freeze_count()
    code: int = 0
    try:
        os.environ.update({"SYSDESIGN_ROOT": str(cwd), **env})
        os.environ.setdefault("COLUMNS", "80")  # what Click and Rich assume on a pipe
        os.chdir(cwd)
        sys.argv = ["sysdesign", *args]  # runpy sets argv[0] to sysdesign/__main__.py
        with CliRunner().isolation(input=input) as (out, err, _mixed):
            formatting.FORCED_WIDTH = None  # the width a pipe gets, not the runner's 80
            try:
                runpy.run_module("sysdesign", run_name="__main__", alter_sys=True)
            except SystemExit as stop:
                if stop.code is None or isinstance(stop.code, int):
                    code = stop.code or 0
                else:
                    sys.stderr.write(f"{stop.code}\n")
                    code = 1
            except BaseException as crash:
                sys.stdout.flush()
                sys.stderr.flush()
                crash.add_note(f"stdout:\n{out.getvalue().decode(errors='replace')}")
                crash.add_note(f"stderr:\n{err.getvalue().decode(errors='replace')}")
                raise
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
            stdout, stderr = _text(out.getvalue()), _text(err.getvalue())
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        sys.argv = saved_argv
        sys.excepthook = saved_hook
        sys.setrecursionlimit(saved_recursion)
        (gc.enable if saved_gc else gc.disable)()
        if not saved_frozen:
            gc.unfreeze()  # a command freezes what it loaded (it runs once per process)
        for signum, handler in saved_signals.items():
            if handler is not None:
                signal.signal(signum, handler)
    return subprocess.CompletedProcess(["sysdesign", *args], code, stdout, stderr)


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    """Commands freeze what they loaded (`gc.freeze`, right for a one-shot process); in this
    long-lived one, also through Typer's CliRunner, that would keep every test's objects, and
    the garbage of their cycles, for the rest of the suite."""
    frozen = gc.get_freeze_count()
    yield
    if not frozen and gc.get_freeze_count():
        gc.unfreeze()


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A scratch project with copies of the bundled designs, rubrics and schema."""
    for folder in ("designs", "rubrics", "schema"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path
