"""What the design shows limits what a self answer can earn; a near-empty design earns nothing.

Caps (an answer above its cap earns the cap, and the report says why):

- an item the design can partly judge (an auto item with `fallback: self`, or a self item with an
  `evidence` question in the rubric) is capped by how much of it the design shows: all of it,
  no cap; part of it (some stages, some estimates), at most "partly"; none of it, "no";
- the floor: when the design at the last stage reached draws fewer than `FLOOR_COMPONENTS`
  components besides its clients or fewer than `FLOOR_FLOWS` flows, every self answer is capped
  at "no" and the level is the rubric's lowest, whatever the answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from sysdesign.rubric.models import Rubric
from sysdesign.rubric.staged import Staged

FLOOR_COMPONENTS = 3  # components besides the clients
FLOOR_FLOWS = 3
PARTLY = 0.5


@dataclass(frozen=True)
class Cap:
    """The most credit a self answer can earn for one item, and why."""

    credit: float  # 0.0 or 0.5
    reason: str


def floor_reason(graph: nx.DiGraph) -> str | None:
    """Why the design is too empty for self answers to count, or None when it is not."""
    components = sum(1 for _, kind in graph.nodes(data="kind") if kind != "client")
    flows = graph.number_of_edges()
    if components >= FLOOR_COMPONENTS and flows >= FLOOR_FLOWS:
        return None
    return (
        f"the design draws {components} component{'s' if components != 1 else ''} besides its "
        f"clients and {flows} flow{'s' if flows != 1 else ''}; self answers count from "
        f"{FLOOR_COMPONENTS} components and {FLOOR_FLOWS} flows"
    )


def caps(rubric: Rubric, staged: Staged, floor: str | None) -> dict[str, Cap]:
    """The cap of every item a user answers (items not listed are not capped)."""
    out: dict[str, Cap] = {}
    for item in rubric.items:
        if item.kind == "auto":
            continue
        if floor is not None:
            out[item.id] = Cap(0.0, f"near-empty design: {floor}")
            continue
        if item.kind == "auto-or-self":
            check = staged.checks[item.id]
            if check.passed:
                continue
            shown, seen = staged.support[item.id], check.evidence
        elif item.evidence is not None:
            shown, seen = staged.support[item.id], staged.evidence[item.id]
        else:
            continue
        what = "; ".join(seen) or "nothing"
        if shown <= 0.0:
            out[item.id] = Cap(0.0, f"the design shows none of it ({what})")
        elif shown < 1.0:
            out[item.id] = Cap(PARTLY, f"the design shows part of it ({what})")
    return out
