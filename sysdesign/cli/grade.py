"""`grade`, `checklist`, `progress` and `rubric`: self-grading against the rubrics."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import typer

from sysdesign.cli.app import app
from sysdesign.cli.common import (
    FormatOption,
    OutputFormat,
    err,
    fail,
    fail_message,
    load_one,
    out,
    print_json,
)
from sysdesign.diagnostics import InputError
from sysdesign.model import Design
from sysdesign.paths import display_path, renders_dir_for, workspace_renders_dir
from sysdesign.rubric.history import ENV as HISTORY_ENV
from sysdesign.rubric.history import Attempt, History, HistoryError, open_history
from sysdesign.rubric.models import Answer, AnswerEntry, Item, Rubric
from sysdesign.views import resolve_stage

HistoryOption = typer.Option(
    None, "--history", help=f"History file (default: ${HISTORY_ENV}, else the user data dir)."
)
StageOption = typer.Option(
    None, "--stage", "-s", help="Stage reached, number or id (default: the last stage)."
)

_ANSWER_WORDS = {
    "y": Answer.YES,
    "yes": Answer.YES,
    "p": Answer.PARTLY,
    "partly": Answer.PARTLY,
    "partial": Answer.PARTLY,
    "n": Answer.NO,
    "no": Answer.NO,
}


def _stage(design: Design, stage: str | None) -> int:
    if stage is None:
        return len(design.stages)
    try:
        return resolve_stage(design, stage)
    except ValueError as exc:
        fail_message(str(exc))


def _rubric(design: Design, rubric_id: str | None) -> Rubric:
    from sysdesign.rubric.loader import RubricNotFound, load_rubric, rubric_for_design

    try:
        return load_rubric(rubric_id) if rubric_id else rubric_for_design(design)
    except InputError as exc:
        fail(exc.diagnostics)
    except RubricNotFound as exc:
        fail_message(str(exc))


def _evaluate(design: Design, rubric: Rubric, stage: int):  # type: ignore[no-untyped-def]
    from sysdesign.checks import RuleCrashed, run_checks
    from sysdesign.rubric.evaluate import evaluate

    try:
        report = run_checks(design, stage)
    except RuleCrashed as exc:
        fail_message(f"{design.id}: {exc} (a bug in sysdesign: please report)")
    return evaluate(design, rubric, report, stage)


def _ask(item: Item, evidence: tuple[str, ...], position: str) -> AnswerEntry:
    """Ask one item at the terminal."""
    out.print(f"\n[bold]{position} {item.text}[/bold]")
    for line in evidence:
        out.print(f"  seen in the design: {line}", markup=False)
    for level in ("mid", "senior", "staff"):
        out.print(f"  {level:7} {getattr(item.levels, level)}", markup=False)
    while True:
        raw = typer.prompt("  yes / partly / no", default="", show_default=False)
        word = raw.strip().lower()
        if word in _ANSWER_WORDS:
            break
        out.print("  answer y (yes), p (partly) or n (no)")
    note = typer.prompt("  note (optional)", default="", show_default=False).strip()
    return AnswerEntry(answer=_ANSWER_WORDS[word], note=note or None)


def _save_partial(
    design: Design,
    rubric,
    given: dict[str, AnswerEntry],  # type: ignore[no-untyped-def]
    minutes: int | None,
) -> NoReturn:
    """Keep the answers typed so far when the session is interrupted, then stop (exit 1)."""
    import yaml

    from sysdesign.atomic import write_text_atomic
    from sysdesign.paths import answers_dir

    answered = {
        item_id: entry.model_dump(mode="json", exclude_none=True)
        for item_id, entry in given.items()
        if entry is not None and entry.answer is not None
    }
    data: dict[str, object] = {"rubric": rubric.id, "answers": answered}
    if minutes is not None:
        data["minutes"] = minutes
    target = answers_dir() / f"{design.id}.partial.yaml"
    try:
        write_text_atomic(target, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    except OSError as exc:
        err.print(f"\ninterrupted; could not save your answers: {exc.strerror}", markup=False)
        raise typer.Exit(1) from None
    err.print(
        f"\ninterrupted: {len(answered)} answers kept in {display_path(target)}; nothing was "
        f"recorded. Resume with: sysdesign grade {design.id} --answers {display_path(target)}",
        markup=False,
    )
    raise typer.Exit(1)


def _bar(score: float, width: int = 20) -> str:
    filled = round(score / 100 * width)
    return "#" * filled + "." * (width - filled)


def _print_grade(grade, design: Design, stage: int, evaluation) -> None:  # type: ignore[no-untyped-def]
    stages = len(design.stages)
    where = f"stage {stage} of {stages}" if stage else f"base design ({stages} stages)"
    out.print(
        f"[bold]{design.id}[/bold], {where}, rubric {' < '.join(grade.rubric.chain)}",
        highlight=False,
    )
    width = max(len(s.title) for s in grade.sections)
    for s in grade.sections:
        out.print(f"  {s.title:{width}}  {s.score:5.1f}  {_bar(s.score)}", markup=False)
    out.print(f"[bold]Overall {grade.overall:.1f}: {grade.level.label}[/bold]")
    for reason in grade.blockers:
        out.print(f"  not {grade.next_level.label}: {reason}", markup=False)
    failed = [o for s in grade.sections for o in s.outcomes if o.status == "fail"]
    if failed:
        out.print("\nFailed in the design:")
        for o in failed:
            out.print(f"  x {o.item.text}", markup=False)
            for line in o.evidence:
                out.print(f"      {line}", markup=False)
    if grade.unanswered:
        out.print(
            f"\n{len(grade.unanswered)} items not answered (scored 0): "
            + ", ".join(grade.unanswered),
            markup=False,
        )
    if grade.weakest:
        out.print("\nStudy next:")
        for n, weak in enumerate(grade.weakest, start=1):
            o = weak.outcome
            out.print(f"  {n}. {o.item.text} ({o.status}, -{weak.lost:.1f} points)", markup=False)
            for line in o.evidence if o.status == "fail" else ():
                out.print(f"     why: {line}", markup=False)
            if o.note:
                out.print(f"     your note: {o.note}", markup=False)
            out.print(f"     study: {o.item.study}", markup=False)
            out.print(f"     {weak.target_level} looks like: {weak.target}", markup=False)


@app.command()
def grade(
    design_arg: str = typer.Argument(..., metavar="DESIGN", help="Design file or id."),
    answers: Path = typer.Option(None, "--answers", "-a", help="YAML answers for self items."),
    minutes: float = typer.Option(None, "--minutes", "-m", help="How long the session took."),
    stage: str = StageOption,
    rubric_id: str = typer.Option(None, "--rubric", help="Grade with this rubric instead."),
    history: Path = HistoryOption,
    record: bool = typer.Option(True, "--record/--no-record", help="Save the attempt."),
    ask: bool = typer.Option(
        None, "--ask/--no-ask", help="Ask unanswered items at the terminal (default: on a TTY)."
    ),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Grade an attempt: auto items from the design, the rest from you; record it."""
    from sysdesign.rubric.loader import load_answers
    from sysdesign.rubric.scoring import items_to_ask, outcomes, score

    path, design = load_one(design_arg)
    index = _stage(design, stage)
    rubric = _rubric(design, rubric_id)
    given: dict[str, AnswerEntry] = {}
    if answers is not None:
        try:
            answers_file = load_answers(answers, rubric)
        except InputError as exc:
            fail(exc.diagnostics)
        given = dict(answers_file.answers)
        if minutes is None:
            minutes = answers_file.minutes
    if minutes is not None and not 0 < minutes <= 1440:
        fail_message("--minutes must be between 0 and 1440")
    store: History | None = None
    if record:
        store = open_history(history)
        try:
            store.check()  # before asking anything: never lose a session's answers to a bad file
        except HistoryError as exc:
            fail_message(str(exc))
    evaluation = _evaluate(design, rubric, index)
    pending = [
        i
        for i in items_to_ask(rubric, evaluation.checks)
        if given.get(i.id) is None or given[i.id].answer is None
    ]
    if ask is None:
        ask = sys.stdin.isatty() and fmt is OutputFormat.TEXT
    if ask and pending:
        out.print(f"{len(pending)} items to judge yourself (y = yes, p = partly, n = no).")
        try:
            for n, item in enumerate(pending, start=1):
                check = evaluation.checks.get(item.id)
                given[item.id] = _ask(
                    item, check.evidence if check else (), f"[{n}/{len(pending)}]"
                )
        except (typer.Abort, EOFError, KeyboardInterrupt):
            _save_partial(design, rubric, given, minutes)
    results = outcomes(rubric, evaluation.checks, given)
    result = score(rubric, results)
    attempt_id = None
    if store is not None:
        attempt = Attempt(
            recorded_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
            design=design.id,
            drill=design.drill or design.id,
            rubric=rubric.id,
            stage=index,
            stages=len(design.stages),
            minutes=minutes,
            overall=round(result.overall, 2),
            level=result.level.id,
            sections={s.id: round(s.score, 2) for s in result.sections},
            answers={
                o.item.id: {"answer": o.status, "note": o.note}
                for s in result.sections
                for o in s.outcomes
                if o.judged_by == "you"
            },
        )
        try:
            attempt_id = store.record(attempt)
        except HistoryError as exc:
            if fmt is OutputFormat.TEXT:
                _print_grade(result, design, index, evaluation)
            fail_message(f"{exc} (this attempt was not recorded)")
    if fmt is OutputFormat.JSON:
        print_json(
            {
                "design": design.id,
                "file": display_path(path),
                "stage": index,
                "stages": len(design.stages),
                "minutes": minutes,
                "attempt": attempt_id,
                "history": str(store.path) if store else None,
                **result.as_dict(),
            }
        )
        return
    _print_grade(result, design, index, evaluation)
    if store is not None:
        out.print(f"\nRecorded attempt {attempt_id} in {store.path}", markup=False)


