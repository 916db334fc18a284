"""The `sysdesign` command: one Typer app, one module per group of subcommands.

Commands load lazily: `sysdesign/cli/commands.py` holds the table `COMMANDS` (name -> module,
help line) and documents the one-line step that adds a command; `sysdesign --help` is printed
from that table without importing Typer. CLI modules only parse arguments and print; the work
happens in functions tested without them.
"""

from __future__ import annotations

import sys
from typing import Any

from sysdesign.cli.commands import COMMANDS


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] == ["--help"]:
        from sysdesign.cli.fast_help import print_help

        print_help()
        return
    from sysdesign.cli.app import app

    app()


def __getattr__(name: str) -> Any:
    if name == "app":  # `from sysdesign.cli import app` (tests, embedding) without paying at start
        from sysdesign.cli.app import app

        return app
    raise AttributeError(name)


__all__ = ["COMMANDS", "app", "main"]
