"""The user's requirements and estimates beside the reference's.

An estimate is matched to the reference's by unit and name (the closest name with the same unit,
else the closest name); its verdict is the ratio of the two values: within 2x, within 10x, or
off (more than 10x either way, or of the opposite sign). The headline numbers under `scale`
(peak QPS, daily users, documents, ...) are compared the same way.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sysdesign.model import Design, Estimate

SCALE_FIELDS = (
    "peak_qps",
    "average_qps",
    "daily_active_users",
    "documents",
    "tenants",
    "read_write_ratio",
    "payload_bytes",
    "storage_bytes",
)
MATCH_CUTOFF = 0.45
STATED = "stated by the interviewer"


def verdict(mine: float | None, theirs: float) -> str:
    """within 2x | within 10x | off | not estimated."""
    if mine is None:
        return "not estimated"
    if theirs == 0 or mine == 0:
        return "within 2x" if mine == theirs else "off"
    if (mine > 0) != (theirs > 0):
        return "off"
    ratio = max(mine / theirs, theirs / mine)
    if ratio <= 2:
        return "within 2x"
    return "within 10x" if ratio <= 10 else "off"


@dataclass(frozen=True)
class EstimateRow:
    name: str  # the reference's name
    unit: str
    reference: float
    derivation: str
    mine_name: str | None
    mine: float | None
    verdict: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").split())


PERIODS = {  # how a unit or a name says "per ...": the period a rate is counted over
    "s": "s", "sec": "s", "second": "s", "min": "min", "minute": "min", "h": "h", "hr": "h",
    "hour": "h", "d": "day", "day": "day", "month": "month", "mo": "month", "year": "year",
    "yr": "year",
}  # fmt: skip
_PER = re.compile(r"(?:/\s*|\bper\s+|\ba\s+)([a-z]+)")


def period(text: str) -> str | None:
    """The period a rate is counted over ('req/s': 's'; 'sessions per day': 'day'), or None for
    a count or a size ('bytes', 'microVMs busy')."""
    for word in _PER.findall(text.lower()):
        if word in PERIODS:
            return PERIODS[word]
    return None


def _match(ref: Estimate, mine: list[Estimate], used: set[int]) -> int | None:
    """The user's estimate closest to the reference's by name (and unit): never one counted
    over another period (calls/s is not sessions/day; a rate is not a count)."""
    best: tuple[float, int] | None = None
    theirs = period(f"{ref.unit} {ref.name}") if ref.unit.strip() else None
    for i, est in enumerate(mine):
        if i in used:
            continue
        own = period(f"{est.unit} {est.name}") if est.unit.strip() else None
        if ref.unit.strip() and est.unit.strip() and own != theirs:
            continue
        score = difflib.SequenceMatcher(None, _norm(ref.name), _norm(est.name)).ratio()
        if _norm(ref.unit) and _norm(ref.unit) == _norm(est.unit):
            score += 0.25
        elif own is not None and own == theirs:
            score += 0.15  # the same kind of rate, written differently (calls/s, req/s)
        if score >= MATCH_CUTOFF and (best is None or score > best[0]):
            best = (score, i)
    return best[1] if best else None


def compare_estimates(
    mine: Design | None, reference: Design, stated: Collection[str] = ()
) -> list[EstimateRow]:
    """One row per reference figure: the headline scale numbers, then the base estimates.

    `mine` is what the user wrote (never the interviewer's answers filled in). A headline number
    in `stated` was given by the interviewer: the user who did not write it (or wrote the
    figure given) estimated nothing, and the verdict says it was stated instead of crediting a
    match; a different figure of the user's own is compared as usual."""
    rows: list[EstimateRow] = []
    ref_scale = reference.scale
    my_scale = mine.scale if mine is not None else None
    for name in SCALE_FIELDS:
        theirs = getattr(ref_scale, name)
        if theirs is None:
            continue
        value = getattr(my_scale, name) if my_scale is not None else None
        given = name in stated and (value is None or value == theirs)
        rows.append(
            EstimateRow(
                name,
                "",
                theirs,
                STATED,
                name if value is not None else None,
                value,
                STATED if given else verdict(value, theirs),
            )
        )
    estimates = list(my_scale.estimates) if my_scale is not None else []
    used: set[int] = set()
    for ref in ref_scale.estimates:
        found = _match(ref, estimates, used)
        if found is not None:
            used.add(found)
        est = estimates[found] if found is not None else None
        rows.append(
            EstimateRow(
                ref.name,
                ref.unit,
                ref.value,
                ref.derivation,
                est.name if est else None,
                est.value if est else None,
                verdict(est.value if est else None, ref.value),
            )
        )
    return rows


def requirements_side_by_side(mine: Design | None, reference: Design) -> dict[str, Any]:
    """Both lists, functional and non-functional, as written."""
    own = mine.requirements if mine is not None else None
    return {
        "functional": {
            "mine": list(own.functional) if own else [],
            "reference": list(reference.requirements.functional),
        },
        "non_functional": {
            "mine": list(own.non_functional) if own else [],
            "reference": list(reference.requirements.non_functional),
        },
    }
