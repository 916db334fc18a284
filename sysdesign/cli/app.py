"""The Typer application every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="sysdesign",
    help="System-design interview practice: validate, check, render and grade designs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
