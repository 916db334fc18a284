"""How scores moved: rows for a table of attempts and a chart per drill (matplotlib, Agg).

The chart is drawn on a bare `Figure` (no pyplot state). SVG output is deterministic: a fixed
hash salt, no date in the metadata, and text as paths.
"""

from __future__ import annotations

import io
import math
from datetime import datetime
from pathlib import Path
from typing import Any

from sysdesign.rubric.history import Attempt

CHART_FORMATS = ("svg", "png")
_SALT = "sysdesign-progress"


def rows(attempts: list[Attempt]) -> list[dict[str, Any]]:
    """One row per attempt, for the table."""
    out = []
    for a in attempts:
        weakest = min(a.sections.items(), key=lambda kv: (kv[1], kv[0])) if a.sections else None
        out.append(
            {
                "id": a.id,
                "date": a.date,
                "drill": a.drill,
                "design": a.design,
                "stage": f"{a.stage}/{a.stages}",
                "minutes": a.minutes,
                "overall": a.overall,
                "level": a.level,
                "weakest": f"{weakest[0]} {weakest[1]:.0f}" if weakest else "",
            }
        )
    return out


def _when(attempt: Attempt) -> datetime:
    return datetime.fromisoformat(attempt.recorded_at.replace("Z", "+00:00"))


def chart_format(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in CHART_FORMATS:
        raise ValueError(f"chart {path}: use a .svg or .png file name")
    return fmt


def render_chart(attempts: list[Attempt], fmt: str = "svg") -> bytes:
    """Overall and per-section scores over time, one panel per drill."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import dates as mdates
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    if fmt not in CHART_FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}; use svg or png")
    drills = sorted({a.drill for a in attempts})
    params = {"svg.hashsalt": _SALT, "svg.fonttype": "path", "font.size": 9}
    with rc_context(params):
        fig = Figure(figsize=(10, 3.2 * max(len(drills), 1)), layout="constrained")
        axes = fig.subplots(max(len(drills), 1), 1, squeeze=False)[:, 0]
        if not drills:
            axes[0].text(0.5, 0.5, "no attempts yet", ha="center", va="center")
            axes[0].set_axis_off()
        for ax, drill in zip(axes, drills, strict=False):
            mine = [a for a in attempts if a.drill == drill]
            when = [mdates.date2num(_when(a)) for a in mine]
            sections = sorted({s for a in mine for s in a.sections})
            for section in sections:
                values = [a.sections.get(section, math.nan) for a in mine]
                ax.plot(when, values, marker=".", linewidth=1, alpha=0.7, label=section)
            ax.plot(
                when,
                [a.overall for a in mine],
                marker="o",
                linewidth=2.5,
                color="black",
                label="overall",
            )
            ax.set_title(f"{drill}: {len(mine)} attempt{'s' if len(mine) != 1 else ''}", loc="left")
            ax.set_ylim(0, 105)
            ax.set_ylabel("score")
            ax.grid(True, alpha=0.3)
            locator = mdates.AutoDateLocator()
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
            if len(set(when)) == 1:
                ax.set_xlim(when[0] - 1, when[0] + 1)
            ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, metadata=metadata, dpi=100)
    return buffer.getvalue()
