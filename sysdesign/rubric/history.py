"""The local history of graded attempts: one SQLite file per user (stdlib sqlite3).

Where: `--history PATH`, else `$SYSDESIGN_HISTORY`, else `history.sqlite3` in the per-user data
directory (platformdirs). Safety: the file is never recreated, truncated or repaired; a file that
is not a sysdesign history, is corrupt, is locked or was written by a newer version raises
HistoryError with one clear line, and each attempt is written in one transaction, so earlier
attempts survive any failure.

Schema (`PRAGMA user_version`): 1 had `attempts`; 2 adds `attempts.per_stage` and
`attempts.missed` and the `practice` table. An older file is migrated in one transaction the
first time it is written to (reading never changes it); a newer file is refused.

API for other parts of the kit:
    store = open_history(option)                 # option: --history PATH or None
    attempt_id = store.record(Attempt(...))      # one graded attempt
    store.record_practice(PracticeSession(...))  # minutes per phase, stages reached, scores
    store.attempts(drill=None); store.practice_sessions(drill=None)
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sysdesign.rubric.records import Attempt, PracticeSession, StageRow

__all__ = [
    "ENV",
    "Attempt",
    "History",
    "HistoryError",
    "PracticeSession",
    "StageRow",
    "history_path",
    "open_history",
]

ENV = "SYSDESIGN_HISTORY"
APPLICATION_ID = 0x53594447  # "SYDG": marks the file as a sysdesign history
SCHEMA_VERSION = 2
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

# Each step takes a history from version N-1 to N, in one transaction with the version bump.
_MIGRATIONS: dict[int, str] = {
    2: """
