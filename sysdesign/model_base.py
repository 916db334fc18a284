"""Model base: the strict base class and the constrained types every model module shares."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from sysdesign.taxonomy import Kind

SLUG = r"^[a-z0-9][a-z0-9_-]*$"
RULE_CODE = r"^SD\d{3}$"

Slug = Annotated[str, Field(pattern=SLUG, max_length=80)]
KindName = Annotated[Kind, Field(strict=False)]
Text = Annotated[str, Field(min_length=1)]
PositiveFloat = Annotated[float, Field(gt=0)]
NonNegativeFloat = Annotated[float, Field(ge=0)]
Ratio = Annotated[float, Field(ge=0, le=1)]


class Strict(BaseModel):
    """Base for every model: unknown fields are errors, types are not coerced."""

    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, populate_by_name=True, allow_inf_nan=False
    )
