"""`checklist`: the rubric as a Markdown task list and one HTML page, with your answers."""

from __future__ import annotations

from pathlib import Path

import typer

from sysdesign.cli.app import app
from sysdesign.cli.common import fail_message, out
from sysdesign.cli.grading_common import StageOption, evaluate_or_fail, load_for_grading
from sysdesign.paths import display_path, renders_dir_for


@app.command()
def checklist(
    design_arg: str = typer.Argument(..., metavar="DESIGN", help="Design file or id."),
    stage: str = StageOption,
    rubric_id: str = typer.Option(None, "--rubric", help="Use this rubric instead."),
    answers_path: Path = typer.Option(
        None,
        "--answers",
        "-a",
        help="Answers to show (default: answers/<design id>.yaml when it exists).",
    ),
    out_dir: Path = typer.Option(
        None, "--out", "-o", help="Directory to write into (default: the design's renders folder)."
    ),
) -> None:
    """Write the rubric as a Markdown task list and one HTML page: auto items judged at every
    stage reached, your answers as `grade` counts them."""
    from sysdesign.rubric.checklist import render_checklist, render_diagram, write_checklist

    source, design, index, rubric, answers = load_for_grading(
        design_arg, stage, rubric_id, answers_path
    )
    evaluation = evaluate_or_fail(design, rubric, index)
    diagram = render_diagram(evaluation)
    shown = display_path(answers.path) if answers.path.exists() else None
    markdown, html = render_checklist(evaluation, diagram, answers.given, shown)
    target = out_dir if out_dir is not None else renders_dir_for(source, design.id)
    try:
        paths = write_checklist(target, markdown, html, diagram)
    except OSError as exc:
        fail_message(f"cannot write to {target}: {exc.strerror}")
    if diagram.problem:
        out.print(f"warning: {diagram.problem}", markup=False)
    for p in paths:
        out.print(display_path(p), markup=False)
