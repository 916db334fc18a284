"""Compare an attempt with a reference design, stage by stage, concisely and with numbers.

    states = compare(mine, reference)          # the full state at each stage pair
    report = summarise(states, mine, reference)  # per stage only what changed; findings once;
                                                 # numbers side by side; estimates

Matching is by layer (kind or role) and function, never by id or label: a layer counts as
connected when some client's traffic reaches it, however the design routes it.
"""

from __future__ import annotations

from sysdesign.compare.stages import PATH_FAMILIES, StageComparison, compare_stage
from sysdesign.compare.summary import Comparison, summarise
from sysdesign.graph import build_graph
from sysdesign.model import Design

__all__ = [
    "PATH_FAMILIES",
    "Comparison",
    "StageComparison",
    "compare",
    "stage_pairs",
    "summarise",
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


def compare(mine: Design, reference: Design, stage: int | None = None) -> list[StageComparison]:
    """Stage-by-stage comparison; `stage` (a reference stage index) limits it to one."""
    from sysdesign.checks import run_checks
    from sysdesign.rubric import rubric_for_design
    from sysdesign.rubric.evaluate import evaluate

    pairs = stage_pairs(mine, reference)
    if stage is not None:
        pairs = [p for p in pairs if p[1] == stage] or [(min(stage, len(mine.stages)), stage)]
    rubric = rubric_for_design(reference)
    item_text = {i.id: i.text for i in rubric.items}
    top_mine = max(a for a, _ in pairs)
    top_ref = max(b for _, b in pairs)
    reports_mine = {k: run_checks(mine, k) for k in range(top_mine + 1)}
    reports_ref = {k: run_checks(reference, k) for k in range(top_ref + 1)}

    def failing(design: Design, k: int, reports: dict) -> set[str]:  # type: ignore[type-arg]
        """Auto items failed when graded up to stage k (every stage 0..k judged)."""
        checks = evaluate(design, rubric, k, reports).checks
        return {item for item, check in checks.items() if not check.passed}

    rows_mine = {a: failing(mine, a, reports_mine) for a, _ in pairs}
    rows_ref = {b: failing(reference, b, reports_ref) for _, b in pairs}
    return [
        compare_stage(
            mine,
            reference,
            a,
            b,
            (build_graph(mine, a), build_graph(reference, b)),
            (reports_mine[a], reports_ref[b]),
            (rows_mine[a], rows_ref[b]),
            item_text,
        )
        for a, b in pairs
    ]
