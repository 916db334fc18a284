"""The question bank: `sysdesign/data/questions.yaml`, validated once when first used."""

from __future__ import annotations

import string
from enum import StrEnum
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sysdesign.loader import load_model
from sysdesign.yamlsource import parse_text


class Subject(StrEnum):
    DESIGN = "design"
    COMPONENT = "component"
    PATH = "path"
    ZONE = "zone"
    FINDING = "finding"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Metric(_Strict):
    name: str
    over: float | None = None
    under: float | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> Metric:
        if (self.over is None) == (self.under is None):
            raise ValueError("give exactly one of 'over' or 'under'")
        return self

    def holds(self, value: float | None) -> bool:
        if value is None:
            return False
        return value > self.over if self.over is not None else value < (self.under or 0.0)


class When(_Strict):
    layers: list[str] = Field(default_factory=list)
    rule: str | None = Field(None, pattern=r"^SD\d{3}$")
    metric: Metric | None = None
    stage: int = Field(0, ge=0)
    top: int | None = Field(None, ge=1)


class QuestionSpec(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    subject: Subject
    theme: str | None = Field(
        None,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="What the question is about, shared by near-duplicates (default: its id).",
    )
    when: When = Field(default_factory=When)
    text: str = Field(min_length=1)
    missing: str | None = None
    discuss: list[str] = Field(default_factory=list)

    def placeholders(self, text: str | None = None) -> list[str]:
        fields = string.Formatter().parse(self.text if text is None else text)
        return [name for _, name, _, _ in fields if name]

    @model_validator(mode="after")
    def _finding_has_rule(self) -> QuestionSpec:
        if self.subject is Subject.FINDING and self.when.rule is None:
            raise ValueError("a finding question names its rule in when.rule")
        return self


class Bank(_Strict):
    questions: list[QuestionSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Bank:
        ids = [q.id for q in self.questions]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"question ids used twice: {', '.join(dupes)}")
        return self


BANK_FILE = "questions.yaml"


def parse_bank(text: str, file: str = BANK_FILE) -> Bank:
    """A bank from YAML text (raises InputError with located problems)."""
    return load_model(parse_text(text, file), Bank, "question bank")


@cache
def load_bank() -> Bank:
    """The bank shipped in the package."""
    text = resources.files("sysdesign").joinpath("data", BANK_FILE).read_text(encoding="utf-8")
    return parse_bank(text, f"sysdesign/data/{BANK_FILE}")
