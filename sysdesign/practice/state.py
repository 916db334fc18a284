"""A session's state, kept beside the attempt as `<name>.practice.json` so that an interrupted
session can resume and the end of the session can compare with what was revealed."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from sysdesign.atomic import write_text_atomic

STATE_VERSION = 1


class StateError(ValueError):
    """The state file cannot be read; the message is one line for the user."""


@dataclass
class SessionState:
    """Where a session is: phase, time spent, what was revealed and asked."""

    name: str
    drill: str
    design_file: str
    phase_minutes: dict[str, float]  # the plan: minutes per phase
    reveal_every: float  # minutes between stage reveals (0: on key press only)
    phase: int = 0  # index into the plan
    spent: dict[str, float] = field(default_factory=dict)  # session seconds per phase
    revealed: dict[str, Any] = field(default_factory=dict)  # part name -> data
    stages_revealed: int = 0
    last_reveal_at: float = 0.0  # session seconds into the deep dive at the last reveal
    asked: list[dict[str, Any]] = field(default_factory=list)  # questions shown
    snapshots: dict[str, str] = field(default_factory=dict)  # phase -> the file when it ended
    status: str = "running"  # running | partial | finished
    version: int = STATE_VERSION

    def as_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def save_state(path: Path, state: SessionState) -> None:
    write_text_atomic(path, state.as_json())


def load_state(path: Path) -> SessionState:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StateError(f"no practice session at {path}") from None
    except (OSError, ValueError) as exc:
        raise StateError(f"cannot read the session state {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        raise StateError(f"{path} is not a session state this sysdesign can read")
    known = {f.name for f in fields(SessionState)}
    unknown = sorted(repr(k) for k in data if k not in known)  # repr: one line whatever the key
    if unknown:
        raise StateError(f"{path}: unknown field(s) {', '.join(unknown)}")
    try:
        state = SessionState(**data)
    except TypeError as exc:  # a required field is missing
        raise StateError(f"{path}: {exc}") from None
    problem = _problem(state)
    if problem:
        raise StateError(f"{path}: {problem}; the file was edited or damaged")
    return state


# -- what a state file must hold (it is ours, but a user or a crash may have changed it) -----

STATUSES = ("running", "partial", "finished")
REVEALED_LISTS = ("stages", "clients")  # parts revealed as lists of mappings; the rest mappings


def _number(value: Any, low: float = 0.0) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= low
    )


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _mapping_of(value: Any, ok: Callable[[Any], bool]) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and ok(v) for k, v in value.items())


def _asked(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("text"), str)
        and _count(entry.get("stage", 0))
        and isinstance(entry.get("discussion_points", []), list)
        and all(_count(n) for n in entry.get("discussion_points", []))
    )


def _revealed(part: str, value: Any) -> bool:
    if part in REVEALED_LISTS:
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return isinstance(value, dict)


def _problem(state: SessionState) -> str | None:
    """What is wrong with a loaded state's fields, naming the field; None when all is well."""
    checks: list[tuple[str, bool]] = [
        ("name", isinstance(state.name, str) and bool(state.name)),
        ("drill", isinstance(state.drill, str) and bool(state.drill)),
        ("design_file", isinstance(state.design_file, str)),
        ("phase_minutes", _mapping_of(state.phase_minutes, lambda v: _number(v, 1e-9))),
        ("reveal_every", _number(state.reveal_every)),
        ("phase", _count(state.phase)),
        ("spent", _mapping_of(state.spent, _number)),
        (
            "revealed",
            isinstance(state.revealed, dict)
            and all(_revealed(k, v) for k, v in state.revealed.items()),
        ),
        ("stages_revealed", _count(state.stages_revealed)),
        ("last_reveal_at", _number(state.last_reveal_at)),
        ("asked", isinstance(state.asked, list) and all(_asked(a) for a in state.asked)),
        ("snapshots", _mapping_of(state.snapshots, lambda v: isinstance(v, str))),
        ("status", state.status in STATUSES),
    ]
    bad = [name for name, ok in checks if not ok]
    return f"unreadable field(s): {', '.join(bad)}" if bad else None
