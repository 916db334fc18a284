"""The Typer application every command module registers on, and the options every command shares."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from sysdesign.paths import WORKSPACE_ENV

app = typer.Typer(
    name="sysdesign",
    help="System-design interview practice: validate, check, render and grade designs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def shared_options(
    workspace: Path = typer.Option(
        None,
        "--workspace",
        "-w",
        help="Your workspace: attempts, answers and their renders "
        f"(default: ${WORKSPACE_ENV}, else ./attempts).",
        file_okay=False,
    ),
) -> None:
    """System-design interview practice: validate, check, render and grade designs."""
    if workspace is not None:
        os.environ[WORKSPACE_ENV] = str(workspace)
