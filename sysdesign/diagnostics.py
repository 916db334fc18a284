"""Located diagnostics: errors are values until the edge of the program."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one input file, at a 1-based line and column."""

    file: str
    line: int
    col: int
    message: str
    severity: str = "error"

    def format(self) -> str:
        """`file:line:col: severity: message`, the form editors and CI annotate."""
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
        }


class InputError(Exception):
    """Raised with every problem found in an input, never just the first."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        # The dataclass order (file, line, col, message, severity), by key: no Python __lt__ per
        # comparison, which made a file with a million errors take minutes.
        self.diagnostics = sorted(
            set(diagnostics), key=lambda d: (d.file, d.line, d.col, d.message, d.severity)
        )
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def read_text(path: Path, name: str) -> str:
    """A user's file as UTF-8 text; an unreadable file or a bad byte is an InputError located
    where the byte is."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Diagnostic(name, 1, 1, f"cannot read file: {exc.strerror}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError([Diagnostic(name, line, col, "file is not valid UTF-8")]) from None
