"""`server`: start, stop or ask about the fork server that makes commands start instantly."""

from __future__ import annotations

from enum import StrEnum

import typer

from sysdesign.cli.app import app
from sysdesign.cli.common import FormatOption, OutputFormat, print_json


class Action(StrEnum):
    START = "start"
    STOP = "stop"
    STATUS = "status"


@app.command()
def server(
    action: Action = typer.Argument(..., metavar="ACTION", help="start, stop or status."),
    idle_minutes: float = typer.Option(
        30.0, "--idle-minutes", min=0.0, help="start: exit after this many idle minutes."
    ),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Keep a server that has imported everything, so commands start instantly (optional; Linux).

    `start` runs it in the background, `stop` ends it, `status` says whether it runs. While it
    runs, non-interactive commands are forked from it; SYSDESIGN_SERVER=off runs them in-process.
    """
    from sysdesign.server import control

    if action is Action.STATUS:
        found = control.status()
        if fmt is OutputFormat.JSON:
            print_json(found)
        else:
            print(control.status_line(found))
        return
    outcome = control.start(idle_minutes) if action is Action.START else control.stop()
    print(outcome.message)
    raise typer.Exit(outcome.code)
