"""Frozen dataclass instances made in bulk, without the generated `__init__`.

A frozen dataclass's `__init__` sets each field with `object.__setattr__` (one call per field),
which costs more than the rest of a hot loop that makes one record per component. `made` gives
the instance its fields' dict at once: the same class, fields, equality, hash and repr.
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")

_new = object.__new__
_set = object.__setattr__


def made(cls: type[T], values: dict[str, Any]) -> T:
    """`cls(**values)` for a frozen dataclass without `__post_init__` or slots, given a fresh
    dict of every field by name, in field order (the record keeps that dict as its own)."""
    record = _new(cls)
    _set(record, "__dict__", values)
    return record
