"""Run Graphviz's `dot` on DOT source, in memory: no files in the working directory.

Every Graphviz run in sysdesign goes through this module, and every run has a time limit:
`time_limit()` seconds (default 60; `render --dot-timeout S` or $SYSDESIGN_DOT_TIMEOUT). A layout
that takes longer is killed and raises `GraphvizTimeout`, whose message says what to try (fewer
components per view, the overview view, a higher limit); callers name the design and view.

`accepted_dot(source, fallback)` makes sure DOT written on its own (`--format dot`) is DOT that
`dot` accepts: when Graphviz's cluster ranking fails ("trouble in init_rank"), the `newrank`
variant from `fallback()` is used instead, as for SVG and PNG.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
from collections.abc import Callable

from sysdesign.render.icons import icon_root

INSTALL_HINT = (
    "Graphviz `dot` is not on the PATH: install it (Debian/Ubuntu: apt-get install -y graphviz; "
    "macOS: brew install graphviz), or export only --format dot,mmd"
)
LAYOUT_FORMATS = ("svg", "png")  # formats that need Graphviz


class GraphvizError(RuntimeError):
    """Graphviz is missing or rejected the DOT source."""


class GraphvizMissing(GraphvizError):
    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


TIMEOUT_ENV = "SYSDESIGN_DOT_TIMEOUT"
DEFAULT_TIME_LIMIT_S = 60.0


class GraphvizTimeout(GraphvizError):
    """A layout took longer than the time limit and was stopped."""

    def __init__(self, limit: float) -> None:
        super().__init__(
            f"Graphviz took longer than {limit:g} s to lay this view out and was stopped: draw "
            "fewer components per view (group them, or split the design into stages), use the "
            f"overview view (--view overview), or raise the limit (--dot-timeout, ${TIMEOUT_ENV})"
        )
        self.limit = limit


def time_limit() -> float:
    """Seconds one Graphviz run may take: $SYSDESIGN_DOT_TIMEOUT, else 60."""
    raw = os.environ.get(TIMEOUT_ENV, "")
    try:
        value = float(raw) if raw.strip() else DEFAULT_TIME_LIMIT_S
    except ValueError:
        return DEFAULT_TIME_LIMIT_S
    return value if math.isfinite(value) and value > 0 else DEFAULT_TIME_LIMIT_S


def set_time_limit(seconds: float) -> None:
    """Set the limit for this process and the processes it starts (render --all's workers)."""
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError("the Graphviz time limit must be a positive number of seconds")
    os.environ[TIMEOUT_ENV] = f"{seconds:g}"


def _run(
    command: list[str], source: str, limit: float | None
) -> subprocess.CompletedProcess[bytes]:
    """One `dot` process, killed when it outlives the limit (never a hang)."""
    limit = time_limit() if limit is None else limit
    try:
        return subprocess.run(
            command, input=source.encode("utf-8"), capture_output=True, check=False, timeout=limit
        )
    except subprocess.TimeoutExpired:  # subprocess.run kills the child before raising
        raise GraphvizTimeout(limit) from None


def _failure(proc: subprocess.CompletedProcess[bytes], what: str) -> GraphvizError:
    lines = proc.stderr.decode("utf-8", "replace").splitlines()
    errors = [line.strip() for line in lines if line.startswith("Error")]
    detail = errors[0] if errors else (lines[-1].strip() if lines else proc.returncode)
    return GraphvizError(f"dot -T{what} failed: {detail}")


def accepted_dot(
    source: str, fallback: Callable[[], str] | None, limit: float | None = None
) -> str:
    """`source` if `dot` accepts it, else the `newrank` variant from `fallback` when cluster
    ranking failed. Without Graphviz, or past the time limit, `fallback()` (newrank avoids the
    cluster-ranking failure) or `source` is returned unchecked."""
    if fallback is None:
        return source
    exe = dot_executable()
    if exe is None:
        return source
    try:
        proc = _run(dot_command("canon", exe), source, limit)
    except GraphvizTimeout:
        return fallback()
    if proc.returncode != 0 and layout_trouble(proc.stderr.decode("utf-8", "replace")):
        return fallback()
    if proc.returncode != 0:
        raise _failure(proc, "canon")
    return source


# Graphviz layout failures that a variant of the same DOT avoids: cluster ranking ("trouble in
# init_rank": newrank) and the spline router on flat labelled edges ("in routesplines ...",
# "lost A B edge": straight lines)
LAYOUT_TROUBLE = ("init_rank", "routesplines", "lost ")


def layout_trouble(message: str) -> bool:
    """Whether `dot` failed in a way a fallback layout avoids."""
    return any(sign in message for sign in LAYOUT_TROUBLE)


def straight_lines(dot: str) -> str:
    """The same DOT with straight edges (`splines=line`, set last so it wins): the layout
    Graphviz's spline router cannot fail."""
    head, _, tail = dot.rpartition("}")
    return f'{head}  graph [splines="line"]\n}}{tail}'


def dot_executable() -> str | None:
    """The `dot` on the PATH, or None."""
    return shutil.which("dot")


def dot_command(fmt: str, executable: str | None = None) -> list[str]:
    """The command line that lays out DOT from stdin into `fmt` (icons found via imagepath)."""
    exe = executable or dot_executable()
    if exe is None:
        raise GraphvizMissing()
    return [exe, f"-T{fmt}", f"-Gimagepath={icon_root()}"]


def run_dot(source: str, fmt: str, limit: float | None = None) -> bytes:
    """Lay out `source` with `dot -T<fmt>` within the time limit and return the output bytes."""
    proc = _run(dot_command(fmt), source, limit)
    if proc.returncode != 0:
        raise _failure(proc, fmt)
    return proc.stdout


def run_dot_formats(
    source: str, formats: tuple[str, ...], limit: float | None = None
) -> dict[str, bytes]:
    """Lay out `source` once, in one `dot` process, into every format asked (e.g. svg and png)."""
    import tempfile
    from pathlib import Path

    if len(formats) == 1:
        return {formats[0]: run_dot(source, formats[0], limit)}
    with tempfile.TemporaryDirectory(prefix="sysdesign-dot-") as tmp:
        command = dot_command(formats[0])
        outputs = {fmt: Path(tmp) / f"out.{fmt}" for fmt in formats}
        command = [command[0], command[2]]
        for fmt, path in outputs.items():
            command += [f"-T{fmt}", f"-o{path}"]
        proc = _run(command, source, limit)
        if proc.returncode != 0:
            raise _failure(proc, ",".join(formats))
        return {fmt: path.read_bytes() for fmt, path in outputs.items()}