ALTER TABLE attempts ADD COLUMN per_stage TEXT NOT NULL DEFAULT '[]';
ALTER TABLE attempts ADD COLUMN missed TEXT NOT NULL DEFAULT '[]';
CREATE TABLE practice (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at TEXT NOT NULL,
    design TEXT NOT NULL,
    drill TEXT NOT NULL,
    phase_minutes TEXT NOT NULL,
    stages_reached INTEGER NOT NULL,
    stage_scores TEXT NOT NULL,
    attempt_id INTEGER REFERENCES attempts (id)
);
CREATE INDEX practice_by_drill ON practice (drill, recorded_at);
""",
}


def _statements(script: str) -> list[str]:
    return [s for s in (part.strip() for part in script.split(";")) if s]


class HistoryError(Exception):
    """The history cannot be read or written; the message is one line for the user."""


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

    def _check(self, conn: sqlite3.Connection, *, write: bool) -> int:
        """Make sure this is our file (creating or migrating the schema when writing).

        Returns the schema version the file has after the check.
        """
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id == 0 and tables == 0:
            if not write:
                return 0
            with self._transaction(conn):
                # re-read under the write lock: another process may have created it meanwhile
                if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
                    for statement in _statements(_SCHEMA):
                        conn.execute(statement)
                    for step in sorted(_MIGRATIONS):
                        for statement in _statements(_MIGRATIONS[step]):
                            conn.execute(statement)
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            return SCHEMA_VERSION
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
        if write and version < SCHEMA_VERSION:
            version = self._migrate(conn)
        return version

    @staticmethod
    @contextmanager
    def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _migrate(self, conn: sqlite3.Connection) -> int:
        """Bring an older history up to SCHEMA_VERSION; every earlier attempt is kept."""
        with self._transaction(conn):
            # re-read under the write lock: another process may have migrated it meanwhile
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _statements(_MIGRATIONS[step]):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return SCHEMA_VERSION

    def check(self) -> None:
        """Fail early (before asking questions) when the history cannot take an attempt."""
        with self._connect(write=True) as conn:
            self._check(conn, write=True)

    def record(self, attempt: Attempt) -> int:
        """Append one attempt in a single transaction; returns its id."""
        with self._connect(write=True) as conn:
            self._check(conn, write=True)
            with self._transaction(conn):
                cursor = conn.execute(
                    "INSERT INTO attempts (recorded_at, design, drill, rubric, stage, stages,"
                    " minutes, overall, level, sections, answers, per_stage, missed)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                        json.dumps([row.as_dict() for row in attempt.per_stage]),
                        json.dumps(list(attempt.missed)),
                    ),
                )
            return int(cursor.lastrowid or 0)

    def record_practice(self, session: PracticeSession) -> int:
        """Append one timed practice session in a single transaction; returns its id.

        `session.attempt_id`, when given, must be the id `record` returned for its grade.
        """
        with self._connect(write=True) as conn:
            self._check(conn, write=True)
            with self._transaction(conn):
                if session.attempt_id is not None:
                    row = conn.execute(
                        "SELECT 1 FROM attempts WHERE id = ?", (session.attempt_id,)
                    ).fetchone()
                    if row is None:
                        raise HistoryError(
                            f"history {self.path}: no attempt {session.attempt_id} to link "
                            "the practice session to"
                        )
                cursor = conn.execute(
                    "INSERT INTO practice (recorded_at, design, drill, phase_minutes,"
                    " stages_reached, stage_scores, attempt_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        session.recorded_at,
                        session.design,
                        session.drill,
                        json.dumps(session.phase_minutes),  # keeps the order the phases ran
                        session.stages_reached,
                        json.dumps({str(k): v for k, v in sorted(session.stage_scores.items())}),
                        session.attempt_id,
                    ),
                )
            return int(cursor.lastrowid or 0)

    def attempts(self, drill: str | None = None) -> list[Attempt]:
        """Attempts in the order they were recorded, optionally for one drill."""
        with self._connect(write=False) as conn:
            version = self._check(conn, write=False)
            if version == 0:
                return []
            extra = ", per_stage, missed" if version >= 2 else ", '[]', '[]'"
            query = (
                "SELECT id, recorded_at, design, drill, rubric, stage, stages, minutes, overall,"
                f" level, sections, answers{extra} FROM attempts"
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
                per_stage = tuple(StageRow.from_dict(r) for r in json.loads(row[12]))
                missed = tuple(str(m) for m in json.loads(row[13]))
            except (TypeError, ValueError, KeyError):
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
                    per_stage=per_stage,
                    missed=missed,
                )
            )
        return out

    def practice_sessions(self, drill: str | None = None) -> list[PracticeSession]:
        """Practice sessions in the order they were recorded, optionally for one drill."""
        with self._connect(write=False) as conn:
            version = self._check(conn, write=False)
            if version < 2:
                return []
            query = (
                "SELECT id, recorded_at, design, drill, phase_minutes, stages_reached,"
                " stage_scores, attempt_id FROM practice"
            )
            params: tuple[Any, ...] = ()
            if drill is not None:
                query += " WHERE drill = ?"
                params = (drill,)
            rows = conn.execute(query + " ORDER BY recorded_at, id", params).fetchall()
        out = []
        for row in rows:
            try:
                phases = {str(k): float(v) for k, v in json.loads(row[4]).items()}
                scores = {int(k): float(v) for k, v in json.loads(row[6]).items()}
            except (TypeError, ValueError, AttributeError):
                raise HistoryError(
                    f"history {self.path}: practice session {row[0]} is unreadable"
                ) from None
            out.append(
                PracticeSession(
                    id=row[0],
                    recorded_at=row[1],
                    design=row[2],
                    drill=row[3],
                    phase_minutes=phases,
                    stages_reached=row[5],
                    stage_scores=scores,
                    attempt_id=row[7],
                )
            )
        return out

    def drills(self) -> list[str]:
        return sorted({a.drill for a in self.attempts()})


def open_history(option: Path | str | None = None, timeout: float = LOCK_TIMEOUT_S) -> History:
    return History(history_path(option), timeout)
