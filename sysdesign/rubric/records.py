"""What the history stores: graded attempts and timed practice sessions (plain dataclasses).

`Attempt` is one `sysdesign grade`; `PracticeSession` is one timed `sysdesign practice` run
(minutes per phase, stages reached, a score per stage), optionally linked to the attempt that
graded it. Both are written by `sysdesign.rubric.history.History`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StageRow:
    """How an attempt came out at one stage it reached (0 = the base design)."""

    stage: int
    title: str
    evolved: bool | None  # None at the base: nothing to evolve from
    demanded: tuple[str, ...] = ()  # errors the stage's constraint raised and the design left open
    failed: tuple[str, ...] = ()  # auto items that failed at this stage

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "title": self.title,
            "evolved": self.evolved,
            "demanded": list(self.demanded),
            "failed": list(self.failed),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StageRow:
        return cls(
            stage=int(data["stage"]),
            title=str(data.get("title", "")),
            evolved=data.get("evolved"),
            demanded=tuple(data.get("demanded", ())),
            failed=tuple(data.get("failed", ())),
        )


@dataclass(frozen=True)
class Attempt:
    """One graded practice session."""

    recorded_at: str  # ISO 8601, UTC, seconds
    design: str
    drill: str
    rubric: str
    stage: int  # the stage reached
    stages: int  # how many stages the design has
    minutes: float | None
    overall: float
    level: str
    sections: dict[str, float]  # section id -> score 0..100
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # item -> {answer, note}
    id: int | None = None
    per_stage: tuple[StageRow, ...] = ()  # one row per stage graded (schema 2 on)
    missed: tuple[str, ...] = ()  # item ids that earned less than full credit (schema 2 on)

    @property
    def date(self) -> str:
        return self.recorded_at[:10]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "recorded_at": self.recorded_at,
            "date": self.date,
            "design": self.design,
            "drill": self.drill,
            "rubric": self.rubric,
            "stage": self.stage,
            "stages": self.stages,
            "minutes": self.minutes,
            "overall": self.overall,
            "level": self.level,
            "sections": self.sections,
            "answers": self.answers,
            "per_stage": [row.as_dict() for row in self.per_stage],
            "missed": list(self.missed),
        }


@dataclass(frozen=True)
class PracticeSession:
    """One timed practice session, as `sysdesign practice` records it.

    phase_minutes: minutes spent per phase, in the order the phases ran
        (e.g. {"requirements": 5.5, "estimates": 4, "high-level": 11, "deep-dive": 18}).
    stages_reached: the last stage index the session got to (0 = the base design).
    stage_scores: overall score (0..100, rounded with `sysdesign.rubric.rounding.score`) graded
        at each stage reached, keyed by stage index.
    attempt_id: the `Attempt` that graded this session, when it was graded.
    """

    recorded_at: str  # ISO 8601, UTC, seconds
    design: str
    drill: str
    phase_minutes: dict[str, float]
    stages_reached: int
    stage_scores: dict[int, float] = field(default_factory=dict)
    attempt_id: int | None = None
    id: int | None = None

    @property
    def date(self) -> str:
        return self.recorded_at[:10]

    @property
    def minutes(self) -> float:
        return float(sum(self.phase_minutes.values()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "recorded_at": self.recorded_at,
            "date": self.date,
            "design": self.design,
            "drill": self.drill,
            "phase_minutes": self.phase_minutes,
            "minutes": self.minutes,
            "stages_reached": self.stages_reached,
            "stage_scores": {str(k): v for k, v in sorted(self.stage_scores.items())},
            "attempt_id": self.attempt_id,
        }
