"""Run Graphviz's `dot` on DOT source, in memory: no files in the working directory."""

from __future__ import annotations

import shutil
import subprocess

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


def dot_executable() -> str | None:
    """The `dot` on the PATH, or None."""
    return shutil.which("dot")


def dot_command(fmt: str, executable: str | None = None) -> list[str]:
    """The command line that lays out DOT from stdin into `fmt` (icons found via imagepath)."""
    exe = executable or dot_executable()
    if exe is None:
        raise GraphvizMissing()
    return [exe, f"-T{fmt}", f"-Gimagepath={icon_root()}"]


def run_dot(source: str, fmt: str) -> bytes:
    """Lay out `source` with `dot -T<fmt>` and return the output bytes."""
    command = dot_command(fmt)
    proc = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, check=False)
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").splitlines()
        errors = [line.strip() for line in lines if line.startswith("Error")]
        detail = errors[0] if errors else (lines[-1].strip() if lines else proc.returncode)
        raise GraphvizError(f"dot -T{fmt} failed: {detail}")
    return proc.stdout
