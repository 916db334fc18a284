"""A rule: its code, texts and check function together, registered in one place."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sysdesign.checks.context import CheckContext


@dataclass(frozen=True)
class Hit:
    """What a rule's function yields: the specifics of one finding."""

    message: str
    components: tuple[str, ...] = ()
    missing_layer: str | None = None
    anchor: str | None = None
    severity: str | None = None  # to escalate or soften one hit; default: the rule's
    origin: tuple[str | int, ...] | None = None  # YAML path it is about, when not a component


CheckFn = Callable[["CheckContext"], Iterator[Hit]]


@dataclass(frozen=True)
class Rule:
    """A check with a stable code, and the texts `sysdesign explain` prints."""

    code: str
    name: str  # stable key, e.g. "path.llm-input-unfiltered"
    family: str
    title: str
    severity: str
    why: str  # why an interviewer asks about this
    fix: str
    check: CheckFn | None = field(compare=False, repr=False)  # None: the engine emits it


FAMILIES = {
    "meta": "Design notes",
    "layers": "Missing layers",
    "paths": "Paths",
    "structure": "Structure",
    "capacity": "Capacity",
    "latency": "Latency",
    "data": "Data and freshness",
    "availability": "Availability",
}

REGISTRY: dict[str, Rule] = {}


def register(
    code: str,
    name: str,
    family: str,
    title: str,
    severity: str,
    why: str,
    fix: str,
    check: CheckFn | None,
) -> Rule:
    """Add a rule to the registry; codes are unique and families known."""
    if family not in FAMILIES:
        raise ValueError(f"unknown rule family {family!r}")
    if code in REGISTRY:
        raise ValueError(f"duplicate rule code {code}")
    REGISTRY[code] = Rule(
        code, name, family, title, severity, " ".join(why.split()), " ".join(fix.split()), check
    )
    return REGISTRY[code]


def rule(
    code: str, name: str, family: str, title: str, severity: str, why: str, fix: str
) -> Callable[[CheckFn], CheckFn]:
    """Register the decorated function as a rule."""

    def decorate(fn: CheckFn) -> CheckFn:
        register(code, name, family, title, severity, why, fix, fn)
        return fn

    return decorate


def find_rule(key: str) -> Rule | None:
    """The rule with this code (any case) or stable name (e.g. paths.llm-input-unfiltered)."""
    found = REGISTRY.get(key.strip().upper())
    if found is not None:
        return found
    return next((r for r in REGISTRY.values() if r.name == key.strip().lower()), None)
