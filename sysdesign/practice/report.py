"""The end of a session: check every stage reached, grade, compare with the reference, record.

Self items are judged from an answers file when one is given; otherwise they are left for later
(scored 0 now) and `answers/<name>.yaml` is written as a template for `sysdesign grade`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sysdesign.diagnostics import InputError
from sysdesign.model import Design, Requirements, Scale
from sysdesign.practice.sidebyside import (
    EstimateRow,
    compare_estimates,
    requirements_side_by_side,
)
from sysdesign.practice.state import SessionState
from sysdesign.practice.status import checked_design, is_expectation
from sysdesign.yamlsource import parse_text


@dataclass
class StageResult:
    stage: int
    title: str
    errors: int
    warnings: int
    score: float | None
    missed: list[str] = field(default_factory=list)  # expectations first unmet at this stage
    new_errors: list[str] = field(default_factory=list)  # other errors first seen at this stage

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class EndReport:
    """Everything the end of a session shows and records."""

    status: str  # finished | partial
    phase_minutes: dict[str, float]
    stages_reached: int
    problems: list[str] = field(default_factory=list)  # the file did not validate
    stages: list[StageResult] = field(default_factory=list)
    overall: float | None = None
    level: str | None = None
    unanswered: int = 0
    requirements: dict[str, Any] = field(default_factory=dict)
    estimates: list[EstimateRow] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)
    attempt_id: int | None = None
    session_id: int | None = None
    history: str | None = None
    answers_template: str | None = None
    not_recorded: str | None = None
    interrupted: str | None = None  # why the session stopped early, if it did
    exit_code: int = 0  # 128 + the signal that stopped it (sysdesign.signals), 1 at end of input

    def as_dict(self) -> dict[str, Any]:
        data = self.__dict__.copy()
        data["stages"] = [s.as_dict() for s in self.stages]
        data["estimates"] = [e.as_dict() for e in self.estimates]
        return data


def _lenient(text: str | None, display: str, key: str, model: type[Any]) -> Any:
    """One part of a file that may not validate as a whole (a snapshot mid-session)."""
    if text is None:
        return None
    try:
        data = parse_text(text, display).data
    except InputError:
        return None
    if not isinstance(data, dict) or key not in data:
        return None
    try:
        return model.model_validate(data[key])
    except ValidationError:
        return None


class _Mine:
    """What `compare_estimates` reads: requirements and scale, from whichever file has them."""

    def __init__(self, requirements: Requirements | None, scale: Scale | None) -> None:
        self.requirements = requirements or Requirements()
        self.scale = scale


def phase_minutes(state: SessionState) -> dict[str, float]:
    """Minutes per phase that ran, in the order the phases run."""
    from sysdesign.practice.phases import PHASE_IDS

    return {name: round(state.spent[name] / 60, 2) for name in PHASE_IDS if state.spent.get(name)}


def _grade(design: Design, reached: int, answers: Path | None) -> tuple[list[StageResult], Any]:
    """Check and grade every stage reached; the last stage's grade is the attempt's."""
    from sysdesign.checks import run_checks
    from sysdesign.rubric import rubric_for_design
    from sysdesign.rubric.evaluate import evaluate
    from sysdesign.rubric.grading import load_attempt_answers
    from sysdesign.rubric.rounding import score as rounded

    rubric = rubric_for_design(design)
    given = load_attempt_answers(design, rubric, answers).given
    reports = {stage: run_checks(design, stage) for stage in range(reached + 1)}
    results: list[StageResult] = []
    last: Any = None
    seen: set[str] = set()
    for stage, report in reports.items():
        evaluation = evaluate(design, rubric, stage, reports)
        grade = evaluation.grade(given)
        title = design.stages[stage - 1].title if stage else "base design"
        fresh = [f for f in report.open_findings if f.severity == "error" and f.message not in seen]
        seen.update(f.message for f in fresh)
        results.append(
            StageResult(
                stage,
                title,
                len(report.errors),
                len(report.warnings),
                rounded(grade.overall),
                missed=[f.message for f in fresh if is_expectation(f)],
                new_errors=[f"{f.code} {f.message}" for f in fresh if not is_expectation(f)],
            )
        )
        last = (rubric, grade, evaluation)
    return results, last


def finish(
    state: SessionState,
    design_file: Path,
    display: str,
    reference: Design,
    answers: Path | None = None,
) -> tuple[EndReport, Any]:
    """The report of a session (not yet recorded) and the grade behind it, if it graded."""
    end = EndReport(state.status, phase_minutes(state), state.stages_revealed)
    try:
        text: str | None = design_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        text = None
        end.problems = [f"{display}: error: cannot read: {exc}"]
    design: Design | None = None
    if text is not None:
        try:
            design = checked_design(text, display, state.revealed, state.stages_revealed)
        except InputError as exc:
            end.problems = [d.format() for d in exc.diagnostics]
    graded = None
    if design is not None:
        reached = min(state.stages_revealed, len(design.stages))
        end.stages_reached = reached
        end.stages, graded = _grade(design, reached, answers)
        _, grade, _ = graded
        end.overall = end.stages[-1].score
        end.level = grade.level.id
        end.unanswered = len(grade.unanswered) or len(graded[2].to_ask())
    early = state.snapshots.get("requirements", text)
    requirements = _lenient(early, display, "requirements", Requirements)
    # the user's own figures: the checked design has the interviewer's filled in where the user
    # wrote none, and those are not the user's estimates
    scale = _lenient(text, display, "scale", Scale)
    mine = _Mine(requirements, scale)
    end.requirements = requirements_side_by_side(mine, reference)  # type: ignore[arg-type]
    stated = state.revealed.get("scale", {})
    end.estimates = compare_estimates(mine, reference, stated)  # type: ignore[arg-type]
    end.questions = _questions_with_discussion(state, reference)
    return end, graded


def _questions_with_discussion(state: SessionState, reference: Design) -> list[dict[str, Any]]:
    out = []
    for asked in state.asked:
        stage = int(asked.get("stage", 0))
        points = (
            reference.stages[stage - 1].discussion if 0 < stage <= len(reference.stages) else []
        )
        out.append(
            {
                **asked,
                "discussion": [
                    points[n - 1] for n in asked.get("discussion_points", []) if n <= len(points)
                ],
            }
        )
    return out


def record(
    end: EndReport,
    graded: Any,
    state: SessionState,
    history: Path | None,
) -> None:
    """Record the graded attempt (when it graded) and the practice session, linked."""
    from sysdesign.rubric.grading import attempt_for
    from sysdesign.rubric.history import HistoryError, PracticeSession, open_history

    store = open_history(history)
    end.history = str(store.path)
    now = datetime.now(UTC).replace(microsecond=0).isoformat()  # the session's record
    try:
        if graded is not None and end.status == "finished":
            _, grade, evaluation = graded
            minutes = round(sum(end.phase_minutes.values()), 2) or None
            end.attempt_id = store.record(attempt_for(evaluation, grade, minutes))
        end.session_id = store.record_practice(
            PracticeSession(
                recorded_at=now,
                design=state.name,
                drill=state.drill,
                phase_minutes=end.phase_minutes,
                stages_reached=end.stages_reached,
                stage_scores={s.stage: s.score for s in end.stages if s.score is not None},
                attempt_id=end.attempt_id,
            )
        )
    except HistoryError as exc:
        end.not_recorded = str(exc)
