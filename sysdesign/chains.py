"""Chain strings: `"users -> lb -> api"` (sync calls) and `"api ~> events"` (async messages).

`parse_chain` reads one string into links with the 0-based offset of every id and arrow, so a
problem can be located inside the string; `chain_flow` is the long-form flow a link stands for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ARROWS = {"->": "sync", "~>": "async"}
ASYNC_FIELDS = {"mode": "async", "op": "write"}
_LOOKALIKES = {
    "-->": "->",
    "~~>": "~>",
    "=>": "->",
    "<-": "->",
    "→": "->",
    "⟶": "->",
    "⇒": "->",
    "⇢": "->",
    "➔": "->",
    "➜": "->",
    "↦": "->",
    "⤳": "~>",
    "↝": "~>",
}


@dataclass(frozen=True)
class ChainLink:
    """One flow of a chain: ids with their offsets in the string, and the arrow's."""

    source: str
    source_at: int
    target: str
    target_at: int
    arrow: str
    arrow_at: int


@dataclass
class ChainError(Exception):
    """A chain that cannot be read, with the offset (0-based) of the problem in the string."""

    offset: int
    message: str


def parse_chain(text: str) -> list[ChainLink]:
    """The flows a chain string declares; raises ChainError (every link is checked in order)."""
    ids: list[tuple[str, int]] = []
    arrows: list[tuple[str, int]] = []
    start, i = 0, 0
    while i < len(text):
        bad = next((s for s in _LOOKALIKES if text.startswith(s, i)), None)
        if bad is not None:
            good = _LOOKALIKES[bad]
            why = " (chains read left to right)" if bad == "<-" else ""
            raise ChainError(i, f"use {good!r} in a chain, not {bad!r}{why}")
        arrow = text[i : i + 2]
        if arrow in ARROWS:
            ids.append(_segment(text, start, i))
            arrows.append((arrow, i))
            i += 2
            start = i
            continue
        i += 1
    ids.append(_segment(text, start, len(text)))
    if not arrows:
        raise ChainError(
            ids[0][1],
            "a chain needs at least two component ids joined by '->' (sync call) or '~>' "
            "(async message)",
        )
    for n, (name, _) in enumerate(ids):
        if name:
            continue
        if n == 0:
            raise ChainError(arrows[0][1], f"chain starts with {arrows[0][0]!r}: name its source")
        if n == len(ids) - 1:
            raise ChainError(arrows[-1][1], f"chain ends with {arrows[-1][0]!r}: name its target")
        raise ChainError(arrows[n][1], "two arrows with no component id between them")
    return [
        ChainLink(ids[n][0], ids[n][1], ids[n + 1][0], ids[n + 1][1], arrow, at)
        for n, (arrow, at) in enumerate(arrows)
    ]


def _segment(text: str, start: int, end: int) -> tuple[str, int]:
    raw = text[start:end]
    name = raw.strip()
    offset = start + (raw.index(name) if name else 0)
    return name, offset


def chain_flow(link: ChainLink) -> dict[str, Any]:
    """The long-form flow one link stands for."""
    flow: dict[str, Any] = {"from": link.source, "to": link.target}
    if ARROWS[link.arrow] == "async":
        flow.update(ASYNC_FIELDS)
    return flow
