"""Match an attempt's components and estimates to the reference's, by role and function, and
put their numbers side by side.

Components match by layer, never by id: first same kind, then a component of the attempt that
plays the reference's kind as a role (a gateway with `roles: [rate_limiter]` matches a rate
limiter). Within a layer, pairs are chosen greedily by shared roles, then label and id words.
Estimates match by unit and the words of their names. A figure neither design states is shown
as "not stated", never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sysdesign.model import Component, Estimate
from sysdesign.views import DesignView

MODEL_KINDS = frozenset({"llm", "ml_model", "embedding_model", "reranker"})
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _words(*texts: str | None) -> set[str]:
    return {_stem(w) for t in texts if t for w in _WORD.findall(t.lower()) if len(w) > 1}


def _similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass(frozen=True)
class Figure:
    """One number of a matched pair: the reference's and the attempt's."""

    name: str
    unit: str
    reference: float | None
    mine: float | None

    @property
    def ratio(self) -> float | None:
        if self.reference and self.mine is not None:
            return self.mine / self.reference
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "reference": self.reference,
            "mine": self.mine,
            "ratio": round(self.ratio, 3) if self.ratio is not None else None,
        }


@dataclass(frozen=True)
class Pair:
    """A reference component and the attempt's component that plays its part."""

    layer: str
    reference: str
    mine: str
    by: str  # "kind" or "role"
    figures: tuple[Figure, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "reference": self.reference,
            "mine": self.mine,
            "matched_by": self.by,
            "figures": [f.as_dict() for f in self.figures],
        }


def _figures(ref: Component, mine: Component) -> tuple[Figure, ...]:
    def total(c: Component) -> float | None:
        return c.replicas * c.capacity_rps if c.capacity_rps is not None else None

    hosts = "GPU hosts" if str(ref.kind) in MODEL_KINDS else "replicas"
    rows = [
        Figure(hosts, "", float(ref.replicas), float(mine.replicas)),
        Figure("capacity per replica", "req/s", ref.capacity_rps, mine.capacity_rps),
        Figure("capacity in total", "req/s", total(ref), total(mine)),
        Figure("latency", "ms", ref.latency_ms, mine.latency_ms),
        Figure("zones", "", float(len(ref.zones)), float(len(mine.zones))),
    ]
    for name, unit in (("storage_bytes", "B"), ("memory_bytes", "B"), ("shards", "")):
        a, b = getattr(ref, name, None), getattr(mine, name, None)
        if a is not None or b is not None:
            rows.append(Figure(name.replace("_bytes", "").replace("_", " "), unit, a, b))
    return tuple(f for f in rows if f.reference is not None or f.mine is not None)


def _rank(ref: Component, c: Component) -> tuple[float, str]:
    shared = len({str(r) for r in ref.roles} & {str(r) for r in c.roles})
    sim = _similarity(
        _words(ref.id, ref.label, ref.technology), _words(c.id, c.label, c.technology)
    )
    return (-(shared + sim), c.id)


def match_components(ref: DesignView, mine: DesignView) -> list[Pair]:
    """Pairs of components playing the same part, in the reference's order."""
    taken: set[str] = set()
    pairs: list[Pair] = []
    for by in ("kind", "role"):
        for ref_c in ref.components.values():
            kind = str(ref_c.kind)
            if kind == "client" or any(p.reference == ref_c.id for p in pairs):
                continue
            candidates = [
                c
                for c in mine.components.values()
                if c.id not in taken
                and (str(c.kind) == kind if by == "kind" else kind in {str(r) for r in c.roles})
            ]
            if not candidates:
                continue
            best = min(candidates, key=lambda c, r=ref_c: _rank(r, c))
            taken.add(best.id)
            pairs.append(Pair(kind, ref_c.id, best.id, by, _figures(ref_c, best)))
    order = {cid: n for n, cid in enumerate(ref.components)}
    return sorted(pairs, key=lambda p: order[p.reference])


@dataclass(frozen=True)
class EstimatePair:
    name: str  # the reference's name
    unit: str
    reference: float
    mine: float | None
    mine_name: str | None

    def as_dict(self) -> dict[str, Any]:
        figure = Figure(self.name, self.unit, self.reference, self.mine)
        return {**figure.as_dict(), "mine_name": self.mine_name}


def match_estimates(ref: list[Estimate], mine: list[Estimate]) -> list[EstimatePair]:
    """Each reference estimate with the attempt's closest one (same unit, shared name words)."""
    taken: set[int] = set()
    out = []
    for r in ref:
        words = _words(r.name)
        best, best_sim = None, 0.0
        for n, m in enumerate(mine):
            if n in taken or m.unit.strip().lower() != r.unit.strip().lower():
                continue
            sim = _similarity(words, _words(m.name))
            if sim > best_sim:
                best, best_sim = n, sim
        if best is not None and best_sim >= 0.34:
            taken.add(best)
            out.append(EstimatePair(r.name, r.unit, r.value, mine[best].value, mine[best].name))
        else:
            out.append(EstimatePair(r.name, r.unit, r.value, None, None))
    return out
