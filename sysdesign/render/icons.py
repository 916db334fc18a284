"""Icons: a vendor's logo when the technology names the vendor, else the kind's neutral badge.

The data lives in `sysdesign.render.icon_data`; this module only resolves it. Icon images are
named by their path relative to `icon_root()` (the folder `diagrams` installs its `resources/`
into), so the DOT source never holds a machine's absolute path: Graphviz finds them through
`imagepath`, and the SVG embeds them as data: URIs.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sysdesign.render.icon_data import FAMILY_COLOURS, KIND_BADGES, NEUTRAL_IMAGES, VENDORS
from sysdesign.taxonomy import kind_info


@dataclass(frozen=True)
class Icon:
    """What sits left of a component's label: an image, or a tag on a coloured square."""

    badge: str  # the kind's neutral tag (also used where images cannot be drawn)
    colour: str  # the kind's family colour
    image: str | None = None  # an image relative to icon_root(), or None for the badge
    vendor: str | None = None  # the vendor whose logo `image` is, when it is one


@cache
def icon_root() -> Path:
    """The folder that holds diagrams' `resources/` (what Graphviz's `imagepath` must be)."""
    import diagrams

    return Path(diagrams.__file__).resolve().parent.parent


@cache
def _vendor_patterns() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    return tuple(
        (vendor, re.compile(rf"(?<![\w-]){pattern}(?![\w])", re.IGNORECASE), image)
        for vendor, pattern, image in VENDORS
    )


def named_vendor(technology: str | None) -> tuple[str, str] | None:
    """(vendor, image) of the vendor the technology names first, or None."""
    if not technology:
        return None
    best: tuple[int, str, str] | None = None
    for vendor, pattern, image in _vendor_patterns():
        match = pattern.search(technology)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), vendor, image)
    return (best[1], best[2]) if best else None


def vendor_pattern(vendor: str) -> re.Pattern[str]:
    """The compiled pattern that names `vendor` (for tests and explanations)."""
    for name, pattern, _ in _vendor_patterns():
        if name == vendor:
            return pattern
    raise KeyError(vendor)


@cache
def icon_for(kind: str, technology: str | None = None) -> Icon:
    """The icon of a component: its vendor's logo if its technology names one, else neutral."""
    colour = FAMILY_COLOURS[kind_info(kind).family.value]
    badge = KIND_BADGES.get(kind) or kind.replace("_", " ")[:5].upper()  # a kind added later
    vendor = named_vendor(technology)
    if vendor is not None:
        return Icon(badge, colour, image=vendor[1], vendor=vendor[0])
    return Icon(badge, colour, image=NEUTRAL_IMAGES.get(kind))


def icon_images() -> set[str]:
    """Every image an icon can name (what the portable SVG may embed)."""
    return {image for _, _, image in VENDORS} | set(NEUTRAL_IMAGES.values())


@cache
def icon_data_uri(name: str) -> str:
    """A `data:` URI holding the icon image `name` (relative to `icon_root()`)."""
    root = icon_root()
    path = (root / name).resolve()
    if root not in path.parents:
        raise ValueError(f"icon {name!r} is outside {root}")
    mime = "image/svg+xml" if path.suffix == ".svg" else f"image/{path.suffix.lstrip('.')}"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
