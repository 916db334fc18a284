"""Follow-up questions about one design: the bank's entries matched against its figures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sysdesign.model import Design
from sysdesign.probe.bank import Bank, QuestionSpec, Subject, load_bank
from sysdesign.probe.facts import Facts, gather
from sysdesign.probe.figures import (
    Figures,
    component_figures,
    design_figures,
    finding_figures,
    path_figures,
    ranked,
    text_of,
    zone_figures,
)

DEFAULT_TOP = 3  # at most this many questions from one entry unless it says otherwise


@dataclass(frozen=True)
class Question:
    """One follow-up question about this design."""

    id: str  # the bank entry's id
    subject: str  # what it is about: a component, client, zone, rule code, or "design"
    text: str
    asks_for_figure: bool  # the design lacks a figure the question needed
    stage: int
    discussion: tuple[tuple[int, str], ...] = field(default_factory=tuple)  # (point no., text)
    theme: str = ""  # what it is about, shared by the bank's near-duplicates; "" = its id

    def as_dict(self, with_discussion: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "subject": self.subject,
            "text": self.text,
            "asks_for_figure": self.asks_for_figure,
            "stage": self.stage,
            "discussion_points": [n for n, _ in self.discussion],
        }
        if with_discussion:
            data["discussion"] = [text for _, text in self.discussion]
        return data


def _subjects(facts: Facts, spec: QuestionSpec) -> Iterator[tuple[str, Figures]]:
    """(subject name, figures) for every subject the entry could be about, in order."""
    when = spec.when
    if spec.subject is Subject.DESIGN:
        yield "design", design_figures(facts)
    elif spec.subject is Subject.COMPONENT:
        for rank, comp in enumerate(ranked(facts), start=1):
            if when.layers and not comp.layers & set(when.layers):
                continue
            if when.rule and not any(
                f.code == when.rule and comp.id in f.components for f in facts.findings
            ):
                continue
            yield comp.id, component_figures(facts, comp, rank)
    elif spec.subject is Subject.PATH:
        for path in facts.paths:
            yield path.entry, path_figures(facts, path)
    elif spec.subject is Subject.ZONE:
        for zone in facts.zones:
            yield zone.zone, zone_figures(facts, zone)
    else:
        for finding in facts.findings:
            if finding.code == when.rule:
                yield finding.code, finding_figures(facts, finding)


def _fill(template: str, spec: QuestionSpec, figures: Figures) -> str | None:
    """The template with its placeholders filled, or None when a figure is missing."""
    values: dict[str, str] = {}
    for name in spec.placeholders(template):
        value = figures.get(name)
        if value is None:
            return None
        values[name] = text_of(name, value)
    return " ".join(template.format(**values).split())


def _one(spec: QuestionSpec, figures: Figures) -> tuple[str, bool] | None:
    text = _fill(spec.text, spec, figures)
    if text is not None:
        return text, False
    if spec.missing is not None:
        asked = _fill(spec.missing, spec, figures)
        if asked is not None:
            return asked, True
    return None


MIN_DISCUSS_WORDS = 2  # a point shares at least this many of a question's words (fewer: all)


def _discussion(spec: QuestionSpec, points: list[str]) -> tuple[tuple[int, str], ...]:
    """The reference's discussion points about what the question asks: those in which at least
    two of its `discuss` words occur, or every word of a question that has fewer. A word matches
    at the start of a word ('cach' finds 'caching'; 'ms' does not find 'systems'), and not
    where it is part of another of its words ('tenant' inside 'per-tenant' counts once). One
    shared word is chance: 'tenant' occurs in a point about false positives, 'key' in one
    about idempotency keys."""
    words = [w.lower() for w in spec.discuss]
    needed = min(MIN_DISCUSS_WORDS, len(words))
    if not needed:
        return ()
    starts = [re.compile(r"(?<![a-z0-9])" + re.escape(w)) for w in words]
    return tuple(
        (n, text)
        for n, text in enumerate(points, start=1)
        if _words_in(text.lower(), starts) >= needed
    )


def _words_in(text: str, starts: list[re.Pattern[str]]) -> int:
    """How many of the words occur in `text` other than inside a match of another word."""
    spans = [[m.span() for m in start.finditer(text)] for start in starts]
    found = 0
    for i, own in enumerate(spans):
        others = [span for j, theirs in enumerate(spans) if j != i for span in theirs]
        if any(not any(a <= s and e <= b and (a, b) != (s, e) for a, b in others) for s, e in own):
            found += 1
    return found


def questions_for(
    facts: Facts, bank: Bank | None = None, discussion: list[str] | None = None
) -> list[Question]:
    """Every question of the bank that applies to these facts, in bank order."""
    bank = bank or load_bank()
    result: list[Question] = []
    for spec in bank.questions:
        when = spec.when
        if facts.stage < when.stage:
            continue
        limit = when.top or (1 if spec.subject is Subject.DESIGN else DEFAULT_TOP)
        taken = 0
        for subject, figures in _subjects(facts, spec):
            if taken >= limit:
                break
            if when.metric is not None and not when.metric.holds(figures.get(when.metric.name)):
                continue
            made = _one(spec, figures)
            if made is None:
                continue
            taken += 1
            result.append(
                Question(
                    spec.id,
                    subject,
                    made[0],
                    made[1],
                    facts.stage,
                    _discussion(spec, discussion or []),
                    spec.theme or spec.id,
                )
            )
    return result


def reference_discussion(design: Design, stage: int, reference: Design | None) -> list[str]:
    """The reference's discussion points for the stage matching `stage` of `design`: by stage
    id, else by position."""
    if reference is None or stage == 0:
        return []
    from sysdesign.views import view_of

    own = view_of(design, stage).stage
    for ref_stage in reference.stages:
        if own is not None and ref_stage.id == own.id:
            return list(ref_stage.discussion)
    if stage <= len(reference.stages):
        return list(reference.stages[stage - 1].discussion)
    return []


def probe(design: Design, stage: int = 0, reference: Design | None = None) -> list[Question]:
    """The follow-up questions an interviewer would ask about `design` at `stage`."""
    facts = gather(design, stage)
    return questions_for(facts, discussion=reference_discussion(design, stage, reference))
