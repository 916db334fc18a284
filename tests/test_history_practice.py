"""History schema 2: practice sessions, per-stage rows, and migration of a version-1 file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sysdesign.rubric.history import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    Attempt,
    History,
    HistoryError,
    PracticeSession,
    StageRow,
)

V1_SCHEMA = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at TEXT NOT NULL, design TEXT NOT NULL,
    drill TEXT NOT NULL, rubric TEXT NOT NULL, stage INTEGER NOT NULL, stages INTEGER NOT NULL,
    minutes REAL, overall REAL NOT NULL, level TEXT NOT NULL, sections TEXT NOT NULL,
    answers TEXT NOT NULL
);
"""


def attempt(day: int, overall: float = 61.5) -> Attempt:
    return Attempt(
        recorded_at=f"2025-03-{day:02d}T09:00:00+00:00",
        design="mine",
        drill="qortex",
        rubric="qortex",
        stage=2,
        stages=5,
        minutes=50.0,
        overall=overall,
        level="mid",
        sections={"safety": 40.0},
        per_stage=(
            StageRow(0, "base design", None),
            StageRow(1, "10x", True),
            StageRow(2, "tenants", False, ("SD101 no audit log",), ("audited",)),
        ),
        missed=("audited", "ten-x"),
    )


def v1_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.execute(
        "INSERT INTO attempts (recorded_at, design, drill, rubric, stage, stages, minutes,"
        " overall, level, sections, answers) VALUES"
        " ('2025-01-01T10:00:00+00:00', 'd', 'qortex', 'qortex', 1, 5, 40, 55.5, 'mid',"
        " '{\"safety\": 50}', '{}')"
    )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_practice_round_trip_linked_to_its_attempt(tmp_path: Path) -> None:
    store = History(tmp_path / "h.sqlite3")
    attempt_id = store.record(attempt(2))
    session = PracticeSession(
        recorded_at="2025-03-02T09:50:00+00:00",
        design="mine",
        drill="qortex",
        phase_minutes={"requirements": 5.5, "estimates": 4.0, "high-level": 12.0},
        stages_reached=2,
        stage_scores={2: 61.5, 0: 48.0, 1: 55.0},
        attempt_id=attempt_id,
    )
    assert store.record_practice(session) == 1
    [back] = store.practice_sessions("qortex")
    assert back.phase_minutes == session.phase_minutes
    assert list(back.phase_minutes) == ["requirements", "estimates", "high-level"]
    assert back.stage_scores == {0: 48.0, 1: 55.0, 2: 61.5}
    assert back.attempt_id == attempt_id and back.minutes == 21.5
    assert store.practice_sessions("mcp-gateway") == []
    [graded] = store.attempts()
    assert graded.per_stage[2].demanded == ("SD101 no audit log",)
    assert graded.per_stage[0].evolved is None and graded.missed == ("audited", "ten-x")


def test_practice_linked_to_a_missing_attempt_is_refused(tmp_path: Path) -> None:
    store = History(tmp_path / "h.sqlite3")
    orphan = PracticeSession("2025-03-02T09:50:00+00:00", "m", "qortex", {"all": 45.0}, 0, {}, 7)
    with pytest.raises(HistoryError, match="no attempt 7"):
        store.record_practice(orphan)
    assert store.practice_sessions() == []


def test_version_1_is_read_as_is_and_migrated_on_write(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    v1_file(path)
    store = History(path)
    [old] = store.attempts()  # reading does not migrate
    assert old.overall == 55.5 and old.per_stage == () and old.missed == ()
    assert store.practice_sessions() == []
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1
    store.record(attempt(3))  # the first write migrates, keeping the old attempt
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    old_again, new = store.attempts()
    assert old_again == old and new.missed == ("audited", "ten-x")
    store.record_practice(PracticeSession("2025-03-04T00:00:00+00:00", "d", "qortex", {}, 0))
    assert len(store.practice_sessions()) == 1
