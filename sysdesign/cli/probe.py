"""`probe`: the follow-up questions an interviewer would ask about one design."""

from __future__ import annotations

import typer

from sysdesign.cli.app import app
from sysdesign.cli.common import FormatOption, OutputFormat, fail_message, load_one, out, print_json


@app.command()
def probe(
    design_arg: str = typer.Argument(..., metavar="FILE", help="Design file or id."),
    stage: str = typer.Option(None, "--stage", "-s", help="Stage, number or id (default: base)."),
    discussion: bool = typer.Option(
        False, "--discussion", help="Also show the reference's discussion points (spoilers)."
    ),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Follow-up questions about THIS design, from its graph, figures and findings."""
    from sysdesign.checks import RuleCrashed
    from sysdesign.diagnostics import InputError
    from sysdesign.drills import load_reference
    from sysdesign.probe import probe as make_questions
    from sysdesign.views import resolve_stage

    _, design = load_one(design_arg)
    try:
        index = resolve_stage(design, stage) if stage is not None else 0
    except ValueError as exc:
        fail_message(str(exc))
    reference = None
    if design.drill:
        try:
            reference = design if design.drill == design.id else load_reference(design.drill)
        except (FileNotFoundError, InputError):
            reference = None
    try:
        questions = make_questions(design, index, reference)
    except RuleCrashed as exc:
        fail_message(f"{design.id}: {exc} (a bug in sysdesign: please report)")
    if fmt is OutputFormat.JSON:
        print_json(
            {
                "design": design.id,
                "stage": index,
                "reference": reference.id if reference else None,
                "questions": [q.as_dict(discussion) for q in questions],
            }
        )
        return
    where = f"stage {index}" if index else "the base design"
    out.print(f"[bold]{design.id}[/bold], {where}: {len(questions)} follow-up questions")
    for n, q in enumerate(questions, start=1):
        flag = " (asks for a figure the design does not state)" if q.asks_for_figure else ""
        out.print(f"{n:3}. {q.text}{flag}", markup=False)
        if q.discussion and reference is not None:
            points = ", ".join(str(p) for p, _ in q.discussion)
            out.print(f"     reference: {reference.id} stage {index}, point {points}", markup=False)
            if discussion:
                for _, text in q.discussion:
                    out.print(f"       - {text}", markup=False)
