"""`practice`: a timed, progressive interview round in the terminal."""

from __future__ import annotations

from pathlib import Path

import typer

from sysdesign.cli.app import app
from sysdesign.cli.common import fail, fail_message, out


@app.command()
def practice(
    drill: str = typer.Argument(None, metavar="DRILL", help="The drill to practise."),
    name: str = typer.Option(None, "--name", help="Name of the attempt (default: DRILL-DATE)."),
    resume: str = typer.Option(None, "--resume", help="Continue an interrupted attempt."),
    speed: float = typer.Option(1.0, "--speed", help="Run the clock this many times faster."),
    phase: list[str] = typer.Option(
        [], "--phase", help="Minutes for a phase, NAME=MINUTES (repeatable)."
    ),
    reveal_every: float = typer.Option(
        None, "--reveal-every", help="Minutes between stage reveals in the deep dive (0: on r)."
    ),
    history: Path = typer.Option(None, "--history", help="History file (as for grade)."),
    answers: Path = typer.Option(None, "--answers", "-a", help="Answers for the self items."),
) -> None:
    """A timed interview: prompt first, then requirements, estimates, design, deep dive with
    stage reveals and follow-up questions; re-checks on every save; graded and recorded."""
    from datetime import UTC, datetime

    from sysdesign.diagnostics import InputError
    from sysdesign.drills import load_reference
    from sysdesign.practice.clock import SpeedClock
    from sysdesign.practice.phases import load_config, parse_overrides, plan
    from sysdesign.practice.report_text import report_lines
    from sysdesign.practice.run import SessionError, run, start
    from sysdesign.practice.run import resume as resume_session

    if (drill is None) == (resume is None):
        fail_message("give a DRILL to start a session, or --resume NAME to continue one")
    if not 0 < speed <= 100000:
        fail_message("--speed must be above 0 and at most 100000")

    def reference_of(drill_id: str):  # type: ignore[no-untyped-def]
        try:
            return load_reference(drill_id)
        except FileNotFoundError:
            fail_message(f"no reference drill {drill_id!r} (see `sysdesign drills`)")
        except InputError as exc:
            fail(exc.diagnostics)

    try:
        config = load_config()
        phases = plan(config, parse_overrides(phase))
    except InputError as exc:
        fail(exc.diagnostics)
    except ValueError as exc:
        fail_message(str(exc))
    every = config.reveal_every if reveal_every is None else reveal_every
    if not 0 <= every <= 600:
        fail_message("--reveal-every must be between 0 and 600 minutes")
    try:
        if resume is not None:
            prepared = resume_session(resume, reference_of)
        else:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            prepared = start(reference_of(drill), name or f"{drill}-{stamp}", phases, every)
    except SessionError as exc:
        fail_message(str(exc))
    from rich.console import Console

    from sysdesign.paths import display_path

    screen = Console(highlight=False)  # wraps long lines (the shared console does not)
    end = run(prepared, SpeedClock(speed), screen, history, answers)
    try:
        for line in report_lines(end, prepared.state.name, display_path(prepared.design_file)):
            out.print(line, markup=False, highlight=False)
    except OSError:
        pass  # the terminal is gone; the attempt and its record are kept
    if end.not_recorded:
        raise typer.Exit(1)
    if end.exit_code:  # stopped by a signal (128 + its number) or end of input (1)
        raise typer.Exit(end.exit_code)
