"""The progress chart: dates not clock times, level bands, sections as small multiples;
deterministic SVG and PNG bytes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from sysdesign.cli import app
from sysdesign.rubric.history import Attempt, History
from sysdesign.rubric.progress import chart_labels, chart_points, render_chart

SECTIONS = ("requirements", "safety", "trade-offs")


def attempt(when: str, drill: str, overall: float) -> Attempt:
    return Attempt(
        recorded_at=when,
        design=drill,
        drill=drill,
        rubric=drill,
        stage=1,
        stages=4,
        minutes=40.0,
        overall=overall,
        level="mid",
        sections={s: overall for s in SECTIONS},
    )


ATTEMPTS = [
    attempt("2025-02-01T08:15:00+00:00", "qortex", 35.0),
    attempt("2025-02-01T21:40:00+00:00", "qortex", 48.5),  # same day, other clock time
    attempt("2025-02-03T10:00:00+00:00", "mcp-gateway", 61.0),
    attempt("2025-02-09T10:00:00+00:00", "qortex", 72.0),
]


def test_points_are_dates_not_clock_times() -> None:
    points = chart_points(ATTEMPTS)
    assert list(points) == ["mcp-gateway", "qortex"]
    assert points["qortex"] == [
        (date(2025, 2, 1), 35.0),
        (date(2025, 2, 1), 48.5),
        (date(2025, 2, 9), 72.0),
    ]


def test_levels_and_section_titles_come_from_the_rubric() -> None:
    levels, titles = chart_labels()
    assert [name for name, _ in levels] == ["Below mid", "Mid", "Senior", "Staff"]
    assert [low for _, low in levels] == [0, 50, 70, 85]
    assert titles["safety"] == "Safety, security and auditability"


def test_svg_and_png_are_deterministic() -> None:
    levels, titles = chart_labels()
    for fmt, magic in (("svg", b"<?xml"), ("png", b"\x89PNG")):
        first = render_chart(ATTEMPTS, fmt, levels, titles)
        assert first == render_chart(ATTEMPTS, fmt, levels, titles)
        assert first.startswith(magic)
    svg = render_chart(ATTEMPTS, "svg", levels, titles)
    assert b"<dc:date>" not in svg and b"Matplotlib" not in render_chart(ATTEMPTS, "png")
    # one main chart and a small one per section
    assert svg.count(b'<g id="axes_') == 1 + len(SECTIONS)
    assert render_chart([], "svg").startswith(b"<?xml")


def test_cli_writes_the_chart(tmp_path: Path) -> None:
    store = History(tmp_path / "h.sqlite3")
    for a in ATTEMPTS:
        store.record(a)
    chart = tmp_path / "p.png"
    result = CliRunner().invoke(
        app, ["progress", "--history", str(tmp_path / "h.sqlite3"), "--chart", str(chart)]
    )
    assert result.exit_code == 0, result.output
    assert chart.read_bytes().startswith(b"\x89PNG") and " 48.5 " in result.output
