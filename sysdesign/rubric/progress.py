"""How scores moved: rows for a table of attempts, and a chart people can read (matplotlib, Agg).

The chart: overall score per drill over dates (one point per attempt, at its date, not its clock
time), the rubric's level thresholds drawn as bands, and the sections as small multiples below
with the same colours. Drawn on a bare `Figure` (no pyplot state); SVG and PNG bytes are
deterministic: a fixed hash salt, no date or software in the metadata, text as paths.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sysdesign.rubric.history import Attempt
from sysdesign.rubric.rounding import fmt as fmt_score

CHART_FORMATS = ("svg", "png")
_SALT = "sysdesign-progress"
BAND_COLOURS = ("#f3f3f3", "#e6f0fa", "#e3f4e3", "#fbf0d9", "#f6e3f3")
COLUMNS = 3  # small multiples per row


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
                "weakest": f"{weakest[0]} {fmt_score(weakest[1])}" if weakest else "",
            }
        )
    return out


def chart_labels() -> tuple[list[tuple[str, float]], dict[str, str]]:
    """The level bands and section titles of the general rubric (every drill rubric extends it
    and keeps its levels); none when it cannot be loaded."""
    from sysdesign.diagnostics import InputError
    from sysdesign.rubric.loader import DEFAULT_RUBRIC, RubricNotFound, load_rubric

    try:
        general = load_rubric(DEFAULT_RUBRIC)
    except (RubricNotFound, InputError):
        return [], {}
    return [(lv.label, lv.min_score) for lv in general.levels], {
        s.id: s.title for s in general.sections
    }


def chart_points(attempts: list[Attempt]) -> dict[str, list[tuple[date, float]]]:
    """Per drill, (date, overall) of each attempt in order: what the main chart plots."""
    out: dict[str, list[tuple[date, float]]] = {}
    for a in attempts:
        out.setdefault(a.drill, []).append((_day(a), a.overall))
    return dict(sorted(out.items()))


def chart_format(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in CHART_FORMATS:
        raise ValueError(f"chart {path}: use a .svg or .png file name")
    return fmt


def _day(attempt: Attempt) -> date:
    return date.fromisoformat(attempt.date)


DAY_TICKS_UP_TO = 62  # days shown: a minor tick per day up to this span, else one per month


def _date_axis(ax: Any, days: list[date], mdates: Any, every: int) -> None:
    """Ticks on whole days only (never clock times), at most ~8 labels; minor ticks per day
    over two months at most, per month beyond (a tick per day over years is thousands)."""
    first, last = min(days), max(days)
    ax.set_xlim(
        mdates.date2num(first - timedelta(days=1)), mdates.date2num(last + timedelta(days=1))
    )
    ax.xaxis.set_major_locator(mdates.DayLocator(interval=every))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %d"))
    short = (last - first).days <= DAY_TICKS_UP_TO
    ax.xaxis.set_minor_locator(mdates.DayLocator() if short else mdates.MonthLocator())


def _bands(ax: Any, levels: Sequence[tuple[str, float]], label: bool) -> None:
    bounds = [lv for _, lv in levels] + [100.0]
    for n, (name, low) in enumerate(levels):
        ax.axhspan(low, bounds[n + 1], color=BAND_COLOURS[n % len(BAND_COLOURS)], zorder=0)
        if n:
            ax.axhline(low, color="#999999", linewidth=0.6, linestyle="--", zorder=1)
        if label:
            ax.text(
                1.005,
                (low + bounds[n + 1]) / 2,
                f"{name} ({low:g}+)",
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=8,
                color="#555555",
            )


def render_chart(
    attempts: list[Attempt],
    fmt: str = "svg",
    levels: Sequence[tuple[str, float]] = (),
    section_titles: dict[str, str] | None = None,
) -> bytes:
    """Overall score per drill over dates with level bands; sections as small multiples."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import dates as mdates
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    if fmt not in CHART_FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}; use svg or png")
    titles = section_titles or {}
    drills = sorted({a.drill for a in attempts})
    sections = sorted({s for a in attempts for s in a.sections}, key=lambda s: titles.get(s, s))
    if titles:
        order = list(titles)
        sections.sort(key=lambda s: (order.index(s) if s in order else len(order), s))
    grid_rows = math.ceil(len(sections) / COLUMNS) if sections else 0
    params = {
        "svg.hashsalt": _SALT,
        "svg.fonttype": "path",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with rc_context(params):
        fig = Figure(figsize=(11, 4.2 + 2.1 * grid_rows), layout="constrained")
        heights = [2.2] + [1.0] * grid_rows
        grid = fig.add_gridspec(1 + grid_rows, COLUMNS, height_ratios=heights)
        main = fig.add_subplot(grid[0, :])
        if not attempts:
            main.text(0.5, 0.5, "no attempts yet", ha="center", va="center")
            main.set_axis_off()
        else:
            days = [_day(a) for a in attempts]
            span = (max(days) - min(days)).days + 1
            every = max(1, math.ceil(span / 8))
            colours = {d: f"C{n % 10}" for n, d in enumerate(drills)}
            _bands(main, levels, label=True)
            for drill in drills:
                mine = [a for a in attempts if a.drill == drill]
                x = [mdates.date2num(_day(a)) for a in mine]
                main.plot(
                    x,
                    [a.overall for a in mine],
                    marker="o",
                    linewidth=2,
                    color=colours[drill],
                    label=f"{drill} ({len(mine)})",
                    zorder=3,
                )
            main.set_ylim(0, 100)
            main.set_ylabel("overall score")
            main.set_title("Overall score per drill (one point per graded attempt)", loc="left")
            _date_axis(main, days, mdates, every)
            years = sorted({d.year for d in days})
            main.set_xlabel(f"date ({years[0]}{'-' + str(years[-1]) if len(years) > 1 else ''})")
            main.legend(loc="upper left", fontsize=8, frameon=True, ncols=min(len(drills), 4))
            for n, section in enumerate(sections):
                ax = fig.add_subplot(grid[1 + n // COLUMNS, n % COLUMNS], sharex=main)
                _bands(ax, levels, label=False)
                for drill in drills:
                    mine = [a for a in attempts if a.drill == drill and section in a.sections]
                    if mine:
                        ax.plot(
                            [mdates.date2num(_day(a)) for a in mine],
                            [a.sections[section] for a in mine],
                            marker=".",
                            linewidth=1.2,
                            color=colours[drill],
                            zorder=3,
                        )
                ax.set_ylim(0, 100)
                ax.set_yticks([0, 50, 100])
                ax.set_title(titles.get(section, section), loc="left", fontsize=9)
                ax.tick_params(labelsize=7)
                _date_axis(ax, days, mdates, max(every, math.ceil(span / 4)))
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, metadata=metadata, dpi=100)
    return buffer.getvalue()
