"""Judge a rubric's auto items at every stage an attempt reached, and combine the verdicts.

An attempt graded at stage N is judged at stages 0..N:

- rule codes at every stage: an error or warning open at any stage fails the item (a safety
  filter beside the LLM at the base is not forgiven because a later stage moved the LLM);
- graph questions at the stages their scope names (`sysdesign.rubric.questions`): `last` at
  stage N only, `stages` at each follow-up stage 1..N (no follow-up reached: the item fails);
- an item passes only where it passes at every stage where it applies.

Each stage also gets a row: whether the attempt changed for it, and the errors its constraint
demanded that the design left open (error or warning findings open at that stage and not at the
one before, or raised by the stage's own `requires`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import networkx as nx

from sysdesign.checks.findings import Finding, Report
from sysdesign.graph import build_graph
from sysdesign.model import Design
from sysdesign.rubric.models import Item, Rubric
from sysdesign.rubric.questions import QUESTIONS, ask, stage_changed
from sysdesign.rubric.records import StageRow
from sysdesign.rubric.scoring import FAILING_SEVERITIES, CheckResult, code_evidence

ReportFn = Callable[[Design, int], Report]
SHOWN = 3  # failing evidence lines shown per item before "and N more"


@dataclass(frozen=True)
class Staged:
    """Auto items judged across stages 0..upto."""

    upto: int
    checks: dict[str, CheckResult]  # combined over the stages where each item applies
    support: dict[str, float]  # how much of an item's question the design shows, 0..1
    evidence: dict[str, tuple[str, ...]]  # for self items with an evidence question
    rows: tuple[StageRow, ...]
    reports: dict[int, Report]
    graphs: dict[int, nx.DiGraph]


def _key(f: Finding) -> tuple[object, ...]:
    return (f.code, f.components, f.missing_layer)


def _serious(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.is_open and f.severity in FAILING_SEVERITIES]


def demanded_errors(design: Design, stage: int, before: Report, now: Report) -> list[str]:
    """Errors and warnings a stage's constraint raised that the design left open at it."""
    if stage == 0:
        return []
    earlier = {_key(f) for f in _serious(before)}
    own = ("stages", stage - 1)
    out = []
    for f in sorted(_serious(now), key=lambda f: f.sort_key()):
        from_stage = f.origin is not None and tuple(f.origin[:2]) == own
        if from_stage or _key(f) not in earlier:
            where = f" [{', '.join(f.components)}]" if f.components else ""
            out.append(f"{f.code} {f.message}{where}")
    return out


def _stage_title(design: Design, stage: int) -> str:
    return design.stages[stage - 1].title if stage else "base design"


def _combine(per_stage: dict[int, tuple[bool, tuple[str, ...]]], upto: int) -> CheckResult:
    """One verdict from per-stage verdicts: failing evidence grouped by the stages it holds at."""
    failing = [k for k, (ok, _) in per_stage.items() if not ok]
    if not failing:
        return CheckResult(True, per_stage[max(per_stage)][1])
    if upto == 0:
        return CheckResult(False, per_stage[0][1])
    grouped: dict[str, list[int]] = {}
    for k in failing:
        for line in per_stage[k][1]:
            grouped.setdefault(line, []).append(k)
    lines = []
    for line, stages in list(grouped.items())[:SHOWN]:
        label = "stage" if len(stages) == 1 else "stages"
        lines.append(f"at {label} {', '.join(map(str, stages))}: {line}")
    if len(grouped) > SHOWN:
        lines.append(f"and {len(grouped) - SHOWN} more at stages {', '.join(map(str, failing))}")
    return CheckResult(False, tuple(lines))


def _ask_across(
    name: str, args: dict[str, object], graphs: Mapping[int, nx.DiGraph], upto: int
) -> tuple[dict[int, tuple[bool, str]], float]:
    """A question asked at the stages its scope names: verdicts per stage, and its support."""
    scope = QUESTIONS[name].scope
    first = {"last": upto, "stages": 1, "each": 0}[scope]
    stages = list(range(first, upto + 1))
    if not stages:
        return {0: (False, "graded at the base design: no follow-up stage reached")}, 0.0
    verdicts: dict[int, tuple[bool, str]] = {}
    shown = []
    for k in stages:
        graph = graphs[k]
        if graph.number_of_edges() == 0:
            verdicts[k] = (False, "nothing drawn yet: the design has no flows")
            shown.append(0.0)
            continue
        answer = ask(name, graph, dict(args))
        verdicts[k] = (answer.passed, answer.evidence)
        shown.append(answer.shown)
    return verdicts, sum(shown) / len(shown)


def _judge(
    item: Item, reports: Mapping[int, Report], graphs: Mapping[int, nx.DiGraph], upto: int
) -> tuple[CheckResult, float, dict[int, bool]]:
    assert item.auto is not None
    per_stage: dict[int, tuple[bool, tuple[str, ...]]] = {}
    if item.auto.codes:
        for k in range(upto + 1):
            graph = graphs[k]
            if graph.number_of_edges() == 0:
                per_stage[k] = (False, ("nothing drawn yet: the design has no flows",))
                continue
            overrides = graph.graph["design"].checks.severity
            result = code_evidence(list(item.auto.codes), reports[k], overrides)
            per_stage[k] = (result.passed, result.evidence)
    support = 1.0
    if item.auto.question is not None:
        answers, support = _ask_across(item.auto.question, dict(item.auto.args), graphs, upto)
        for k, (passed, line) in answers.items():
            ok, lines = per_stage.get(k, (True, ()))
            per_stage[k] = (ok and passed, (*lines, line))
    verdicts = {k: ok for k, (ok, _) in per_stage.items()}
    return _combine(per_stage, upto), support, verdicts


def judge_stages(
    design: Design, rubric: Rubric, upto: int, reports: Mapping[int, Report] | None = None
) -> Staged:
    """Judge `rubric`'s auto items on `design` at stages 0..upto (reports run when not given)."""
    from sysdesign.checks import run_checks

    all_reports = {k: (reports or {}).get(k) or run_checks(design, k) for k in range(upto + 1)}
    graphs: dict[int, nx.DiGraph] = {}
    rows: list[StageRow] = []
    for k in range(upto + 1):
        graph = build_graph(design, k)
        demanded = demanded_errors(design, k, all_reports[k - 1], all_reports[k]) if k else []
        graph.graph["demanded"] = tuple(demanded)
        graphs[k] = graph
        evolved = stage_changed(design.stages[k - 1]) if k else None
        rows.append(StageRow(k, _stage_title(design, k), evolved, tuple(demanded)))
    checks: dict[str, CheckResult] = {}
    support: dict[str, float] = {}
    evidence: dict[str, tuple[str, ...]] = {}  # what self items' evidence questions saw
    failed_at: dict[int, list[str]] = {k: [] for k in range(upto + 1)}
    for item in rubric.items:
        if item.auto is None:
            if item.evidence is not None:
                verdicts_, shown_ = _ask_across(
                    item.evidence.question, dict(item.evidence.args), graphs, upto
                )
                support[item.id] = shown_
                evidence[item.id] = tuple(line for _, line in verdicts_.values())
            continue
        result, shown, verdicts = _judge(item, all_reports, graphs, upto)
        checks[item.id], support[item.id] = result, shown
        for k, ok in verdicts.items():
            if not ok:
                failed_at[k].append(item.id)
    rows = [
        StageRow(r.stage, r.title, r.evolved, r.demanded, tuple(failed_at[r.stage])) for r in rows
    ]
    return Staged(upto, checks, support, evidence, tuple(rows), all_reports, graphs)
