"""Judge items and score a rubric: auto items from the checker's report and graph questions,
self items from the user's answers; scores per section, overall, the level, the weakest items.

Arithmetic: an item earns credit 1 (pass, yes), 0.5 (partly) or 0 (fail, no, unanswered). A
section scores 100 x sum(weight x credit) / sum(weight) over its items; the overall score is the
section scores averaged by section weight. An item's *lost points* are what it costs the overall
score: section share x item share x (1 - credit) x 100. Section and overall scores are rounded
once, by `sysdesign.rubric.rounding.score`, and levels are judged on the rounded figures, so the
level always agrees with the score shown.

A self answer above its cap (`sysdesign.rubric.evidence`) earns the cap; an item capped at 0 and
not answered is not asked and fails with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from sysdesign.checks.findings import Report
from sysdesign.rubric.models import CREDIT, Answer, AnswerEntry, Item, LevelSpec, Rubric
from sysdesign.rubric.questions import ask
from sysdesign.rubric.rounding import fmt
from sysdesign.rubric.rounding import score as round_score

if TYPE_CHECKING:
    from sysdesign.rubric.evidence import Cap

FAILING_SEVERITIES = ("error", "warning")
EPSILON = 1e-9


@dataclass(frozen=True)
class CheckResult:
    """What the kit saw for an item bound to rule codes and/or a graph question."""

    passed: bool
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """How one item came out."""

    item: Item
    status: str  # pass | fail | yes | partly | no | unanswered
    credit: float
    evidence: tuple[str, ...] = ()
    note: str | None = None
    answered: str | None = None  # the answer given, when a cap lowered it
    capped: str | None = None  # why the answer was capped

    @property
    def judged_by(self) -> str:
        return "design" if self.status in ("pass", "fail") else "you"

    @property
    def given(self) -> str | None:
        """The answer the user gave (before any cap), or None when judged by the design."""
        if self.judged_by == "design" or self.status == "unanswered":
            return None
        return self.answered or self.status


@dataclass(frozen=True)
class SectionScore:
    id: str
    title: str
    weight: float
    score: float  # 0..100
    outcomes: tuple[Outcome, ...]


@dataclass(frozen=True)
class Weak:
    """An item that cost points, and what to study."""

    outcome: Outcome
    lost: float
    target_level: str
    target: str  # the descriptor of the level to aim for


@dataclass(frozen=True)
class Grade:
    rubric: Rubric
    sections: tuple[SectionScore, ...]
    overall: float
    level: LevelSpec
    next_level: LevelSpec | None
    blockers: tuple[str, ...]  # why the next level was not reached
    weakest: tuple[Weak, ...]
    unanswered: tuple[str, ...] = field(default=())
    floor: str | None = None  # why the design is too empty for self answers to count

    def section(self, section_id: str) -> SectionScore:
        return next(s for s in self.sections if s.id == section_id)

    def outcome(self, item_id: str) -> Outcome:
        return next(o for s in self.sections for o in s.outcomes if o.item.id == item_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric.id,
            "overall": round_score(self.overall),
            "level": self.level.id,
            "level_label": self.level.label,
            "next_level": self.next_level.id if self.next_level else None,
            "blockers": list(self.blockers),
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "weight": s.weight,
                    "score": round_score(s.score),
                    "items": [
                        {
                            "id": o.item.id,
                            "text": o.item.text,
                            "kind": o.item.kind,
                            "weight": o.item.weight,
                            "status": o.status,
                            "credit": o.credit,
                            "evidence": list(o.evidence),
                            "note": o.note,
                            "answered": o.answered,
                            "capped": o.capped,
                        }
                        for o in s.outcomes
                    ],
                }
                for s in self.sections
            ],
            "weakest": [
                {
                    "id": w.outcome.item.id,
                    "text": w.outcome.item.text,
                    "status": w.outcome.status,
                    "lost": round_score(w.lost),
                    "evidence": list(w.outcome.evidence),
                    "study": w.outcome.item.study,
                    "target_level": w.target_level,
                    "target": w.target,
                }
                for w in self.weakest
            ],
            "unanswered": list(self.unanswered),
            "floor": self.floor,
        }


# --- judging auto items ------------------------------------------------------------------------


def code_evidence(codes: list[str], report: Report, overrides: Mapping[str, Any]) -> CheckResult:
    failing: list[str] = []
    notes: list[str] = []
    for f in sorted(report.findings, key=lambda f: f.sort_key()):
        if f.code not in codes:
            continue
        where = f" [{', '.join(f.components)}]" if f.components else ""
        if not f.is_open:
            notes.append(f"{f.code} accepted{where}: {f.accepted}")
        elif f.severity in FAILING_SEVERITIES:
            failing.append(f"{f.code} {f.title}: {f.message}{where}")
        else:
            notes.append(f"{f.code} ({f.severity}): {f.message}{where}")
    for code in codes:
        if code in overrides and str(overrides[code]) in ("off", "info"):
            notes.append(f"{code} severity set to {overrides[code]} by the design")
    if not failing and not notes:
        notes.append(f"no {', '.join(codes)} findings")
    return CheckResult(not failing, tuple(failing + notes))


def check_item(item: Item, report: Report, graph: nx.DiGraph) -> CheckResult:
    """Judge an auto item: none of its codes open at error or warning, and its question holds."""
    assert item.auto is not None, f"{item.id} is not an auto item"
    if graph.number_of_edges() == 0:  # no rule can fire on a design with nothing drawn
        return CheckResult(False, ("nothing drawn yet: the design has no flows",))
    passed = True
    evidence: list[str] = []
    if item.auto.codes:
        overrides = graph.graph["design"].checks.severity
        by_codes = code_evidence(list(item.auto.codes), report, overrides)
        passed = by_codes.passed
        evidence.extend(by_codes.evidence)
    if item.auto.question is not None:
        answer = ask(item.auto.question, graph, dict(item.auto.args))
        passed = passed and answer.passed
        evidence.append(answer.evidence)
    return CheckResult(passed, tuple(evidence))


def check_items(rubric: Rubric, report: Report, graph: nx.DiGraph) -> dict[str, CheckResult]:
    return {i.id: check_item(i, report, graph) for i in rubric.items if i.auto is not None}


def items_to_ask(
    rubric: Rubric, checks: Mapping[str, CheckResult], caps: Mapping[str, Cap] | None = None
) -> list[Item]:
    """Self items, and auto-or-self items whose check did not pass, in rubric order; items
    capped at 0 are not asked (no answer could earn anything)."""
    caps = caps or {}
    return [
        i
        for i in rubric.items
        if (i.kind == "self" or (i.kind == "auto-or-self" and not checks[i.id].passed))
        and not (i.id in caps and caps[i.id].credit <= 0.0)
    ]


def _asked(item: Item, checks: Mapping[str, CheckResult]) -> bool:
    return item.kind == "self" or (item.kind == "auto-or-self" and not checks[item.id].passed)


def outcomes(
    rubric: Rubric,
    checks: Mapping[str, CheckResult],
    answers: Mapping[str, AnswerEntry],
    caps: Mapping[str, Cap] | None = None,
) -> dict[str, Outcome]:
    """Every item's outcome from the checks, the answers given so far and the evidence caps."""
    caps = caps or {}
    result: dict[str, Outcome] = {}
    for item in rubric.items:
        check = checks.get(item.id)
        if not _asked(item, checks):
            assert check is not None, f"auto item {item.id} was not checked"
            result[item.id] = Outcome(
                item,
                "pass" if check.passed else "fail",
                1.0 if check.passed else 0.0,
                check.evidence,
            )
            continue
        entry = answers.get(item.id)
        evidence = check.evidence if check is not None else ()
        cap = caps.get(item.id)
        if entry is None or entry.answer is None:
            if cap is not None and cap.credit <= 0.0:
                result[item.id] = Outcome(item, "fail", 0.0, (*evidence, cap.reason))
            else:
                result[item.id] = Outcome(item, "unanswered", 0.0, evidence)
            continue
        answer = Answer(entry.answer)
        if cap is not None and CREDIT[answer] > cap.credit:
            lowered = next(a for a in (Answer.PARTLY, Answer.NO) if CREDIT[a] <= cap.credit)
            result[item.id] = Outcome(
                item,
                lowered.value,
                CREDIT[lowered],
                evidence,
                entry.note,
                answered=answer.value,
                capped=cap.reason,
            )
        else:
            result[item.id] = Outcome(item, answer.value, CREDIT[answer], evidence, entry.note)
    return result


