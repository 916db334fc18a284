"""Headroom: the traffic multiple at which each component crosses the target utilisation and 100%.

Load is linear in the peak (the traffic model multiplies every flow), so a component with load L
on capacity C crosses utilisation u at multiple u x C / L of the load analysed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from operator import attrgetter

from sysdesign.analyses.records import made
from sysdesign.figures import div, mul2


@dataclass(frozen=True)
class Headroom:
    component: str
    load_rps: float
    capacity_rps: float
    to_target: float  # traffic multiple at which it crosses the target utilisation
    to_full: float  # traffic multiple at which it reaches 100%


def headroom(
    loads: Mapping[str, float], capacities: Mapping[str, float | None], target: float
) -> list[Headroom]:
    """Every loaded component with a stated capacity, the first to break first."""
    rows = [
        made(
            Headroom,
            {
                "component": node,
                "load_rps": load,
                "capacity_rps": cap,
                "to_target": mul2(target, full),
                "to_full": full,
            },
        )
        for node, load in loads.items()
        if load > 0 and (cap := capacities.get(node))
        for full in (div(cap, load),)
    ]
    rows.sort(key=attrgetter("component"))  # then, stably, by to_full: (to_full, component) order
    rows.sort(key=attrgetter("to_full"))
    return rows
