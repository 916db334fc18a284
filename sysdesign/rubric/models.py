"""Strict models for what a user writes in `rubrics/*.yaml` and in answers files.

A rubric file may extend another (`extends: general`): its sections add items to the parent's
sections with the same id, or add new sections. `sysdesign.rubric.loader` resolves the chain into
a `Rubric`, the one shape scoring, checklists and grading read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, model_validator

from sysdesign.model import RULE_CODE, Slug, Strict, Text

RuleCode = Annotated[str, Field(pattern=RULE_CODE)]
Weight = Annotated[float, Field(gt=0, le=100)]
ArgValue = str | int | float | list[str]


class Fallback(StrEnum):
    """What an auto item does when its check does not pass."""

    FAIL = "fail"  # it scores zero, with the evidence
    SELF = "self"  # the user is asked instead (the check could not see it in the diagram)


class AutoBinding(Strict):
    """How the kit judges an item from the design: rule codes and/or a graph question."""

    codes: list[RuleCode] = Field(
        default_factory=list,
        description="Passes when none of these is an open error or warning finding.",
    )
    question: Slug | None = Field(None, description="A named graph question (sysdesign rubric).")
    args: dict[Slug, ArgValue] = Field(
        default_factory=dict, description="The question's arguments."
    )
    fallback: Annotated[Fallback, Field(strict=False)] = Fallback.FAIL

    @model_validator(mode="after")
    def _binds_something(self) -> AutoBinding:
        if not self.codes and self.question is None:
            raise ValueError("an auto binding needs 'codes', a 'question' or both")
        if self.args and self.question is None:
            raise ValueError("'args' are for a 'question'")
        return self


class EvidenceBinding(Strict):
    """A graph question whose answer caps a self answer: a "yes" needs the design to show it."""

    question: Slug = Field(description="A named graph question (sysdesign rubric).")
    args: dict[Slug, ArgValue] = Field(
        default_factory=dict, description="The question's arguments."
    )


class Descriptors(Strict):
    """What the item looks like when done at each level."""

    mid: Text
    senior: Text
    staff: Text


class ItemSpec(Strict):
    """One thing an interviewer grades."""

    id: Slug
    text: Text = Field(description="What is judged, phrased as a statement to answer yes to.")
    weight: Weight = 1.0
    auto: AutoBinding | None = Field(None, description="Omit for items the user judges.")
    evidence: EvidenceBinding | None = Field(
        None,
        description="For items the user judges: what the design must show for a 'yes' to count.",
    )
    levels: Descriptors
    study: Text = Field(description="What to study or practise when this item is weak.")
    critical: bool = Field(
        False, description="A red flag when missed: levels with critical_items need it passed."
    )


class SectionSpec(Strict):
    """A group of items. In an extending rubric, an existing id adds items to that section."""

    id: Slug
    title: Text | None = None
    weight: Weight | None = None
    items: list[ItemSpec] = Field(default_factory=list)


class LevelSpec(Strict):
    """A level and the overall score (0-100) it starts at."""

    id: Slug
    label: Text
    min_score: float = Field(ge=0, le=100)
    min_section: float = Field(
        0, ge=0, le=100, description="Every section must score at least this for the level."
    )
    critical_items: bool = Field(
        False, description="Every critical item must pass (or be answered yes) for the level."
    )


class RubricFile(Strict):
    """A rubric as written in `rubrics/<id>.yaml`."""

    schema_: str | None = Field(None, alias="$schema")
    id: Slug
    title: Text
    description: str | None = None
    extends: Slug | None = None
    levels: list[LevelSpec] | None = Field(None, description="Inherited when omitted.")
    sections: list[SectionSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _levels_ascend(self) -> RubricFile:
        if self.levels is not None:
            if not self.levels:
                raise ValueError("levels: give at least one level")
            scores = [level.min_score for level in self.levels]
            if scores != sorted(scores) or len(set(scores)) != len(scores):
                raise ValueError("levels: list them from lowest to highest min_score")
            if scores[0] != 0:
                raise ValueError("levels: the first level must have min_score 0")
        return self


# The resolved rubric: plain frozen dataclasses, read by everything downstream.


@dataclass(frozen=True)
class Item:
    id: str
    section: str
    text: str
    weight: float
    levels: Descriptors
    study: str
    auto: AutoBinding | None
    source: str  # the rubric id that defined it
    critical: bool = False
    evidence: EvidenceBinding | None = None

    @property
    def kind(self) -> str:
        """auto, self, or auto-or-self (auto, and asked when the check cannot see it)."""
        if self.auto is None:
            return "self"
        return "auto-or-self" if self.auto.fallback is Fallback.SELF else "auto"


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    weight: float
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    description: str
    chain: tuple[str, ...]  # this rubric first, then what it extends
    levels: tuple[LevelSpec, ...]
    sections: tuple[Section, ...]
    file: str

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def self_items(self) -> list[Item]:
        return [i for i in self.items if i.auto is None]

    def as_dict(self) -> dict[str, Any]:
        """The resolved rubric as plain data (`sysdesign rubric ID --format json`)."""
        return {
            "id": self.id,
            "title": self.title,
            "chain": list(self.chain),
            "levels": [lv.model_dump() for lv in self.levels],
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "weight": s.weight,
                    "items": [
                        {
                            "id": i.id,
                            "text": i.text,
                            "kind": i.kind,
                            "weight": i.weight,
                            "auto": i.auto.model_dump(exclude_defaults=True) if i.auto else None,
                            "evidence": i.evidence.model_dump() if i.evidence else None,
                            "levels": i.levels.model_dump(),
                            "study": i.study,
                            "critical": i.critical,
                            "from": i.source,
                        }
                        for i in s.items
                    ],
                }
                for s in self.sections
            ],
        }


class Answer(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


CREDIT = {Answer.YES: 1.0, Answer.PARTLY: 0.5, Answer.NO: 0.0}


class AnswerEntry(Strict):
    answer: Annotated[Answer, Field(strict=False)] | None = Field(
        None, description="yes, partly or no; leave empty to be asked at the terminal."
    )
    note: str | None = None


class AnswersFile(Strict):
    """Self-grading answers: item id -> {answer, note}."""

    schema_: str | None = Field(None, alias="$schema")
    rubric: Slug | None = Field(None, description="The rubric these answers are for.")
    design: Slug | None = None
    minutes: float | None = Field(None, gt=0, le=1440, description="How long the session took.")
    answers: dict[Slug, AnswerEntry] = Field(default_factory=dict)
