"""The two-figure fast paths (`mul2`, `add2`) return exactly what the general saturating
functions return -- the same float, sign of zero included, and the same type -- for any input:
within range, at and past the limit, zero, tiny, nan, infinite, integers."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from sysdesign.figures import LIMIT, add, add2, mul, mul2

EDGES = [0.0, -0.0, 1e-320, -1e-320, 1e-300, 1.0, 3, 0, LIMIT, -LIMIT, 1e299, 2e300, 1e308]
EDGES += [math.inf, -math.inf, math.nan, 10**400, 1e-200, 0.5, 7]
FIGURES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.sampled_from(EDGES),
)


def same(a: float, b: float) -> bool:
    """Identical results: the same type and the same bits (nan never comes out)."""
    return type(a) is type(b) and repr(a) == repr(b)


@settings(max_examples=3000)
@given(FIGURES, FIGURES)
def test_fast_paths_are_the_general_functions(x: float, y: float) -> None:
    assert same(mul2(x, y), mul(x, y))
    assert same(add2(x, y), add(x, y))


FLOAT_TIMES = [x for x in EDGES if isinstance(x, float) and x >= 0.0]  # inf and -0.0 too
TIMES = st.one_of(st.floats(min_value=0.0), st.sampled_from(FLOAT_TIMES))


@settings(max_examples=3000)
@given(TIMES, TIMES)
def test_a_sum_of_two_figures_at_least_zero_is_plain_or_saturated(x: float, y: float) -> None:
    """The inlined sums of times (floats >= 0): in range, the plain sum; otherwise LIMIT."""
    total = 0.0 + x + y
    assert same(add(x, y), total if x < LIMIT and total < LIMIT else LIMIT)


def test_the_sum_fact_at_the_edges() -> None:
    for x in FLOAT_TIMES:
        for y in FLOAT_TIMES:
            total = 0.0 + x + y
            assert same(add(x, y), total if x < LIMIT and total < LIMIT else LIMIT), (x, y)


@settings(max_examples=2000)
@given(FIGURES, FIGURES, FIGURES)
def test_a_product_of_three_is_two_steps_of_mul2(x: float, y: float, z: float) -> None:
    """`mul` carries a clamped partial product on, so two steps give the three-factor figure."""
    assert same(mul2(mul2(x, y), z), mul(x, y, z))
    product = mul2(x, y)
    assert same(product if product else mul2(product, 1.0), mul(x, y, 1.0))  # flow_factors


def test_edge_pairs() -> None:
    for x in EDGES:
        for y in EDGES:
            assert same(mul2(x, y), mul(x, y)), (x, y)
            assert same(add2(x, y), add(x, y)), (x, y)


def test_fast_paths_saturate_and_stay_finite() -> None:
    assert mul2(1e200, 1e200) == LIMIT and mul2(-1e200, 1e200) == -LIMIT
    assert add2(6e299, 6e299) == LIMIT and add2(-LIMIT, 1.0) == -LIMIT
    assert mul2(0.0, math.inf) == 0.0 and mul2(2.0, 3.0) == 6.0 and add2(1.0, 2.0) == 3.0
