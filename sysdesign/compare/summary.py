"""A comparison worth reading: per stage only what changed there, findings once with the stages
they apply to, numbers side by side, estimates; a ten-line brief; text and JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sysdesign.compare.matching import EstimatePair, Figure, match_estimates
from sysdesign.compare.stages import StageComparison
from sysdesign.model import Design
from sysdesign.views import view_of

BRIEF_LINES = 10
GAP_KINDS = ("missing_layers", "missing_screens", "unreached", "rubric_missed")
LABELS = {
    "missing_layers": "layers the reference has and yours lacks",
    "missing_screens": "safety screens the reference has and yours lacks",
    "unreached": "layers you drew that no client's traffic reaches",
    "rubric_missed": "rubric items the reference passes and yours fails",
}


@dataclass(frozen=True)
class FindingOnce:
    """A finding only the attempt has, with the stages where it is open."""

    code: str
    severity: str
    title: str
    message: str
    components: tuple[str, ...]
    stages: tuple[int, ...]
    unprotected_path: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "components": list(self.components),
            "stages": list(self.stages),
            "unprotected_path": self.unprotected_path,
        }


@dataclass
class StageDelta:
    stage: int
    title: str | None
    new: dict[str, list[str]] = field(default_factory=dict)  # gap kind -> what appeared here
    fixed: dict[str, list[str]] = field(default_factory=dict)  # gap kind -> what went away
    figures: list[tuple[str, str, Figure]] = field(default_factory=list)  # (ref, mine, figure)
    discussion: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "title": self.title,
            "new": self.new,
            "fixed": self.fixed,
            "figures": [{"reference": r, "mine": m, **f.as_dict()} for r, m, f in self.figures],
            "discussion": self.discussion,
        }


@dataclass
class Comparison:
    design: str
    reference: str
    stages: list[StageDelta]
    findings: list[FindingOnce]
    estimates: list[EstimatePair]
    matched: int  # reference components (not clients) matched at the last stage
    components: int  # reference components (not clients) at the last stage
    states: list[StageComparison]

    def as_dict(self) -> dict[str, Any]:
        return {
            "design": self.design,
            "reference": self.reference,
            "matched_components": self.matched,
            "reference_components": self.components,
            "stages": [s.as_dict() for s in self.stages],
            "findings": [f.as_dict() for f in self.findings],
            "estimates": [e.as_dict() for e in self.estimates],
            "states": [s.as_dict() for s in self.states],
        }


def _gap_items(state: StageComparison, kind: str) -> list[str]:
    if kind == "rubric_missed":
        return [item for item, _ in state.rubric_missed]
    return list(getattr(state, kind))


def _figure_key(ref: str, f: Figure) -> tuple[str, str]:
    return (ref, f.name)


def summarise(states: list[StageComparison], mine: Design, reference: Design) -> Comparison:
    deltas: list[StageDelta] = []
    previous: StageComparison | None = None
    seen_figures: dict[tuple[str, str], tuple[float | None, float | None]] = {}
    for state in states:
        delta = StageDelta(state.stage, state.title, discussion=state.discussion)
        for kind in GAP_KINDS:
            now = _gap_items(state, kind)
            before = _gap_items(previous, kind) if previous else []
            added = [x for x in now if x not in before]
            gone = [x for x in before if x not in now]
            if added:
                delta.new[kind] = added
            if gone:
                delta.fixed[kind] = gone
        for pair in state.pairs:
            for f in pair.figures:
                key = _figure_key(pair.reference, f)
                if seen_figures.get(key) != (f.reference, f.mine):
                    delta.figures.append((pair.reference, pair.mine, f))
                    seen_figures[key] = (f.reference, f.mine)
        deltas.append(delta)
        previous = state
    findings: dict[tuple[str, tuple[str, ...], str], FindingOnce] = {}
    for state in states:
        for f in [*state.unprotected, *state.other_findings]:
            key = (f.code, f.components, f.missing_layer or "")
            old = findings.get(key)
            if old is not None and state.stage in old.stages:
                continue
            stages = (*old.stages, state.stage) if old else (state.stage,)
            findings[key] = FindingOnce(
                f.code,
                f.severity,
                f.title + (f": {f.missing_layer}" if f.missing_layer else ""),
                f.message if old is None else old.message,
                f.components,
                stages,
                f in state.unprotected,
            )
    last = states[-1]
    ref_view = view_of(reference, last.stage)
    mine_view = view_of(mine, last.mine_stage)
    estimates = match_estimates(list(ref_view.scale.estimates), list(mine_view.scale.estimates))
    total = sum(1 for c in ref_view.components.values() if str(c.kind) != "client")
    return Comparison(
        design=mine.id,
        reference=reference.id,
        stages=deltas,
        findings=sorted(
            findings.values(), key=lambda f: (f.stages[0], f.code, f.components, f.title)
        ),
        estimates=estimates,
        matched=len(last.pairs),
        components=total,
        states=states,
    )
