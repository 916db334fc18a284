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


def run_dot_formats(source: str, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Lay out `source` once, in one `dot` process, into every format asked (e.g. svg and png)."""
    import tempfile
    from pathlib import Path

    if len(formats) == 1:
        return {formats[0]: run_dot(source, formats[0])}
    with tempfile.TemporaryDirectory(prefix="sysdesign-dot-") as tmp:
        command = dot_command(formats[0])
        outputs = {fmt: Path(tmp) / f"out.{fmt}" for fmt in formats}
        command = [command[0], command[2]]
        for fmt, path in outputs.items():
            command += [f"-T{fmt}", f"-o{path}"]
        proc = subprocess.run(
            command, input=source.encode("utf-8"), capture_output=True, check=False
        )
        if proc.returncode != 0:
            lines = proc.stderr.decode("utf-8", "replace").splitlines()
            errors = [line.strip() for line in lines if line.startswith("Error")]
            detail = errors[0] if errors else (lines[-1].strip() if lines else proc.returncode)
            raise GraphvizError(f"dot -T{','.join(formats)} failed: {detail}")
        return {fmt: path.read_bytes() for fmt, path in outputs.items()}