@app.command()
def checklist(
    design_arg: str = typer.Argument(..., metavar="DESIGN", help="Design file or id."),
    stage: str = StageOption,
    rubric_id: str = typer.Option(None, "--rubric", help="Use this rubric instead."),
    out_dir: Path = typer.Option(
        None, "--out", "-o", help="Directory to write into (default: renders/<design-id>/)."
    ),
) -> None:
    """Write the rubric as a Markdown task list and one HTML page, auto items marked."""
    from sysdesign.rubric.checklist import render_checklist, render_diagram, write_checklist

    source, design = load_one(design_arg)
    index = _stage(design, stage)
    rubric = _rubric(design, rubric_id)
    evaluation = _evaluate(design, rubric, index)
    diagram = render_diagram(evaluation)
    markdown, html = render_checklist(evaluation, diagram)
    target = out_dir if out_dir is not None else renders_dir_for(source, design.id)
    try:
        paths = write_checklist(target, markdown, html)
    except OSError as exc:
        fail_message(f"cannot write to {target}: {exc.strerror}")
    if diagram.problem:
        out.print(f"warning: {diagram.problem}", markup=False)
    for p in paths:
        out.print(display_path(p), markup=False)


@app.command()
def progress(
    drill: str = typer.Option(None, "--drill", "-d", help="Only this drill."),
    history: Path = HistoryOption,
    chart: Path = typer.Option(
        None, "--chart", "-c", help="Chart file, .svg or .png (default: renders/progress.svg)."
    ),
    no_chart: bool = typer.Option(False, "--no-chart", help="Only print the table."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Show graded attempts and chart scores over time per drill and per section."""
    from sysdesign.rubric.progress import chart_format, render_chart, rows

    store = open_history(history)
    if not store.path.exists():
        fail_message(f"no history at {store.path} yet: grade an attempt with `sysdesign grade`")
    try:
        attempts = store.attempts(drill)
        known = store.drills() if drill is not None and not attempts else []
    except HistoryError as exc:
        fail_message(str(exc))
    if drill is not None and not attempts:
        from sysdesign.views import suggest

        fail_message(f"no attempts for drill {drill!r}{suggest(drill, known)}")
    table = rows(attempts)
    chart_path = None
    if not no_chart:
        chart_path = chart or workspace_renders_dir() / (
            f"progress-{drill}.svg" if drill else "progress.svg"
        )
        try:
            fmt_chart = chart_format(chart_path)
        except ValueError as exc:
            fail_message(str(exc))
        from sysdesign.atomic import write_bytes_atomic

        try:
            write_bytes_atomic(chart_path, render_chart(attempts, fmt_chart))
        except OSError as exc:
            fail_message(f"cannot write {chart_path}: {exc.strerror}")
    if fmt is OutputFormat.JSON:
        print_json(
            {
                "history": str(store.path),
                "chart": str(chart_path) if chart_path else None,
                "attempts": [a.as_dict() for a in attempts],
            }
        )
        return
    from rich.table import Table

    grid = Table(show_edge=False, pad_edge=False)
    for name, justify in (
        ("#", "right"),
        ("date", "left"),
        ("drill", "left"),
        ("stage", "right"),
        ("min", "right"),
        ("overall", "right"),
        ("level", "left"),
        ("weakest section", "left"),
    ):
        grid.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in table:
        grid.add_row(
            str(row["id"]),
            row["date"],
            row["drill"],
            row["stage"],
            f"{row['minutes']:g}" if row["minutes"] is not None else "-",
            f"{row['overall']:.1f}",
            row["level"],
            row["weakest"],
        )
    out.print(grid)
    if chart_path is not None:
        out.print(f"chart: {display_path(chart_path)}", markup=False)


@app.command("rubric")
def rubric_command(
    rubric_id: str = typer.Argument(None, metavar="[ID]", help="Show one rubric's items."),
    template: bool = typer.Option(
        False, "--answers-template", help="Print a commented answers file for the rubric."
    ),
    fmt: OutputFormat = FormatOption,
) -> None:
    """List the rubrics (validating each), or show one rubric's sections and items."""
    from sysdesign.rubric.answers import answers_template
    from sysdesign.rubric.loader import RubricNotFound, available_rubrics, load_rubric

    if rubric_id is None:
        problems = []
        listing = []
        for rid in available_rubrics():
            try:
                r = load_rubric(rid)
            except InputError as exc:
                problems.extend(exc.diagnostics)
                continue
            listing.append(r)
        if problems:
            fail(problems)
        if fmt is OutputFormat.JSON:
            print_json(
                [
                    {
                        "id": r.id,
                        "title": r.title,
                        "extends": list(r.chain[1:]),
                        "items": len(r.items),
                    }
                    for r in listing
                ]
            )
            return
        for r in listing:
            base = f" (extends {r.chain[1]})" if len(r.chain) > 1 else ""
            out.print(f"{r.id:22} {len(r.items):3} items  {r.title}{base}", markup=False)
        return
    try:
        r = load_rubric(rubric_id)
    except InputError as exc:
        fail(exc.diagnostics)
    except RubricNotFound as exc:
        fail_message(str(exc))
    if template:
        typer.echo(answers_template(r), nl=False)
        return
    if fmt is OutputFormat.JSON:
        print_json(
            {
                "id": r.id,
                "title": r.title,
                "chain": list(r.chain),
                "levels": [lv.model_dump() for lv in r.levels],
                "sections": [
                    {
                        "id": s.id,
                        "title": s.title,
                        "weight": s.weight,
                        "items": [
                            {
                                "id": i.id,
                                "text": i.text,
                                "kind": i.kind,
                                "weight": i.weight,
                                "auto": i.auto.model_dump(exclude_defaults=True)
                                if i.auto
                                else None,
                                "levels": i.levels.model_dump(),
                                "study": i.study,
                                "critical": i.critical,
                                "from": i.source,
                            }
                            for i in s.items
                        ],
                    }
                    for s in r.sections
                ],
            }
        )
        return
    out.print(f"[bold]{r.id}[/bold]: {r.title}  ({' < '.join(r.chain)})")
    levels = ", ".join(f"{lv.label} >= {lv.min_score:g}" for lv in r.levels)
    out.print(f"levels: {levels}", markup=False)
    for s in r.sections:
        out.print(f"\n{s.title} (weight {s.weight:g})", markup=False)
        for i in s.items:
            flag = " (critical)" if i.critical else ""
            out.print(f"  {i.id:28} {i.kind:12} w{i.weight:<4g} {i.text}{flag}", markup=False)
