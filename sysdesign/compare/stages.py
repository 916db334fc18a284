"""What the reference covers at one stage and the attempt misses (the full state at a stage)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from sysdesign.checks.findings import Finding, Report
from sysdesign.compare.matching import Pair, match_components
from sysdesign.model import Design

PATH_FAMILIES = frozenset({"paths"})
SERIOUS = ("error", "warning")


@dataclass
class StageComparison:
    """Everything that differs at one stage pair (mine, reference)."""

    stage: int  # the reference's stage index
    mine_stage: int
    title: str | None
    missing_layers: list[str] = field(default_factory=list)
    missing_screens: list[str] = field(default_factory=list)
    unreached: list[str] = field(default_factory=list)  # layers drawn that no client reaches
    unprotected: list[Finding] = field(default_factory=list)  # path findings only mine has
    other_findings: list[Finding] = field(default_factory=list)  # other findings only mine has
    rubric_missed: list[tuple[str, str]] = field(default_factory=list)  # (item id, text)
    pairs: list[Pair] = field(default_factory=list)
    discussion: list[str] = field(default_factory=list)  # what the reference raises here

    @property
    def gaps(self) -> int:
        return (
            len(self.missing_layers)
            + len(self.missing_screens)
            + len(self.unreached)
            + len(self.unprotected)
            + len(self.rubric_missed)
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "mine_stage": self.mine_stage,
            "title": self.title,
            "missing_layers": self.missing_layers,
            "missing_screens": self.missing_screens,
            "unreached": self.unreached,
            "unprotected": [f.as_dict() for f in self.unprotected],
            "other_findings": [f.as_dict() for f in self.other_findings],
            "rubric_missed": [list(r) for r in self.rubric_missed],
            "components": [p.as_dict() for p in self.pairs],
            "discussion": self.discussion,
            "gaps": self.gaps,
        }


def _layers(graph: nx.DiGraph) -> set[str]:
    return {layer for _, layers in graph.nodes(data="layers") for layer in layers}


def _screens(graph: nx.DiGraph) -> set[str]:
    return {s for _, screens in graph.nodes(data="screens") for s in screens}


def reached_layers(graph: nx.DiGraph) -> set[str]:
    """Layers of every component some client reaches over flows (any mode): the part of the
    design that serves something. How a component is called (cache-aside from a service or a
    read-through in front of the store) does not matter, only that the traffic gets there."""
    starts = [n for n, kind in graph.nodes(data="kind") if kind == "client"]
    seen = set(starts)
    queue = list(starts)
    while queue:
        node = queue.pop()
        for nxt in graph.successors(node):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return {layer for n in seen for layer in graph.nodes[n]["layers"]}


def _serious(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.is_open and f.severity in SERIOUS]


def compare_stage(
    mine: Design,
    reference: Design,
    stage_mine: int,
    stage_ref: int,
    graphs: tuple[nx.DiGraph, nx.DiGraph],
    reports: tuple[Report, Report],
    failed: tuple[set[str], set[str]],
    item_text: dict[str, str],
) -> StageComparison:
    """The state at one stage pair; `failed` are the rubric items each design fails there."""
    g_mine, g_ref = graphs
    r_mine, r_ref = reports
    ref_stage = reference.stages[stage_ref - 1] if stage_ref else None
    result = StageComparison(stage_ref, stage_mine, ref_stage.title if ref_stage else None)
    mine_layers = _layers(g_mine)
    result.missing_layers = sorted(_layers(g_ref) - mine_layers)
    result.missing_screens = sorted(_screens(g_ref) - _screens(g_mine))
    result.unreached = sorted(
        (reached_layers(g_ref) & mine_layers) - reached_layers(g_mine) - {"client"}
    )
    ref_codes = {f.code for f in _serious(r_ref)}
    only_mine = [f for f in _serious(r_mine) if f.code not in ref_codes]
    result.unprotected = [f for f in only_mine if f.family in PATH_FAMILIES]
    result.other_findings = [f for f in only_mine if f.family not in PATH_FAMILIES]
    mine_failed, ref_failed = failed
    result.rubric_missed = [
        (item, item_text.get(item, item)) for item in sorted(mine_failed - ref_failed)
    ]
    result.pairs = match_components(g_ref.graph["view"], g_mine.graph["view"])
    result.discussion = list(ref_stage.discussion) if ref_stage else []
    return result
