"""Icons: each kind's `diagrams` node class (from the taxonomy's `icon` column) and its image.

The table lives in `sysdesign.taxonomy`; this module only resolves it. Icon images are named by
their path relative to `icon_root()` (the folder `diagrams` installs its `resources/` into), so the
DOT source never holds a machine's absolute path: Graphviz finds them through `imagepath`.
"""

from __future__ import annotations

import base64
import importlib
from functools import cache
from pathlib import Path

import diagrams

from sysdesign.taxonomy import KIND_NAMES, kind_info


@cache
def icon_root() -> Path:
    """The folder that holds diagrams' `resources/` (what Graphviz's `imagepath` must be)."""
    return Path(diagrams.__file__).resolve().parent.parent


@cache
def node_class(kind: str) -> type[diagrams.Node]:
    """The `diagrams` node class of a kind, from the taxonomy's dotted `icon` path."""
    module_name, _, class_name = kind_info(kind).icon.rpartition(".")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, diagrams.Node)):
        raise TypeError(f"icon of kind {kind!r} is not a diagrams node class: {cls!r}")
    return cls


@cache
def icon_name(kind: str) -> str:
    """The icon image of a kind, relative to `icon_root()` (POSIX separators)."""
    cls = node_class(kind)
    return f"{cls._icon_dir}/{cls._icon}"


def icon_names() -> dict[str, str]:
    """Every kind's icon name, in taxonomy order."""
    return {kind: icon_name(kind) for kind in KIND_NAMES}


@cache
def icon_data_uri(name: str) -> str:
    """A `data:` URI holding the icon image `name` (relative to `icon_root()`)."""
    root = icon_root()
    path = (root / name).resolve()
    if root not in path.parents:
        raise ValueError(f"icon {name!r} is outside {root}")
    mime = "image/svg+xml" if path.suffix == ".svg" else f"image/{path.suffix.lstrip('.')}"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
