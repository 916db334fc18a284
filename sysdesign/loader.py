"""Load YAML into strict models, turning every problem into a located diagnostic.

`load_model` is generic (designs, rubrics, answers files share it); `load_design` adds the
design's cross-reference checks.
"""

from __future__ import annotations

import re
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sysdesign.diagnostics import Diagnostic, InputError
from sysdesign.model import Design
from sysdesign.shorthand import normalise
from sysdesign.views import reference_problems, suggest, unknown_end
from sysdesign.yamlsource import LocatedData, load_file, parse_text, paused_gc

M = TypeVar("M", bound=BaseModel)


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types inside Optional/Union/Annotated/list/dict annotations."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _model_at(root: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that validates the value at `loc`, for field-name suggestions."""
    current: Any = root
    for part in loc:
        candidates = _unwrap(current)
        nxt = None
        for cand in candidates:
            origin = typing.get_origin(cand)
            if isinstance(part, int) and origin is list:
                nxt = typing.get_args(cand)[0]
            elif isinstance(part, str) and origin is dict:
                nxt = typing.get_args(cand)[1]
            elif isinstance(part, str) and isinstance(cand, type) and issubclass(cand, BaseModel):
                for name, info in cand.model_fields.items():
                    if part in (name, info.alias):
                        nxt = info.annotation
            if nxt is not None:
                break
        if nxt is None:
            return None
        current = nxt
    for cand in _unwrap(current):
        if isinstance(cand, type) and issubclass(cand, BaseModel):
            return cand
    return None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _enum_at(root: type[BaseModel], loc: tuple[str | int, ...]) -> type[Enum] | None:
    parent = _model_at(root, loc[:-1]) if loc and isinstance(loc[-1], str) else None
    annotation: Any = None
    if parent is not None:
        for name, info in parent.model_fields.items():
            if loc[-1] in (name, info.alias):
                annotation = info.annotation
    elif loc and isinstance(loc[-1], int):
        container = _model_at(root, loc[:-2])
        if container is not None:
            for name, info in container.model_fields.items():
                if loc[-2] in (name, info.alias):
                    for cand in _unwrap(info.annotation):
                        if typing.get_origin(cand) is list:
                            annotation = typing.get_args(cand)[0]
    for cand in _unwrap(annotation) if annotation is not None else []:
        if isinstance(cand, type) and issubclass(cand, Enum):
            return cand
    return None


def _field_label(loc: tuple[str | int, ...]) -> str:
    names = [p for p in loc if isinstance(p, str)]
    return names[-1] if names else "value"


def _message(root: type[BaseModel], error: dict[str, Any]) -> tuple[str, bool]:
    """A short message for one pydantic error, and whether it points at a key."""
    loc = tuple(error["loc"])
    kind = error["type"]
    field = _field_label(loc)
    if kind == "extra_forbidden":
        parent = _model_at(root, loc[:-1])
        names = _field_names(parent) if parent else []
        hint = suggest(str(loc[-1]), names) if names else ""
        if names and not hint:  # nothing close: say what this mapping takes
            hint = f"; expected one of: {', '.join(names)}"
        return f"unknown field {loc[-1]!r}{hint}", True
    if kind == "missing":
        return f"missing required field {loc[-1]!r}", False
    if kind == "enum":
        enum = _enum_at(root, loc)
        value = str(error.get("input"))
        if enum is not None:
            choices = [str(m.value) for m in enum]
            hint = suggest(value, choices) or f"; expected one of: {', '.join(choices)}"
            what = "kind" if field in ("kind", "roles", "layers") else field
            return f"unknown {what} {value!r}{hint}", False
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        if "SD" in pattern:
            return f"{field}: {error.get('input')!r} is not a rule code like SD101", False
        return (
            f"{field}: {error.get('input')!r} is not a slug "
            "(lower-case letters, digits, '-' and '_')",
            False,
        )
    msg = error["msg"]
    if msg.startswith("Value error, "):
        return msg.removeprefix("Value error, "), False
    msg = msg[0].lower() + msg[1:]
    if "input" in error and kind not in ("model_type", "list_type", "dict_type"):
        got = error["input"]
        if isinstance(got, bool | int | float | str) or got is None:
            msg += f" (got {got!r})"
    return f"{field}: {msg}", False


def validation_diagnostics(
    located: LocatedData,
    root: type[BaseModel],
    exc: ValidationError,
    skip: frozenset[tuple[str | int, ...]] = frozenset(),
) -> list[Diagnostic]:
    """Every pydantic error as a located diagnostic (except those under a path in `skip`)."""
    out = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if any(loc[: len(p)] == p for p in skip):
            continue
        message, at_key = _message(root, dict(error))
        out.append(located.diagnostic(tuple(error["loc"]), message, key=at_key))
    return out


