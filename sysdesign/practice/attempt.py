"""A practice attempt outside its session: the user's file plus what the interviewer said.

A blind attempt holds only what the user wrote. The session fills in the interviewer's answers
(the stated numbers and targets, the clients, each stage revealed) from its state file beside the
attempt, where the user wrote nothing. After the session the end report sends the user to
`sysdesign grade FILE --answers ...`; that command, and check, compare, render, probe and the rest,
read the attempt the same way, so they judge the design the session judged. The user's text
always wins; a file without a session state beside it is read as it is.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sysdesign.model import Design
    from sysdesign.practice.state import SessionState
    from sysdesign.yamlsource import LocatedData

STATE_SUFFIX = ".practice.json"  # the session's state file: NAME.practice.json beside NAME.yaml


def state_path(design_file: Path) -> Path:
    """Where the practice session of the attempt in `design_file` keeps its state."""
    return design_file.with_name(design_file.stem + STATE_SUFFIX)


@dataclasses.dataclass(frozen=True)
class Session:
    """What a practice session said about an attempt, or why it could not be read."""

    state: SessionState | None
    state_file: Path
    problem: str | None = None

    def note(self, display: str) -> str:
        """One line saying what the file was read with (for stderr)."""
        if self.state is None:
            return f"note: {display}: {self.problem}; read the file alone"
        parts = [p for p in ("scale", "slo", "clients") if p in self.state.revealed]
        if self.state.stages_revealed:
            parts.append(f"stages 1-{self.state.stages_revealed}")
        said = ", ".join(parts) or "nothing yet"
        return (
            f"note: {display}: read with what the interviewer said in its practice session "
            f"({said}; from {self.state_file.name}); your own text wins"
        )


def session_for(path: Path) -> Session | None:
    """The practice session beside the attempt at `path`, or None when there is none."""
    state_file = state_path(path)
    if not state_file.is_file():
        return None
    from sysdesign.practice.state import StateError, load_state

    try:
        state = load_state(state_file)
    except StateError as exc:
        return Session(None, state_file, f"cannot use its practice session ({exc})")
    if state.design_file != path.name:
        return None  # another file's session (a renamed attempt): not this one's
    return Session(state, state_file)


def with_session(located: LocatedData, revealed: dict[str, Any], stages: int) -> LocatedData:
    """The located attempt with the interviewer's answers filled in where the user wrote nothing
    (the first `stages` revealed stages merged with the user's own by id)."""
    from sysdesign.practice.reveal import overlay

    revealed_stages = list(revealed.get("stages", []))[:stages]
    return dataclasses.replace(located, data=overlay(located.data, revealed, revealed_stages))


def load_attempt(path: Path, display: str, session: Session | None) -> tuple[LocatedData, Design]:
    """Read, parse and validate a design file, with its practice session's answers when
    `session` (from `session_for`) has them (raises InputError with located problems)."""
    from sysdesign.loader import load_file, located_design

    located = load_file(path, display, mapping_only=True)
    if session is not None and session.state is not None:
        state = session.state
        located = with_session(located, state.revealed, state.stages_revealed)
    return located_design(located)
