"""`sysdesign next` on a synthetic history: spaced repetition, missed items, stale drills."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from sysdesign.cli import app
from sysdesign.rubric import load_rubric
from sysdesign.rubric.history import Attempt, History, StageRow
from sysdesign.rubric.plan import INTERVALS, plan

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def rubric_of(rubric_id: str):  # type: ignore[no-untyped-def]
    return load_rubric(rubric_id, ROOT / "rubrics")


def graded(day: str, drill: str, missed: tuple[str, ...], sections: dict[str, float]) -> Attempt:
    return Attempt(
        recorded_at=f"{day}T09:00:00+00:00",
        design=f"my-{drill}",
        drill=drill,
        rubric=drill,
        stage=1,
        stages=5,
        minutes=45.0,
        overall=60.0,
        level="mid",
        sections=sections,
        per_stage=(StageRow(0, "base design", None), StageRow(1, "one", True)),
        missed=missed,
    )


HISTORY = [
    graded("2025-03-01", "qortex", ("ten-x", "no-spof"), {"safety": 40.0, "scaling": 70.0}),
    graded("2025-03-03", "qortex", ("no-spof",), {"safety": 50.0, "scaling": 80.0}),
    graded("2025-03-06", "distributed-search", ("no-spof",), {"safety": 90.0, "scaling": 30.0}),
    graded("2025-03-09", "qortex", ("no-spof",), {"safety": 55.0, "scaling": 85.0}),
]
DRILLS = ["agent-observability", "distributed-search", "mcp-gateway", "qortex"]


def test_spaced_repetition_intervals() -> None:
    result = plan(HISTORY, date(2025, 3, 10), DRILLS, rubric_of)
    states = {s.item: s for s in result.due + result.missed_most}
    # ten-x: missed 03-01 (box 0), passed 03-03 (box 1), 03-06 n/a in another drill's rubric
    # (distributed-search extends general: judged and passed, box 2), passed 03-09 (box 3)
    assert INTERVALS == (1, 3, 7, 14, 30)
    later = plan(HISTORY, date(2025, 4, 30), DRILLS, rubric_of)
    ten_x = next(s for s in later.due if s.item == "ten-x")
    assert ten_x.box == 3 and ten_x.due == date(2025, 3, 23) and not ten_x.last_missed
    # no-spof: missed every time, back the next day
    spof = states["no-spof"]
    assert spof.last_missed and spof.box == 0 and spof.due == date(2025, 3, 10)
    assert spof.misses == 4 and spof.drills == ("distributed-search", "qortex")
    assert result.missed_most[0].item == "no-spof"
    assert "ten-x" not in {s.item for s in result.due}  # passed lately: not due yet
    # an item passed once comes back after 3 days, twice after 7
    once = plan(HISTORY[:2], date(2025, 3, 6), DRILLS, rubric_of)
    assert next(s for s in once.due if s.item == "ten-x").due == date(2025, 3, 6)


def test_weakest_sections_and_stale_drills() -> None:
    result = plan(HISTORY, date(2025, 3, 20), DRILLS, rubric_of)
    # latest per drill: qortex (55, 85), distributed-search (90, 30)
    assert [(sid, value) for sid, _, value in result.weakest_sections] == [
        ("scaling", 57.5),
        ("safety", 72.5),
    ]
    by_drill = {d.drill: d for d in result.drills}
    assert by_drill["mcp-gateway"].days_since is None
    assert by_drill["qortex"].days_since == 11 and by_drill["qortex"].attempts == 3
    assert result.drill in DRILLS and result.reasons


def test_nothing_graded_yet_starts_somewhere() -> None:
    result = plan([], date(2025, 3, 1), DRILLS, rubric_of)
    assert result.drill == "agent-observability" and "no graded attempt" in result.reasons[0]


def test_cli_is_deterministic_for_a_history_and_a_date(tmp_path: Path) -> None:
    store = History(tmp_path / "h.sqlite3")
    for attempt in HISTORY:
        store.record(attempt)
    args = ["next", "--history", str(tmp_path / "h.sqlite3"), "--today", "2025-03-10"]
    first = runner.invoke(app, [*args, "--format", "json"])
    second = runner.invoke(app, [*args, "--format", "json"])
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    data = json.loads(first.output)
    assert data["today"] == "2025-03-10" and data["due"][0]["item"] == "no-spof"
    text = runner.invoke(app, args)
    assert text.exit_code == 0 and text.output.startswith("Next: practise ")
    assert "no-spof: missed in 4 of 4 attempts" in text.output
    bad = runner.invoke(app, ["next", "--history", str(tmp_path / "h.sqlite3"), "--today", "x"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
