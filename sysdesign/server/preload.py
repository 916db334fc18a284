"""What the server imports once, so that a forked command finds it already loaded.

Every module of the package except the interactive parts (practice, watch, grade) and the server
itself, and the libraries the served commands import inside functions. Matplotlib (only
`progress` charts) is left out: it takes longer to import than everything else together, picks
its backend from the environment when imported and holds tens of MB; a chart imports it as a fresh
process would. A module that fails to import is logged and skipped: the child imports it again
and reports the error as a fresh process would.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable

LIBRARIES = (
    "networkx",
    "pydantic",
    "yaml",
    "ruamel.yaml",
    "rich.console",
    "rich.markup",
    "rich.table",
    "rich.text",
    "rich.panel",
    "rich._emoji_codes",
    "typer.main",
    "typer._click.decorators",
    "graphviz",
    "diagrams",
    "jinja2",
    "sqlite3",
    "concurrent.futures.process",
    "multiprocessing.connection",
    "zoneinfo",
    "uuid",
    "ctypes",
)
# The parts of practice that every design load uses (`cli.common.load_located` reads a practice
# attempt with its session): data only, no terminal.
PRACTICE_DATA = (
    "sysdesign.practice.attempt",
    "sysdesign.practice.state",
    "sysdesign.practice.reveal",
)
SKIPPED_PREFIXES = (
    "sysdesign.practice",
    "sysdesign.watch",
    "sysdesign.server",
    "sysdesign.cli.practice",
    "sysdesign.cli.watch",
    "sysdesign.cli.grade",
    "sysdesign.cli.server",
    "sysdesign.bundled",
    "sysdesign.__main__",
)


def package_modules() -> list[str]:
    """Every importable module name under `sysdesign` that the served commands may use."""
    import sysdesign

    names: list[str] = []

    def walk(paths: list[str], prefix: str) -> None:
        for info in pkgutil.iter_modules(paths, prefix):
            if info.name.startswith(SKIPPED_PREFIXES):
                continue
            names.append(info.name)
            if info.ispkg:
                walk([os.path.join(p, info.name.rsplit(".", 1)[1]) for p in paths], info.name + ".")

    walk(list(sysdesign.__path__), "sysdesign.")
    return sorted(names)


def build_commands(names: frozenset[str]) -> None:
    """Build each served command's click command with its parameters' converters (Typer makes
    those lazily, with a pydantic TypeAdapter each) so every child parses with them ready. Then
    clear the app's registrations, as a fresh process has them when its group is built (before
    the command's module is imported); else each child would build every command again."""
    from sysdesign.cli.app import app, load_command

    for name in sorted(names):
        command = load_command(name)
        for param in command.params:
            warm = getattr(param, "get_runtime_param", None)
            if warm is not None:
                warm()
    app.registered_commands.clear()


def preload(log: Callable[[str], None]) -> int:
    """Import the package's served modules and the libraries they use; how many were imported."""
    done = 0
    for name in (*LIBRARIES, *package_modules(), *PRACTICE_DATA):
        try:
            importlib.import_module(name)
            done += 1
        except Exception as exc:
            log(f"preload: {name}: {type(exc).__name__}: {exc}")
    try:
        from sysdesign.commands import SERVED

        build_commands(SERVED)
    except Exception as exc:
        log(f"preload: building the commands: {type(exc).__name__}: {exc}")
    return done
