"""`grade`: judge an attempt at every stage it reached, ask what only you can judge, record it."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from sysdesign.cli.app import app
from sysdesign.cli.common import (
    FormatOption,
    OutputFormat,
    err,
    fail_message,
    out,
    print_json,
)
from sysdesign.cli.grading_common import (
    HistoryOption,
    StageOption,
    evaluate_or_fail,
    load_for_grading,
)
from sysdesign.paths import display_path
from sysdesign.rubric.models import Answer, AnswerEntry, Item

_ANSWER_WORDS = {
    "y": Answer.YES,
    "yes": Answer.YES,
    "p": Answer.PARTLY,
    "partly": Answer.PARTLY,
    "partial": Answer.PARTLY,
    "n": Answer.NO,
    "no": Answer.NO,
}


def _ask(item: Item, evidence: tuple[str, ...], cap: str | None, position: str, notes: bool):  # type: ignore[no-untyped-def]
    """Ask one item at the terminal; a note only when asked for (--notes)."""
    out.print(f"\n[bold]{position} {item.text}[/bold]")
    for line in evidence:
        out.print(f"  seen in the design: {line}", markup=False)
    if cap:
        out.print(f"  at most 'partly': {cap}", markup=False)
    for level in ("mid", "senior", "staff"):
        out.print(f"  {level:7} {getattr(item.levels, level)}", markup=False)
    while True:
        word = typer.prompt("  yes / partly / no", default="", show_default=False).strip().lower()
        if word in _ANSWER_WORDS:
            break
        out.print("  answer y (yes), p (partly) or n (no)")
    note = ""
    if notes:
        note = typer.prompt("  note (optional)", default="", show_default=False).strip()
    return AnswerEntry(answer=_ANSWER_WORDS[word], note=note or None)


def _save(answers, rubric) -> str | None:  # type: ignore[no-untyped-def]
    """Write the answers typed this session into the answers file; an error line or None."""
    from sysdesign.rubric.answers import AnswersNotSaved, save_answers

    if not answers.typed:
        return None
    try:
        save_answers(answers.path, rubric, answers.typed, answers.minutes)
    except AnswersNotSaved as exc:
        return str(exc)
    return None


def _keep(answers, rubric, design_id: str, why: str) -> None:  # type: ignore[no-untyped-def]
    """Save the answers typed so far, then say where (the file first: the terminal may be gone)."""
    from sysdesign.signals import notify

    problem = _save(answers, rubric)
    if problem:
        notify(f"\n{why}; could not keep your answers: {problem}")
        return
    notify(
        f"\n{why}: {len(answers.typed)} answers kept in {display_path(answers.path)}; "
        f"nothing was recorded. Continue with: sysdesign grade {design_id}"
    )


@app.command()
def grade(
    design_arg: str = typer.Argument(..., metavar="DESIGN", help="Design file or id."),
    answers_path: Path = typer.Option(
        None,
        "--answers",
        "-a",
        help="YAML answers for self items (default: answers/<design id>.yaml when it exists); "
        "answers typed at the terminal are written back to it.",
    ),
    minutes: float = typer.Option(None, "--minutes", "-m", help="How long the session took."),
    stage: str = StageOption,
    rubric_id: str = typer.Option(None, "--rubric", help="Grade with this rubric instead."),
    history: Path = HistoryOption,
    record: bool = typer.Option(True, "--record/--no-record", help="Save the attempt."),
    ask: bool = typer.Option(
        None, "--ask/--no-ask", help="Ask unanswered items at the terminal (default: on a TTY)."
    ),
    notes: bool = typer.Option(False, "--notes", help="Also ask for a note after each answer."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Grade an attempt at every stage it reached: auto items from the design, the rest from
    you (capped by what the design shows); record it."""
    from sysdesign.rubric.grading import attempt_for
    from sysdesign.rubric.history import HistoryError, open_history
    from sysdesign.rubric.report import grade_lines

    path, design, index, rubric, answers = load_for_grading(
        design_arg, stage, rubric_id, answers_path
    )
    if minutes is not None:
        answers.minutes = minutes
    if answers.minutes is not None and not 0 < answers.minutes <= 1440:
        fail_message("--minutes must be between 0 and 1440")
    store = open_history(history) if record else None
    if store is not None:
        try:
            store.check()  # before asking anything: never lose a session's answers to a bad file
        except HistoryError as exc:
            fail_message(str(exc))
    evaluation = evaluate_or_fail(design, rubric, index)
    pending = answers.pending(evaluation)
    if ask is None:
        ask = sys.stdin.isatty() and fmt is OutputFormat.TEXT
    from sysdesign.signals import Interrupted, holding_signals, run_interactive

    # Held from before the questions' own handlers go until the answers file is written whole.
    with holding_signals():
        if ask and pending:
            out.print(f"{len(pending)} items to judge yourself (y = yes, p = partly, n = no).")
            caps = evaluation.caps or {}

            def ask_all() -> None:
                for n, item in enumerate(pending, start=1):
                    check = evaluation.checks.get(item.id)
                    cap = caps.get(item.id)
                    entry = _ask(
                        item,
                        check.evidence if check else (),
                        cap.reason if cap else None,
                        f"[{n}/{len(pending)}]",
                        notes,
                    )
                    answers.answer(item.id, entry)

            try:  # SIGINT, SIGTERM, SIGHUP, Ctrl-D: keep what was typed (sysdesign.signals)
                run_interactive(
                    ask_all, lambda stop: _keep(answers, rubric, design.id, stop.reason)
                )
            except Interrupted as stop:
                raise typer.Exit(stop.exit_code) from None
        saved_problem = _save(answers, rubric)
    result = evaluation.grade(answers.given)
    attempt_id = None
    if store is not None:
        try:
            attempt_id = store.record(attempt_for(evaluation, result, answers.minutes))
        except HistoryError as exc:
            if fmt is OutputFormat.TEXT:
                _print(grade_lines(result, evaluation))
            kept = (
                f"; your answers are kept in {display_path(answers.path)}: record it later with: "
                f"sysdesign grade {design.id} --answers {display_path(answers.path)}"
                if answers.path.exists() and not saved_problem
                else ""
            )
            fail_message(f"{exc} (this attempt was not recorded{kept})")
    if fmt is OutputFormat.JSON:
        print_json(
            {
                "design": design.id,
                "file": display_path(path),
                "stage": index,
                "stages": len(design.stages),
                "minutes": answers.minutes,
                "attempt": attempt_id,
                "history": str(store.path) if store else None,
                "answers_file": display_path(answers.path) if answers.path.exists() else None,
                "per_stage": [row.as_dict() for row in evaluation.rows],
                **result.as_dict(),
            }
        )
        return
    _print(grade_lines(result, evaluation))
    if answers.typed and not saved_problem:
        out.print(
            f"\n{len(answers.typed)} answers written to {display_path(answers.path)}",
            markup=False,
        )
    if saved_problem:
        err.print(f"warning: your answers were not written back: {saved_problem}", markup=False)
    if store is not None:
        out.print(f"\nRecorded attempt {attempt_id} in {store.path}", markup=False)


def _print(lines: list[tuple[str, bool]]) -> None:
    for text, bold in lines:
        out.print(text, markup=False, style="bold" if bold else None, highlight=False)
