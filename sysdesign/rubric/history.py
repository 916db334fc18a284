"""The local history of graded attempts: one SQLite file per user (stdlib sqlite3).

Where: `--history PATH`, else `$SYSDESIGN_HISTORY`, else `history.sqlite3` in the per-user data
directory (platformdirs). Safety: the file is never recreated, truncated or repaired; a file that
is not a sysdesign history, is corrupt, is locked or was written by a newer version raises
HistoryError with one clear line, and each attempt is written in one transaction, so earlier
attempts survive any failure.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV = "SYSDESIGN_HISTORY"
APPLICATION_ID = 0x53594447  # "SYDG": marks the file as a sysdesign history
SCHEMA_VERSION = 1
LOCK_TIMEOUT_S = 5.0

_SCHEMA = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at TEXT NOT NULL,
    design TEXT NOT NULL,
    drill TEXT NOT NULL,
    rubric TEXT NOT NULL,
    stage INTEGER NOT NULL,
    stages INTEGER NOT NULL,
    minutes REAL,
    overall REAL NOT NULL,
    level TEXT NOT NULL,
    sections TEXT NOT NULL,
    answers TEXT NOT NULL
);
CREATE INDEX attempts_by_drill ON attempts (drill, recorded_at);
"""


class HistoryError(Exception):
    """The history cannot be read or written; the message is one line for the user."""


@dataclass(frozen=True)
class Attempt:
    """One graded practice session."""

    recorded_at: str  # ISO 8601, UTC, seconds
    design: str
    drill: str
    rubric: str
    stage: int  # the stage reached
    stages: int  # how many stages the design has
    minutes: float | None
    overall: float
    level: str
    sections: dict[str, float]  # section id -> score 0..100
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # item -> {answer, note}
    id: int | None = None

    @property
    def date(self) -> str:
        return self.recorded_at[:10]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "recorded_at": self.recorded_at,
            "date": self.date,
            "design": self.design,
            "drill": self.drill,
            "rubric": self.rubric,
            "stage": self.stage,
            "stages": self.stages,
            "minutes": self.minutes,
            "overall": self.overall,
            "level": self.level,
            "sections": self.sections,
            "answers": self.answers,
        }


def default_history_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("sysdesign", appauthor=False) / "history.sqlite3"


def history_path(option: Path | str | None = None) -> Path:
    """The history file: the option, else $SYSDESIGN_HISTORY, else the per-user data directory."""
    if option:
        return Path(option)
    env = os.environ.get(ENV)
    if env:
        return Path(env)
    return default_history_path()


def _explain(path: Path, exc: sqlite3.Error) -> HistoryError:
    text = str(exc)
    if isinstance(exc, sqlite3.OperationalError) and "locked" in text:
        return HistoryError(
            f"history {path} is locked by another process; try again when it has finished"
        )
    if isinstance(exc, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text or "corrupt" in text
    ):
        return HistoryError(
            f"history {path} is damaged ({text}); it was left untouched: move it aside to "
            f"start a new history, or point {ENV} or --history elsewhere"
        )
    return HistoryError(f"history {path}: {text}")


class History:
    """Attempts in one SQLite file. Use `open_history` to get one."""

    def __init__(self, path: Path, timeout: float = LOCK_TIMEOUT_S) -> None:
        self.path = path
        self.timeout = timeout

    @contextmanager
    def _connect(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        if not write and not self.path.exists():
            raise HistoryError(f"no history at {self.path} yet: grade an attempt first")
        if self.path.is_dir():
            raise HistoryError(f"history {self.path} is a directory, not a file")
        try:
            if write:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            uri = self.path.absolute().as_uri() + ("?mode=rwc" if write else "?mode=ro")
            conn = sqlite3.connect(uri, uri=True, timeout=self.timeout, isolation_level=None)
        except OSError as exc:
            raise HistoryError(f"cannot create history {self.path}: {exc.strerror}") from None
        except sqlite3.Error as exc:
            raise _explain(self.path, exc) from None
        try:
            yield conn
        except sqlite3.Error as exc:
            raise _explain(self.path, exc) from None
        finally:
            conn.close()

    def _check(self, conn: sqlite3.Connection, *, write: bool) -> None:
        """Make sure this is our file (creating the schema in a new, empty one)."""
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id == 0 and tables == 0:
            if not write:
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                # re-read under the write lock: another process may have created it meanwhile
                if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
                    for statement in filter(None, (s.strip() for s in _SCHEMA.split(";"))):
                        conn.execute(statement)
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return
        if app_id != APPLICATION_ID:
            raise HistoryError(
                f"{self.path} is an SQLite file but not a sysdesign history; it was left "
                f"untouched: point {ENV} or --history elsewhere"
            )
        if version > SCHEMA_VERSION:
            raise HistoryError(
                f"history {self.path} was written by a newer sysdesign (schema {version}); "
                "upgrade sysdesign to read it"
            )
        problem = conn.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise HistoryError(
                f"history {self.path} is damaged ({problem}); it was left untouched: move it "
                f"aside to start a new history, or point {ENV} or --history elsewhere"
            )

    def check(self) -> None:
        """Fail early (before asking questions) when the history cannot take an attempt."""
        with self._connect(write=True) as conn:
            self._check(conn, write=True)

    def record(self, attempt: Attempt) -> int:
        """Append one attempt in a single transaction; returns its id."""
        with self._connect(write=True) as conn:
            self._check(conn, write=True)
            conn.execute("BEGIN IMMEDIATE")
            try:
                cursor = conn.execute(
                    "INSERT INTO attempts (recorded_at, design, drill, rubric, stage, stages,"
                    " minutes, overall, level, sections, answers)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        attempt.recorded_at,
                        attempt.design,
                        attempt.drill,
                        attempt.rubric,
                        attempt.stage,
                        attempt.stages,
                        attempt.minutes,
                        attempt.overall,
                        attempt.level,
                        json.dumps(attempt.sections, sort_keys=True),
                        json.dumps(attempt.answers, sort_keys=True),
                    ),
                )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return int(cursor.lastrowid or 0)

    def attempts(self, drill: str | None = None) -> list[Attempt]:
        """Attempts in the order they were recorded, optionally for one drill."""
        with self._connect(write=False) as conn:
            self._check(conn, write=False)
            if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
                return []
            query = (
                "SELECT id, recorded_at, design, drill, rubric, stage, stages, minutes, overall,"
                " level, sections, answers FROM attempts"
            )
            params: tuple[Any, ...] = ()
            if drill is not None:
                query += " WHERE drill = ?"
                params = (drill,)
            rows = conn.execute(query + " ORDER BY recorded_at, id", params).fetchall()
        out = []
        for row in rows:
            try:
                sections = json.loads(row[10])
                answers = json.loads(row[11])
            except (TypeError, ValueError):
                raise HistoryError(
                    f"history {self.path}: attempt {row[0]} has unreadable scores"
                ) from None
            out.append(
                Attempt(
                    id=row[0],
                    recorded_at=row[1],
                    design=row[2],
                    drill=row[3],
                    rubric=row[4],
                    stage=row[5],
                    stages=row[6],
                    minutes=row[7],
                    overall=row[8],
                    level=row[9],
                    sections=sections,
                    answers=answers,
                )
            )
        return out

    def drills(self) -> list[str]:
        return sorted({a.drill for a in self.attempts()})


def open_history(option: Path | str | None = None, timeout: float = LOCK_TIMEOUT_S) -> History:
    return History(history_path(option), timeout)
