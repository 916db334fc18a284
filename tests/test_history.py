"""The attempt history: round trips, and broken, foreign, newer or locked files never lose data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sysdesign.cli import app
from sysdesign.rubric.history import (
    ENV,
    Attempt,
    History,
    HistoryError,
    history_path,
    open_history,
)


def attempt(n: int, drill: str = "qortex", overall: float = 50.0) -> Attempt:
    return Attempt(
        recorded_at=f"2025-01-{n:02d}T10:00:00+00:00",
        design=drill,
        drill=drill,
        rubric=drill,
        stage=2,
        stages=4,
        minutes=45.0,
        overall=overall,
        level="mid",
        sections={"safety": overall, "scaling": overall / 2},
        answers={"ten-x": {"answer": "partly", "note": "named the shards"}},
    )


def test_round_trip(tmp_path: Path) -> None:
    store = History(tmp_path / "sub" / "h.sqlite3")
    ids = [
        store.record(attempt(3)),
        store.record(attempt(1, "mcp-gateway")),
        store.record(attempt(2)),
    ]
    assert ids == [1, 2, 3]
    everything = store.attempts()
    assert [a.recorded_at[:10] for a in everything] == ["2025-01-01", "2025-01-02", "2025-01-03"]
    qortex = store.attempts("qortex")
    assert [a.id for a in qortex] == [3, 1]
    assert qortex[0].answers == {"ten-x": {"answer": "partly", "note": "named the shards"}}
    assert qortex[0].sections == {"safety": 50.0, "scaling": 25.0}
    assert store.drills() == ["mcp-gateway", "qortex"]


def test_where_the_history_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    assert history_path().name == "history.sqlite3"
    assert "sysdesign" in str(history_path())
    monkeypatch.setenv(ENV, str(tmp_path / "env.sqlite3"))
    assert history_path() == tmp_path / "env.sqlite3"
    assert history_path(tmp_path / "opt.sqlite3") == tmp_path / "opt.sqlite3"


def test_reading_before_any_attempt(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match=r"no history at .* yet"):
        History(tmp_path / "none.sqlite3").attempts()


def test_corrupt_file_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    garbage = b"this is not a database at all\n" * 200
    path.write_bytes(garbage)
    store = History(path)
    with pytest.raises(HistoryError, match=r"is damaged .*left untouched"):
        store.record(attempt(1))
    with pytest.raises(HistoryError, match="is damaged"):
        store.attempts()
    assert path.read_bytes() == garbage


def test_damaged_pages_are_detected_and_earlier_attempts_kept(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    store = History(path)
    for n in range(1, 4):
        store.record(attempt(n))
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) >= 2 * page
    data[page + 8 : 2 * page] = b"\xff" * (page - 8)  # smash the second page
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(HistoryError):
        store.record(attempt(4))
    assert path.read_bytes() == before


def test_foreign_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.close()
    with pytest.raises(HistoryError, match="not a sysdesign history; it was left untouched"):
        History(path).record(attempt(1))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT text FROM notes").fetchall() == [("keep me",)]
    conn.close()


def test_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    History(path).record(attempt(1))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(HistoryError, match="newer sysdesign"):
        History(path).attempts()


def test_locked_file(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    History(path).record(attempt(1))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryError, match="locked by another process"):
            History(path, timeout=0.05).record(attempt(2))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store = History(path)
    store.record(attempt(3))
    assert [a.recorded_at[:10] for a in store.attempts()] == ["2025-01-01", "2025-01-03"]


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="is a directory"):
        open_history(tmp_path).record(attempt(1))


# --- the `progress` command ---------------------------------------------------------------------


def _filled(tmp_path: Path) -> Path:
    path = tmp_path / "h.sqlite3"
    store = History(path)
    for n, score in ((1, 40.0), (8, 55.0), (15, 72.5)):
        store.record(attempt(n, "qortex", score))
    store.record(attempt(9, "mcp-gateway", 61.0))
    return path


def test_progress_table_and_deterministic_svg(tmp_path: Path) -> None:
    path = _filled(tmp_path)
    runner = CliRunner()
    charts = []
    for n in range(2):
        chart = tmp_path / f"chart{n}.svg"
        result = runner.invoke(app, ["progress", "--history", str(path), "--chart", str(chart)])
        assert result.exit_code == 0, result.output
        charts.append(chart.read_bytes())
    assert (
        "2025-01-15" in result.output and "72.5" in result.output and "mcp-gateway" in result.output
    )
    assert charts[0] == charts[1]
    assert charts[0].startswith(b"<?xml") and b"<svg" in charts[0]
    assert b"<dc:date>" not in charts[0]


def test_progress_png_json_and_drill_filter(tmp_path: Path) -> None:
    path = _filled(tmp_path)
    runner = CliRunner()
    chart = tmp_path / "q.png"
    result = runner.invoke(
        app,
        [
            "progress",
            "--history",
            str(path),
            "--drill",
            "qortex",
            "--chart",
            str(chart),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    import json

    data = json.loads(result.output)
    assert [a["overall"] for a in data["attempts"]] == [40.0, 55.0, 72.5]
    result = runner.invoke(app, ["progress", "--history", str(path), "--drill", "qortx"])
    assert result.exit_code == 2 and "did you mean 'qortex'?" in result.output
    result = runner.invoke(app, ["progress", "--history", str(path), "--chart", "x.pdf"])
    assert result.exit_code == 2 and ".svg or .png" in result.output


def test_progress_with_a_corrupt_history(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    result = CliRunner().invoke(app, ["progress", "--history", str(path), "--no-chart"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "is damaged" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(app, ["progress", "--history", str(tmp_path / "none.sqlite3")])
    assert result.exit_code == 2 and "grade an attempt" in result.output
