"""One policy for every figure the checker computes: finite always, saturation flagged.

Inputs are finite (the model refuses inf and nan), but arithmetic on extreme finite inputs is
not: 1e300 req/s x `--scale` 1e10 overflows, 1e300 req/s over a 1e-300 req/s capacity divides to
infinity, two 1e308 ms hops add to infinity. Every analysis computes through this module instead:

- A figure whose magnitude reaches `LIMIT` (1e300), or that overflowed, is *saturated*: it is
  held as exactly +/-`LIMIT`, `saturated(x)` is true for it, and it prints as
  "more than 1e+300". An undefined result (nan, e.g. infinity minus infinity) is saturated too.
- `add`, `mul` and `div` are saturating: they clamp their inputs and their result, so a
  saturated figure stays saturated through later arithmetic and never becomes inf or nan.
- `div(x, 0)` is `LIMIT` for x > 0 and 0 for x == 0 (no load on no capacity is idle).
- Text uses `fmt_number` / `fmt_percent` (never inf, never a 300-digit number); JSON carries the
  clamped value plus a `saturated` flag, so every number in it is finite.

How to use it in an analysis: compute with `add`/`mul`/`div` (or pass a plain result through
`clamp`), flag output rows with `saturated(value)`, and format with `fmt_number`.
"""

from __future__ import annotations

import math

LIMIT = 1e300  # magnitude at and beyond which a figure is saturated
LIMIT_TEXT = "more than 1e+300"
_PLAIN_BELOW = 1e15  # below this, numbers print in full with thousands separators


def clamp(x: float) -> float:
    """`x` within [-LIMIT, LIMIT]; nan and +inf become LIMIT, -inf becomes -LIMIT."""
    if x != x:  # nan: undefined counts as out of range
        return LIMIT
    if x >= LIMIT:
        return LIMIT
    if x <= -LIMIT:
        return -LIMIT
    return x


def saturated(x: float | None) -> bool:
    """Whether a figure is at the limit (or not finite): its true value is out of range."""
    if x is None or -LIMIT < x < LIMIT:  # the common case, without a call
        return False
    return not math.isfinite(x) or abs(x) >= LIMIT


# add, mul and div are on every analysis's inner loop: each tests `-LIMIT < x < LIMIT` inline
# (false for nan too) and calls `clamp` only for a figure out of range, so the result is exactly
# what clamping every input and every partial result gives.


def add(*xs: float) -> float:
    """Saturating sum."""
    total = 0.0
    for x in xs:
        if not -LIMIT < x < LIMIT:
            x = clamp(x)
        total += x
        if not -LIMIT < total < LIMIT:
            total = clamp(total)
    return total


def mul(*xs: float) -> float:
    """Saturating product; zero times anything (even a saturated figure) is zero."""
    product = 1.0
    for x in xs:
        if not -LIMIT < x < LIMIT:
            x = clamp(x)
        if x == 0.0 or product == 0.0:
            return 0.0
        product *= x
        if not -LIMIT < product < LIMIT:
            product = clamp(product)
    return product


def div(numerator: float, denominator: float) -> float:
    """Saturating quotient; x / 0 is LIMIT (signed) for x != 0, and 0 / 0 is 0."""
    if not -LIMIT < numerator < LIMIT:
        numerator = clamp(numerator)
    if not -LIMIT < denominator < LIMIT:
        denominator = clamp(denominator)
    if denominator == 0.0:
        return 0.0 if numerator == 0.0 else math.copysign(LIMIT, numerator)
    quotient = numerator / denominator
    return quotient if -LIMIT < quotient < LIMIT else clamp(quotient)


# mul2 and add2 are the two-figure cases on a hot loop: a plain product or sum of figures within
# range, and the general function only when an input or the result is not (or a
# factor is zero, where `mul`'s own zero rule answers) -- so always exactly what it returns.
# Inlined sums of times (never negative) use a second fact: for x >= 0 and y >= 0, `add(x, y)`
# is `0.0 + x + y` when x and that sum are below LIMIT, and LIMIT otherwise.


def mul2(x: float, y: float) -> float:
    """`mul(x, y)`, without the general call when both and their product are in range."""
    if -LIMIT < x < LIMIT and -LIMIT < y < LIMIT:
        product = 1.0 * x * y  # mul's own steps: 1.0 times each factor in turn
        if product and -LIMIT < product < LIMIT:
            return product
    return mul(x, y)


def add2(x: float, y: float) -> float:
    """`add(x, y)`, without the general call when both and their sum are in range."""
    if -LIMIT < x < LIMIT and -LIMIT < y < LIMIT:
        total = 0.0 + x + y  # add's own steps: 0.0 plus each term in turn
        if -LIMIT < total < LIMIT:
            return total
    return add(x, y)


def fmt_number(x: float, decimals: int = 0) -> str:
    """A figure for text: `1,234`, `2.5e+18` when very large, `more than 1e+300` if saturated."""
    if saturated(x):
        return LIMIT_TEXT if clamp(x) > 0 else f"less than -{LIMIT_TEXT[len('more than ') :]}"
    if abs(x) >= _PLAIN_BELOW:
        return f"{x:.{max(decimals, 1) + 1}g}"
    if 0 < abs(x) < 10**-decimals:  # 0.4 req/s is not "0"
        return f"{x:.2g}"
    return f"{x:,.{decimals}f}"


def fmt_percent(ratio: float) -> str:
    """A ratio as a percentage for text: `85%`, `2.5e+18%`, `more than 1e+300%`."""
    if saturated(ratio) or saturated(ratio * 100):
        return f"{LIMIT_TEXT}%"
    return f"{fmt_number(ratio * 100)}%"


def finite_tree(value: object) -> bool:
    """Whether every float inside nested dicts, lists and tuples is finite (for tests and
    assertions on JSON-bound data)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(finite_tree(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(finite_tree(v) for v in value)
    return True