def load_model(
    located: LocatedData,
    model: type[M],
    what: str,
    skip: frozenset[tuple[str | int, ...]] = frozenset(),
) -> M:
    """Validate located data against a model or raise InputError with every problem (except
    those under a path in `skip`, already reported another way)."""
    if not isinstance(located.data, dict):
        found = "an empty file" if located.data is None else type(located.data).__name__
        raise InputError([located.diagnostic((), f"expected a {what} mapping, found {found}")])
    try:
        with paused_gc():  # many small objects, none of them cyclic garbage
            return model.model_validate(located.data)
    except ValidationError as exc:
        raise InputError(validation_diagnostics(located, model, exc, skip)) from None


def located_design(located: LocatedData) -> tuple[LocatedData, Design]:
    """The design in the long form (short forms normalised, see sysdesign.shorthand), located,
    and validated with cross-references resolved; or InputError with every problem.

    Python's garbage collector is paused throughout: the design is many small objects, none of
    them cyclic garbage, and collecting while they are built costs more than building them."""
    with paused_gc():
        return _located_design(located)


def _located_design(located: LocatedData) -> tuple[LocatedData, Design]:
    normal = normalise(located)
    located = normal.located
    try:
        design = load_model(located, Design, "design", normal.rejected)
    except InputError as exc:
        said = {(d.line, d.col) for d in exc.diagnostics}  # a flow end the model refused
        unknown = [
            d
            for d in _one_per_place(_base_flows_to_nothing(located, normal.rejected))
            if (d.line, d.col) not in said
        ]
        raise InputError([*normal.problems, *exc.diagnostics, *unknown]) from None
    problems = [
        located.diagnostic(p.path, p.message, key=p.key) for p in reference_problems(design)
    ]
    if normal.problems or problems:
        raise InputError([*normal.problems, *_one_per_place(problems)])
    return located, design


def _base_flows_to_nothing(
    located: LocatedData, skip: frozenset[tuple[str | int, ...]]
) -> list[Diagnostic]:
    """With a design that does not validate: its base flows that name no base component, read
    from the plain data, so they are reported with the model's errors rather than only once
    those are fixed (the view's own check reports them, with stages, on a valid design). Said
    only when every base component has a readable id: otherwise a name may just be unreadable."""
    data = located.data
    if not isinstance(data, dict):
        return []
    components, flows = data.get("components"), data.get("flows")
    if not isinstance(components, list) or not isinstance(flows, list):
        return []
    names = [c.get("id") for c in components if isinstance(c, dict)]
    if len(names) != len(components) or not all(isinstance(n, str) for n in names):
        return []
    known = set(names)
    out = []
    for i, flow in enumerate(flows):
        if not isinstance(flow, dict) or ("flows", i) in skip:
            continue
        for end in ("from", "to"):
            cid = flow.get(end)
            if isinstance(cid, str) and cid not in known:
                out.append(located.diagnostic(("flows", i, end), unknown_end(end, cid, known)))
    return out


_UNKNOWN_END = re.compile(r"^flow (?:from|to) unknown component '([^']*)'")


def _one_per_place(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One 'unknown component' error per place: a chain's middle id is both a flow's target and
    the next flow's source, written once (the message without '(as of stage N)' is kept)."""
    out: dict[tuple[int, int, str], Diagnostic] = {}
    for d in sorted(diagnostics, key=lambda d: ("(as of stage" in d.message, d)):
        match = _UNKNOWN_END.match(d.message)
        key = (d.line, d.col, match.group(1) if match else d.message)
        out.setdefault(key, d)
    return list(out.values())


def load_located_design(path: Path | str, display: str | None = None) -> tuple[LocatedData, Design]:
    """Read, parse and validate one design file, keeping where each value was written."""
    return located_design(load_file(path, display, mapping_only=True))


def design_from_located(located: LocatedData) -> Design:
    """A validated design, with cross-references resolved, or InputError."""
    return located_design(located)[1]


def load_design(path: Path | str, display: str | None = None) -> Design:
    """Load and validate one design file."""
    return design_from_located(load_file(path, display, mapping_only=True))


def parse_design(text: str, file: str = "<string>") -> Design:
    """Validate a design given as YAML text (tests, scaffolding)."""
    return design_from_located(parse_text(text, file, mapping_only=True))
