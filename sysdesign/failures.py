"""`sysdesign fail`: every single zone and every single component failing in turn, worst first."""

from __future__ import annotations

from typing import Any

from sysdesign.analyses import analyses_for
from sysdesign.analyses.availability import Blast
from sysdesign.figures import fmt_percent
from sysdesign.model import Design
from sysdesign.views import view_of


def blasts(design: Design, stage: int = 0, scale: float = 1.0) -> list[Blast]:
    """The blast radius of each single zone and component failure, worst first."""
    return analyses_for(view_of(design, stage), scale).blasts()


def blast_dict(blast: Blast) -> dict[str, Any]:
    return {
        "failure": blast.failure.describe(),
        "zone": blast.failure.zone,
        "component": blast.failure.component,
        "lost": list(blast.lost),
        "broken": [{"client": c, "unreachable": list(m)} for c, m in blast.broken],
        "overloaded": [{"component": n, "utilisation": u} for n, u in blast.overloaded],
        "above_target": [{"component": n, "utilisation": u} for n, u in blast.hot],
    }


def blast_line(blast: Blast) -> str:
    """One line: what the failure breaks, overloads and pushes above the target."""
    parts = [f"{c} loses {', '.join(m)}" for c, m in blast.broken]
    parts += [f"{n} overloaded at {fmt_percent(u)}" for n, u in blast.overloaded]
    parts += [f"{n} at {fmt_percent(u)}" for n, u in blast.hot[:3]]
    if len(blast.hot) > 3:
        parts.append(f"{len(blast.hot) - 3} more above target")
    return f"{blast.failure.describe()}: {'; '.join(parts) if parts else 'no journey breaks'}"


def harmless(blast: Blast) -> bool:
    return not (blast.broken or blast.overloaded or blast.hot)
