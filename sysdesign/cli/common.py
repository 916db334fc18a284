"""What every command shares: loading designs or exiting 2 with located errors, output formats."""

from __future__ import annotations

import gc
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from sysdesign.diagnostics import Diagnostic, InputError
from sysdesign.paths import display_path, resolve_design_arg

if TYPE_CHECKING:
    from sysdesign.model import Design
    from sysdesign.yamlsource import LocatedData


class LazyConsole:
    """A `rich.console.Console` made on first use: Rich is imported only by a command that
    prints through it (JSON output and most errors never do)."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Any = None

    def resolve(self) -> Any:
        """The console itself (for Rich objects that take one, such as Progress)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.resolve(), name)


out: Any = LazyConsole(highlight=False, soft_wrap=True)
err: Any = LazyConsole(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INVALID = 2


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


FormatOption = typer.Option(OutputFormat.TEXT, "--format", "-f", help="text or json.")


def print_json(data: Any) -> None:
    """Deterministic JSON on stdout (`json.dumps` with indent 2 and sorted keys: its exact text,
    written by orjson where that is the same, see sysdesign.json_text)."""
    from sysdesign.json_text import dumps

    sys.stdout.write(dumps(data) + "\n")


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        err.print(d.format(), markup=False)


def fail(diagnostics: list[Diagnostic]) -> NoReturn:
    print_diagnostics(diagnostics)
    raise typer.Exit(EXIT_INVALID)


def fail_message(message: str) -> NoReturn:
    err.print(f"error: {message}", markup=False)
    raise typer.Exit(EXIT_INVALID)


def no_designs_message() -> str:
    from sysdesign.paths import designs_dir

    return (
        f"no designs in {display_path(designs_dir())}: pass design files, or start one with "
        "`sysdesign new NAME --from DRILL`"
    )


def design_args(args: list[str] | None) -> list[str]:
    """The designs a command works on: those named, else every file in designs/ (exit 2 if none)."""
    if args:
        return args
    from sysdesign.paths import design_files

    files = [str(p) for p in design_files()]
    if not files:
        fail_message(no_designs_message())
    return files


def load_located(args: list[str]) -> list[tuple[Path, LocatedData, Design]]:
    """Load every named design, keeping where each value was written; on any problem print all
    of them and exit 2. A practice attempt is read with what the interviewer said in its
    session (sysdesign.practice.attempt), and a note on stderr says so."""
    from sysdesign.practice.attempt import load_attempt, session_for

    loaded: list[tuple[Path, LocatedData, Design]] = []
    problems: list[Diagnostic] = []
    for arg in args:
        path = resolve_design_arg(arg)
        display = display_path(path)
        session = session_for(path)
        if session is not None:
            sys.stderr.write(session.note(display) + "\n")
        try:
            located, design = load_attempt(path, display, session)
            loaded.append((path, located, design))
        except InputError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        fail(problems)
    # A command runs once per process: what it loaded stays until it exits. Frozen, those many
    # objects are left out of every later garbage collection instead of being walked again.
    gc.freeze()
    return loaded


def keep_until_exit(*objects: Any) -> None:
    """Leave what a one-shot command made for the end of the process to reclaim.

    Freed one by one when the command returns, the objects of a 10k-component design cost about
    0.1 s; the operating system takes the whole heap back at once when the process ends. They are
    held by a list that holds itself, frozen (`gc.freeze`, as `load_located` does): no collection
    looks at it and interpreter shutdown does not free it. Output is already written, and files
    are closed by their own `with` blocks; only memory is left. A caller that unfreezes (the
    tests' in-process runner) gets ordinary cyclic garbage, collected as usual."""
    holder: list[Any] = [objects]
    holder.append(holder)
    gc.freeze()


def load_designs(args: list[str]) -> list[tuple[Path, Design]]:
    """Load every named design; on any problem print all of them and exit 2."""
    return [(path, design) for path, _, design in load_located(args)]


def load_one(arg: str) -> tuple[Path, Design]:
    return load_designs([arg])[0]
