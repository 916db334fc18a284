"""The one rounding of scores: every score shown, stored or compared goes through `score`.

Scores are rounded half up to one decimal (58.85 -> 58.9), on the decimal value as written, so
`grade`, `progress`, `checklist`, `next` and JSON never disagree about the same attempt.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DECIMALS = 1
_QUANTUM = Decimal(1).scaleb(-DECIMALS)


def score(value: float) -> float:
    """A score (0..100) rounded half up to one decimal."""
    return float(Decimal(repr(float(value))).quantize(_QUANTUM, rounding=ROUND_HALF_UP))


def fmt(value: float) -> str:
    """A score as text: always one decimal ("58.9", "100.0")."""
    return f"{score(value):.{DECIMALS}f}"