# --- scoring -----------------------------------------------------------------------------------


def _target(rubric: Rubric, level: LevelSpec) -> str:
    """The descriptor to aim for next: the next rubric level above `level` that has one."""
    ids = [lv.id for lv in rubric.levels]
    above = ids[ids.index(level.id) + 1 :]
    return next((lv for lv in above if lv in ("mid", "senior", "staff")), "staff")


def score(rubric: Rubric, results: Mapping[str, Outcome], floor: str | None = None) -> Grade:
    """Scores per section and overall, the level reached, and the three weakest items.

    `floor` (why the design is near-empty) keeps the level at the rubric's lowest.
    """
    total_weight = sum(s.weight for s in rubric.sections)
    sections: list[SectionScore] = []
    lost: list[tuple[float, int, Outcome]] = []
    order = 0
    for section in rubric.sections:
        item_weight = sum(i.weight for i in section.items)
        section_outcomes = tuple(
            results.get(i.id) or Outcome(i, "unanswered", 0.0) for i in section.items
        )
        earned = sum(o.item.weight * o.credit for o in section_outcomes)
        sections.append(
            SectionScore(
                section.id,
                section.title,
                section.weight,
                round_score(100.0 * earned / item_weight),
                section_outcomes,
            )
        )
        for o in section_outcomes:
            cost = 100.0 * (section.weight / total_weight) * (o.item.weight / item_weight)
            if o.credit < 1.0:
                lost.append((cost * (1.0 - o.credit), order, o))
            order += 1
    overall = round_score(sum(s.score * s.weight for s in sections) / total_weight)
    level, next_level, blockers = _level(rubric, overall, sections)
    if floor is not None:
        level = rubric.levels[0]
        next_level = rubric.levels[1] if len(rubric.levels) > 1 else None
        above = tuple(_meets(next_level, overall, sections)) if next_level else ()
        blockers = (f"floor: {floor}", *above)
    target_id = _target(rubric, level)
    lost.sort(key=lambda t: (-t[0], t[1]))
    weakest = tuple(
        Weak(o, points, target_id, getattr(o.item.levels, target_id)) for points, _, o in lost[:3]
    )
    unanswered = tuple(o.item.id for s in sections for o in s.outcomes if o.status == "unanswered")
    return Grade(
        rubric, tuple(sections), overall, level, next_level, blockers, weakest, unanswered, floor
    )


