"""`json_text.dumps` is `json.dumps(indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)`
byte for byte (or the same error), whichever of orjson or json writes it."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sysdesign import json_text


def reference(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)


def same_as_json(data: Any) -> None:
    try:
        expected = reference(data)
    except Exception as exc:  # the same error type is the point
        with pytest.raises(type(exc)):
            json_text.dumps(data)
        return
    assert json_text.dumps(data) == expected


FLOATS = st.one_of(
    st.floats(),  # NaN, infinities, subnormals, every exponent
    st.floats(min_value=-1e-3, max_value=1e-3),  # where orjson's own format differs
    st.sampled_from([0.0, -0.0, 1e-4, 9.999999e-05, 1e-05, 1e-09, 5e-324, 1e16, 1e22, 1e308]),
)
TEXT = st.text(
    st.one_of(
        st.characters(),
        st.characters(max_codepoint=0x20),  # escapes
        st.sampled_from(['"', "\\", "\x7f", "\u2028", "\ud800", "\U0001f600"]),
    )
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**64), max_value=2**65),  # around orjson's 64-bit limit
    FLOATS,
    TEXT,
)
KEYS = st.one_of(TEXT, TEXT, TEXT, st.integers(), st.none())
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(KEYS, inner, max_size=5),
    ),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_generated_data_is_written_as_json_writes_it(data: Any) -> None:
    same_as_json(data)


class Colour(StrEnum):
    RED = "red"


@dataclass
class Point:
    x: int


def test_what_orjson_would_write_its_own_way_falls_back_to_json() -> None:
    tiny = {"b": [1e-05, {"c": 2.5e-07}], "a": 0.0001, "z": (1e-9,)}
    assert json_text.dumps(tiny) == reference(tiny)
    assert '"b": [\n    1e-05' in json_text.dumps(tiny)  # not orjson's 0.00001
    for data in (
        {"x": math.nan},
        [math.inf],
        {1: "int key"},
        {None: 1, "a": 2},
        {"big": 2**70},
        {"odd": "\udc80"},
        {"colour": Colour.RED, Colour.RED: 1},
        [Point(1)],
        {"nested": [[[[[]]]]] * 3},
    ):
        same_as_json(data)
    deep: Any = []
    for _ in range(400):  # deeper than orjson goes, within json's recursion
        deep = [deep]
    same_as_json(deep)


def test_the_input_is_not_changed() -> None:
    data = {"tiny": [1e-07, {"t": 3e-06}]}
    json_text.dumps(data)
    assert data == {"tiny": [1e-07, {"t": 3e-06}]}
    assert type(data["tiny"][0]) is float


def test_orjson_writes_plain_data() -> None:
    orjson = pytest.importorskip("orjson")
    calls: list[Any] = []
    original = orjson.dumps

    def spy(*args: Any, **kwargs: Any) -> bytes:
        calls.append(args)
        return original(*args, **kwargs)

    orjson.dumps = spy
    try:
        text = json_text.dumps({"a": [1, 2.5, None, "x"], "b": {}})
    finally:
        orjson.dumps = original
    assert calls and text == reference({"a": [1, 2.5, None, "x"], "b": {}})
