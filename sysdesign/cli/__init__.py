"""The `sysdesign` command: one Typer app, one module per group of subcommands.

CLI modules only parse arguments and print; the work happens in functions tested without them.
"""

from __future__ import annotations

import importlib
import pkgutil

from sysdesign.cli.app import app

_NOT_COMMANDS = {"app", "common"}
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name not in _NOT_COMMANDS:
        importlib.import_module(f"sysdesign.cli.{_info.name}")


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
