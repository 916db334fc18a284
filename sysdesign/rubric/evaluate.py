"""One design, one stage, one checker report: the rubric's auto items judged against them.

Checklists and grading both start here. The checker's report is a parameter; the CLI runs it.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from sysdesign.checks.findings import Report
from sysdesign.graph import build_graph
from sysdesign.model import Design
from sysdesign.rubric.models import Rubric
from sysdesign.rubric.scoring import CheckResult, check_items


@dataclass(frozen=True)
class Evaluation:
    design: Design
    stage: int  # the stage index graded (0 = base)
    report: Report
    graph: nx.DiGraph
    rubric: Rubric
    checks: dict[str, CheckResult]

    @property
    def stage_title(self) -> str | None:
        return self.design.stages[self.stage - 1].title if self.stage else None


def evaluate(design: Design, rubric: Rubric, report: Report, stage: int) -> Evaluation:
    """Judge every auto item of `rubric` on the design as of `stage` (an index, 0 = base)."""
    graph = build_graph(design, stage)
    return Evaluation(design, stage, report, graph, rubric, check_items(rubric, report, graph))
