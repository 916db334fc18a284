"""`next`: what to practise next and why, from the grading history."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import typer

from sysdesign.cli.app import app
from sysdesign.cli.common import FormatOption, OutputFormat, fail_message, out, print_json
from sysdesign.cli.grading_common import HistoryOption


def _today(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail_message(f"--today {value!r}: give a date as YYYY-MM-DD")


@app.command("next")
def next_command(
    history: Path = HistoryOption,
    today: str = typer.Option(None, "--today", help="Plan as of this date, YYYY-MM-DD."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """What to practise next and why: weakest sections, items missed most, items due for
    review (spaced repetition) and drills not done recently."""
    from sysdesign.diagnostics import InputError
    from sysdesign.drills import reference_ids
    from sysdesign.rubric.history import HistoryError, open_history
    from sysdesign.rubric.loader import RubricNotFound, load_rubric
    from sysdesign.rubric.plan import plan
    from sysdesign.rubric.plan_text import plan_lines

    store = open_history(history)
    try:
        attempts = store.attempts() if store.path.exists() else []
    except HistoryError as exc:
        fail_message(str(exc))
    cache: dict[str, object] = {}

    def rubric_of(rubric_id: str):  # type: ignore[no-untyped-def]
        if rubric_id not in cache:
            try:
                cache[rubric_id] = load_rubric(rubric_id)
            except (RubricNotFound, InputError):
                cache[rubric_id] = None
        return cache[rubric_id]

    result = plan(attempts, _today(today), reference_ids(), rubric_of)
    if fmt is OutputFormat.JSON:
        print_json(result.as_dict())
        return
    for text, bold in plan_lines(result):
        out.print(text, markup=False, style="bold" if bold else None, highlight=False)
