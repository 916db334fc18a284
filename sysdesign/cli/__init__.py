"""The `sysdesign` command: one Typer app, one module per group of subcommands.

Commands load lazily: `sysdesign/commands.py` holds the table `COMMANDS` (name -> module under
`sysdesign/cli/`, help line) and documents the one-line step that adds a command; the console
script (`sysdesign.launcher:main`) prints `sysdesign --help` from that table without importing
this package. CLI modules only parse arguments and print; the work happens in functions tested
without them.
"""

from __future__ import annotations

from sysdesign.cli.app import app


def main() -> None:
    """Run the Typer app (`sysdesign.launcher.main` is the console script)."""
    app()


__all__ = ["app", "main"]
