"""Rubrics, checklists and self-grading.

    rubric = rubric_for_design(design)          # rubrics/<id>.yaml, extends resolved
    evaluation = evaluate(design, rubric, stage)  # auto items judged at stages 0..stage, caps
    grade = evaluation.grade(answers)           # sections, overall, level, weakest
    # by hand: score(rubric, outcomes(rubric, checks, answers, caps), floor)

Answers files: `load_answers(path, rubric)` and `answers_template(rubric)`.
"""

from sysdesign.rubric.answers import answers_template
from sysdesign.rubric.evaluate import Evaluation, evaluate
from sysdesign.rubric.loader import (
    RubricNotFound,
    available_rubrics,
    load_answers,
    load_rubric,
    rubric_for_design,
    rubric_id_for,
)
from sysdesign.rubric.models import Answer, AnswerEntry, AnswersFile, Item, Rubric, Section
from sysdesign.rubric.scoring import (
    CheckResult,
    Grade,
    Outcome,
    check_item,
    check_items,
    items_to_ask,
    outcomes,
    score,
)

__all__ = [
    "Answer",
    "AnswerEntry",
    "AnswersFile",
    "CheckResult",
    "Evaluation",
    "Grade",
    "Item",
    "Outcome",
    "Rubric",
    "RubricNotFound",
    "Section",
    "answers_template",
    "available_rubrics",
    "check_item",
    "check_items",
    "evaluate",
    "items_to_ask",
    "load_answers",
    "load_rubric",
    "outcomes",
    "rubric_for_design",
    "rubric_id_for",
    "score",
]
