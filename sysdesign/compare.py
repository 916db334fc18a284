"""Compare an attempt with a reference design, stage by stage.

Matching is by kind and role, never by id or label: "the reference has a vector index and a path
from the query service's layer to it; yours has neither".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from sysdesign.checks import run_checks
from sysdesign.checks.context import reach
from sysdesign.checks.findings import Finding
from sysdesign.graph import build_graph
from sysdesign.model import Design

PATH_FAMILIES = frozenset({"paths"})


@dataclass
class StageComparison:
    """What the reference covers at one stage and the attempt misses."""

    stage: int
    title: str | None
    missing_layers: list[str] = field(default_factory=list)
    missing_screens: list[str] = field(default_factory=list)
    missing_paths: list[tuple[str, str]] = field(default_factory=list)  # (from layer, to layer)
    unprotected: list[Finding] = field(default_factory=list)  # path findings only mine has
    other_findings: list[Finding] = field(default_factory=list)  # other findings only mine has
    rubric_missed: list[tuple[str, str]] = field(default_factory=list)  # (item id, title)
    discussion: list[str] = field(default_factory=list)  # what the reference raises here

    @property
    def gaps(self) -> int:
        return (
            len(self.missing_layers)
            + len(self.missing_screens)
            + len(self.missing_paths)
            + len(self.unprotected)
            + len(self.rubric_missed)
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["missing_paths"] = [list(p) for p in self.missing_paths]
        data["unprotected"] = [f.as_dict() for f in self.unprotected]
        data["other_findings"] = [f.as_dict() for f in self.other_findings]
        data["rubric_missed"] = [list(r) for r in self.rubric_missed]
        return data


def _layers(graph: nx.DiGraph) -> set[str]:
    return {layer for _, layers in graph.nodes(data="layers") for layer in layers}


def _screens(graph: nx.DiGraph) -> set[str]:
    return {s for _, screens in graph.nodes(data="screens") for s in screens}


def _layer_paths(graph: nx.DiGraph) -> set[tuple[str, str]]:
    """(kind of u, kind of v) for every flow: the connections the design draws, by layer."""
    kinds = dict(graph.nodes(data="kind"))
    return {(kinds[u], kinds[v]) for u, v in graph.edges if kinds[u] != kinds[v]}


def _connected(graph: nx.DiGraph, pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The pairs for which some component with the first layer reaches one with the second."""
    adjacency = {n: list(graph.successors(n)) for n in graph}
    by_layer: dict[str, list[str]] = {}
    for node, layers in graph.nodes(data="layers"):
        for layer in layers:
            by_layer.setdefault(layer, []).append(node)
    found: set[tuple[str, str]] = set()
    for source in sorted({a for a, _ in pairs}):
        starts = by_layer.get(source, [])
        if not starts:
            continue
        first_hops = {nxt for start in starts for nxt in adjacency[start]}
        reached = reach(adjacency, first_hops)  # one flow or more away from a start
        reached_layers = {layer for n in reached for layer in graph.nodes[n]["layers"]}
        found |= {(source, t) for a, t in pairs if a == source and t in reached_layers}
    return found


def _serious(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_open and f.severity in ("error", "warning")]


def _rubric_missed(
    mine: Design,
    reference: Design,
    stage_mine: int,
    stage_ref: int,
    report_mine: Any,
    report_ref: Any,
) -> list[tuple[str, str]]:
    try:
        from sysdesign.rubric import evaluate, rubric_for_design
    except ImportError:  # pragma: no cover - rubric package is part of the kit
        return []
    rubric = rubric_for_design(reference)
    ours = evaluate(mine, rubric, stage_mine, {stage_mine: report_mine}).checks
    theirs = evaluate(reference, rubric, stage_ref, {stage_ref: report_ref}).checks
    titles = {item.id: item.text for section in rubric.sections for item in section.items}
    return [
        (item_id, titles.get(item_id, item_id))
        for item_id, result in theirs.items()
        if result.passed and item_id in ours and not ours[item_id].passed
    ]


def stage_pairs(mine: Design, reference: Design) -> list[tuple[int, int]]:
    """(my stage index, reference stage index), matched by stage id, else by position."""
    mine_ids = [s.id for s in mine.stages]
    pairs = [(0, 0)]
    for ref_index, stage in enumerate(reference.stages, start=1):
        if stage.id in mine_ids:
            pairs.append((mine_ids.index(stage.id) + 1, ref_index))
        elif ref_index <= len(mine.stages):
            pairs.append((ref_index, ref_index))
    return pairs


def compare_stage(
    mine: Design, reference: Design, stage_mine: int, stage_ref: int
) -> StageComparison:
    g_mine, g_ref = build_graph(mine, stage_mine), build_graph(reference, stage_ref)
    r_mine, r_ref = run_checks(mine, stage_mine), run_checks(reference, stage_ref)
    ref_stage = reference.stages[stage_ref - 1] if stage_ref else None
    result = StageComparison(stage_ref, ref_stage.title if ref_stage else None)
    mine_layers = _layers(g_mine)
    result.missing_layers = sorted(_layers(g_ref) - mine_layers)
    result.missing_screens = sorted(_screens(g_ref) - _screens(g_mine))
    wanted = {
        pair for pair in _layer_paths(g_ref) if pair[0] in mine_layers and pair[1] in mine_layers
    }
    result.missing_paths = sorted(wanted - _connected(g_mine, wanted))
    ref_codes = {f.code for f in _serious(r_ref.findings)}
    only_mine = [f for f in _serious(r_mine.findings) if f.code not in ref_codes]
    result.unprotected = [f for f in only_mine if f.family in PATH_FAMILIES]
    result.other_findings = [f for f in only_mine if f.family not in PATH_FAMILIES]
    result.rubric_missed = _rubric_missed(mine, reference, stage_mine, stage_ref, r_mine, r_ref)
    result.discussion = list(ref_stage.discussion) if ref_stage else []
    return result


def compare(mine: Design, reference: Design, stage: int | None = None) -> list[StageComparison]:
    """Stage-by-stage comparison; `stage` (a reference stage index) limits it to one."""
    pairs = stage_pairs(mine, reference)
    if stage is not None:
        pairs = [p for p in pairs if p[1] == stage] or [(min(stage, len(mine.stages)), stage)]
    return [compare_stage(mine, reference, a, b) for a, b in pairs]
