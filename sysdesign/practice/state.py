"""A session's state, kept beside the attempt as `<name>.practice.json` so that an interrupted
session can resume and the end of the session can compare with what was revealed."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sysdesign.atomic import write_text_atomic

STATE_VERSION = 1
STATE_SUFFIX = ".practice.json"


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


def state_path(design_file: Path) -> Path:
    return design_file.with_name(design_file.stem + STATE_SUFFIX)


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
    try:
        return SessionState(**data)
    except TypeError as exc:
        raise StateError(f"{path}: {exc}") from None