def _meets(level: LevelSpec, overall: float, sections: list[SectionScore]) -> list[str]:
    """Why `level` is not reached (empty when it is)."""
    reasons = []
    if overall + EPSILON < level.min_score:
        reasons.append(f"{level.label} needs {level.min_score:g} overall; scored {fmt(overall)}")
    for s in sections:
        if s.score + EPSILON < level.min_section:
            reasons.append(
                f"{level.label} needs every section at {level.min_section:g} or more; "
                f"{s.title} scored {fmt(s.score)}"
            )
    if level.critical_items:
        for s in sections:
            for o in s.outcomes:
                if o.item.critical and o.credit < 1.0:
                    reasons.append(
                        f"{level.label} needs every critical item; {o.item.text!r} is {o.status}"
                    )
    return reasons


def _level(
    rubric: Rubric, overall: float, sections: list[SectionScore]
) -> tuple[LevelSpec, LevelSpec | None, tuple[str, ...]]:
    reached = rubric.levels[0]
    for level in rubric.levels[1:]:
        if _meets(level, overall, sections):
            break
        reached = level
    index = rubric.levels.index(reached)
    nxt = rubric.levels[index + 1] if index + 1 < len(rubric.levels) else None
    blockers = tuple(_meets(nxt, overall, sections)) if nxt else ()
    return reached, nxt, blockers
