"""Model base: the strict base class and the constrained types every model module shares."""

from __future__ import annotations

from typing import Annotated, Any

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


def change_model(base: type[Strict], doc: str) -> type[Strict]:
    """The stage-change model of `base`, built from its fields so the two never drift: the same
    names, types, constraints and descriptions, each optional (unset: stays as it was); a list
    keeps its empty default (nothing added)."""
    from pydantic import create_model
    from pydantic.fields import FieldInfo

    fields: dict[str, Any] = {}
    for name, info in base.model_fields.items():
        if info.default_factory is not None:
            fields[name] = (info.annotation, info)
        else:
            optional = FieldInfo.merge_field_infos(info, default=None)
            fields[name] = (info.annotation | None, optional)  # type: ignore[operator]
    return create_model(
        f"{base.__name__}Change", __base__=Strict, __doc__=doc, __module__=base.__module__, **fields
    )
