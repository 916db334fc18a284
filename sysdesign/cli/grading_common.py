"""Options and argument handling shared by grade, checklist, progress, rubric and next."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from sysdesign.cli.common import fail, fail_message
from sysdesign.diagnostics import InputError
from sysdesign.model import Design
from sysdesign.rubric.history import ENV as HISTORY_ENV
from sysdesign.views import resolve_stage

if TYPE_CHECKING:
    from sysdesign.rubric.evaluate import Evaluation
    from sysdesign.rubric.grading import Answers
    from sysdesign.rubric.models import Rubric

HistoryOption = typer.Option(
    None, "--history", help=f"History file (default: ${HISTORY_ENV}, else the user data dir)."
)
StageOption = typer.Option(
    None,
    "--stage",
    "-s",
    help="Last stage reached, number or id (default: the last stage); every stage up to it "
    "is graded.",
)


def stage_index(design: Design, stage: str | None) -> int:
    if stage is None:
        return len(design.stages)
    try:
        return resolve_stage(design, stage)
    except ValueError as exc:
        fail_message(str(exc))


def rubric_for(design: Design, rubric_id: str | None) -> Rubric:
    from sysdesign.rubric.loader import RubricNotFound, load_rubric, rubric_for_design

    try:
        return load_rubric(rubric_id) if rubric_id else rubric_for_design(design)
    except InputError as exc:
        fail(exc.diagnostics)
    except RubricNotFound as exc:
        fail_message(str(exc))


def load_for_grading(
    design_arg: str, stage: str | None, rubric_id: str | None, answers_path: Path | None
) -> tuple[Path, Design, int, Rubric, Answers]:
    """What grade and checklist both start from: the design, the last stage reached, its rubric
    and the attempt's answers (located errors and exit 2 on any problem)."""
    from sysdesign.cli.common import load_one
    from sysdesign.rubric.grading import load_attempt_answers

    path, design = load_one(design_arg)
    index = stage_index(design, stage)
    rubric = rubric_for(design, rubric_id)
    try:
        answers = load_attempt_answers(design, rubric, answers_path)
    except InputError as exc:
        fail(exc.diagnostics)
    return path, design, index, rubric, answers


def evaluate_or_fail(design: Design, rubric: Rubric, stage: int) -> Evaluation:
    """The rubric judged at every stage up to `stage`; a crashing rule is one line, exit 2."""
    from sysdesign.checks import RuleCrashed
    from sysdesign.rubric.evaluate import evaluate

    try:
        return evaluate(design, rubric, stage)
    except RuleCrashed as exc:
        fail_message(f"{design.id}: {exc} (a bug in sysdesign: please report)")
