"""JSON text exactly as `json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False,
allow_nan=False)` writes it, from orjson (C-backed, well kept) when that gives the same bytes.

With `indent`, Python's `json` runs its pure-Python encoder: most of the output time of a large
report (10 MB for 10k components). orjson with OPT_INDENT_2 and OPT_SORT_KEYS writes the same text
(two-space indent, keys in code-point order, UTF-8 as is, the same escapes, floats as `repr`)
except in two cases, handled here:
- a float with 0 < |x| < 1e-4: orjson writes `0.00001` or `1e-9` where `repr` writes `1e-05`,
  `1e-09`; such a float goes to orjson as a Fragment holding `repr(x)`;
- NaN and the infinities: orjson writes null where `json` refuses them.
Anything else that is not plain JSON data of the exact built-in types (a NaN, a subclass, an
object, an int beyond 64 bits, a key that is not a string, a lone surrogate, nesting deeper than
orjson goes) falls back to `json.dumps` itself, so the text, or the error, is always json's own;
so does a missing orjson. `tests/test_json_text.py` compares both on generated data.
"""

from __future__ import annotations

import json
from typing import Any


class _Fallback(Exception):
    """The data holds something only `json.dumps` is sure to write as `json.dumps` does."""


def _stdlib(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)


def _prepared(value: Any, fragment: Any) -> Any:
    """`value` with every tiny float made a Fragment of its repr (containers copied only where
    one changes); _Fallback for anything not plain JSON data of the exact built-in types."""
    kind = type(value)
    if kind is dict or kind is list or kind is tuple:
        out: Any = None
        items = value.items() if kind is dict else enumerate(value)
        for at, item in items:
            inner = type(item)
            if inner is str or inner is int or inner is bool or item is None:
                continue
            new = _prepared(item, fragment)
            if new is not item:
                if out is None:
                    out = dict(value) if kind is dict else list(value)
                out[at] = new
        return value if out is None else out
    if kind is float:
        if value - value != 0.0:  # NaN or an infinity: json refuses it
            raise _Fallback
        return fragment(repr(value)) if 0.0 < abs(value) < 1e-4 else value
    if kind is str or kind is int or kind is bool or value is None:
        return value
    raise _Fallback


def dumps(data: Any) -> str:
    """`json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)`."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - a dependency; json writes the same text
        return _stdlib(data)
    fragment = getattr(orjson, "Fragment", None)
    if fragment is None:  # pragma: no cover - orjson older than the pinned version
        return _stdlib(data)
    options = (
        orjson.OPT_INDENT_2
        | orjson.OPT_SORT_KEYS
        | orjson.OPT_PASSTHROUGH_SUBCLASS
        | orjson.OPT_PASSTHROUGH_DATACLASS
        | orjson.OPT_PASSTHROUGH_DATETIME
    )
    try:
        return orjson.dumps(_prepared(data, fragment), option=options).decode()
    except (_Fallback, orjson.JSONEncodeError, RecursionError):
        return _stdlib(data)
