"""One design graded up to one stage: the rubric's auto items judged at every stage reached,
the evidence caps on self answers, and the floor for near-empty designs.

Checklists, grading, compare and the practice session all start here:

    evaluation = evaluate(design, rubric, stage)          # reports run when not given
    results = outcomes(rubric, evaluation.checks, answers, evaluation.caps)
    grade = score(rubric, results, evaluation.floor)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from sysdesign.checks.findings import Report
from sysdesign.model import Design
from sysdesign.rubric.evidence import Cap, caps, floor_reason
from sysdesign.rubric.models import AnswerEntry, Item, Rubric
from sysdesign.rubric.records import StageRow
from sysdesign.rubric.scoring import CheckResult, Grade, items_to_ask, outcomes, score
from sysdesign.rubric.staged import judge_stages


@dataclass(frozen=True)
class Evaluation:
    design: Design
    stage: int  # the last stage reached (0 = base)
    report: Report  # the checker's report at that stage
    graph: nx.DiGraph  # the design graph at that stage
    rubric: Rubric
    checks: dict[str, CheckResult]  # auto items, combined over stages 0..stage
    rows: tuple[StageRow, ...] = ()  # one per stage reached
    caps: dict[str, Cap] | None = None
    floor: str | None = None

    @property
    def stage_title(self) -> str | None:
        return self.design.stages[self.stage - 1].title if self.stage else None

    def to_ask(self) -> list[Item]:
        """The items the user still has to judge (before any answers)."""
        return items_to_ask(self.rubric, self.checks, self.caps)

    def grade(self, answers: Mapping[str, AnswerEntry]) -> Grade:
        return score(
            self.rubric, outcomes(self.rubric, self.checks, answers, self.caps), self.floor
        )


def evaluate(
    design: Design,
    rubric: Rubric,
    stage: int,
    reports: Mapping[int, Report] | None = None,
) -> Evaluation:
    """Judge `rubric` on the design as reached at `stage` (an index, 0 = base): auto items at
    every stage 0..stage, caps from the evidence, the floor. `reports` (stage -> checker report)
    saves re-running checks the caller already ran."""
    staged = judge_stages(design, rubric, stage, reports)
    graph = staged.graphs[stage]
    floor = floor_reason(graph)
    return Evaluation(
        design=design,
        stage=stage,
        report=staged.reports[stage],
        graph=graph,
        rubric=rubric,
        checks=staged.checks,
        rows=staged.rows,
        caps=caps(rubric, staged, floor),
        floor=floor,
    )
