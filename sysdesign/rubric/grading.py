"""A grading session without the terminal: which answers apply, what is left to ask, and the
attempt to record. `sysdesign grade` and the practice session both use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sysdesign.model import Design
from sysdesign.rubric.answers import default_answers_path
from sysdesign.rubric.evaluate import Evaluation
from sysdesign.rubric.loader import load_answers
from sysdesign.rubric.models import AnswerEntry, Item, Rubric
from sysdesign.rubric.records import Attempt
from sysdesign.rubric.rounding import score as round_score
from sysdesign.rubric.scoring import Grade


@dataclass
class Answers:
    """The answers in play: from the attempt's file, then typed at the terminal."""

    path: Path  # the file read (when it exists) and written back to
    given: dict[str, AnswerEntry] = field(default_factory=dict)
    minutes: float | None = None
    typed: dict[str, AnswerEntry] = field(default_factory=dict)  # answered this session

    def pending(self, evaluation: Evaluation) -> list[Item]:
        """Items still to judge: asked by the rubric and not answered yet."""
        return [
            i
            for i in evaluation.to_ask()
            if self.given.get(i.id) is None or self.given[i.id].answer is None
        ]

    def answer(self, item_id: str, entry: AnswerEntry) -> None:
        self.given[item_id] = entry
        self.typed[item_id] = entry


def load_attempt_answers(design: Design, rubric: Rubric, path: Path | None) -> Answers:
    """The answers file given, else the attempt's own (`answers/<id>.yaml`) when it exists.

    Raises InputError (located) for a file that does not validate against `rubric`.
    """
    target = path if path is not None else default_answers_path(design.id)
    if path is None and not target.exists():
        return Answers(target)
    parsed = load_answers(target, rubric)
    return Answers(target, dict(parsed.answers), parsed.minutes)


def attempt_for(
    evaluation: Evaluation, grade: Grade, minutes: float | None, now: datetime | None = None
) -> Attempt:
    """The history record of one graded attempt."""
    design = evaluation.design
    when = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    outcomes = [o for s in grade.sections for o in s.outcomes]
    return Attempt(
        recorded_at=when.isoformat(),
        design=design.id,
        drill=design.drill or design.id,
        rubric=grade.rubric.id,
        stage=evaluation.stage,
        stages=len(design.stages),
        minutes=minutes,
        overall=round_score(grade.overall),
        level=grade.level.id,
        sections={s.id: round_score(s.score) for s in grade.sections},
        answers={
            o.item.id: {"answer": o.status, "note": o.note}
            for o in outcomes
            if o.judged_by == "you"
        },
        per_stage=evaluation.rows,
        missed=tuple(o.item.id for o in outcomes if o.credit < 1.0),
    )


def answered_count(given: Mapping[str, AnswerEntry]) -> int:
    return sum(1 for e in given.values() if e is not None and e.answer is not None)
