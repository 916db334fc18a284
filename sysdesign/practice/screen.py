"""What the session draws: phase and countdown, the prompt, the interviewer's last words, the
status of the last re-check, the keys. A pure function of the session and status (rich)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from sysdesign.practice.engine import Session
from sysdesign.practice.status import Status

KEYS = "keys: n next phase | r reveal next stage | h hint | p pause | q quit (resume later)"
SHOWN_SAID = 4


def clock_text(seconds: float) -> str:
    seconds = max(int(seconds), 0)
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _bar(done: float, width: int = 24) -> str:
    filled = min(max(round(done * width), 0), width)
    return "#" * filled + "." * (width - filled)


def render(session: Session, status: Status | None, prompt: str, display: str) -> RenderableType:
    """The whole screen."""
    state = session.state
    phase = session.phase
    lines: list[RenderableType] = []
    head = Text(f"sysdesign practice: {state.drill} (attempt {state.name}, file {display})")
    head.stylize("bold")
    lines.append(head)
    if phase is not None:
        total = phase.minutes * 60
        left = session.phase_left()
        paused = "  PAUSED" if session.clock.paused else ""
        plan = sum(p.minutes for p in session.phases) * 60
        lines.append(
            Text(
                f"Phase {state.phase + 1}/{len(session.phases)}: {phase.title}  "
                f"{clock_text(left)} left [{_bar(1 - left / total if total else 1)}]  "
                f"session {clock_text(session.total_spent())} of {clock_text(plan)}{paused}"
            )
        )
        if session.stage_count:
            lines.append(Text(f"Stages revealed: {state.stages_revealed} of {session.stage_count}"))
    lines.append(Panel(Text(" ".join(prompt.split())), title="Prompt", title_align="left"))
    said = [Text(s.text) for s in session.said[-SHOWN_SAID:]]
    lines.append(
        Panel(Group(*said) if said else Text("-"), title="Interviewer", title_align="left")
    )
    lines.append(Panel(_status(status), title="Status", title_align="left"))
    lines.append(Text(KEYS, style="dim"))
    return Group(*lines)


def _status(status: Status | None) -> RenderableType:
    if status is None:
        return Text("checking ...")
    rows = [Text(status.summary, style="green" if status.valid and not status.errors else "red")]
    rows += [Text(p) for p in status.problems]
    if status.problem_count > len(status.problems):
        rows.append(Text(f"... and {status.problem_count - len(status.problems)} more"))
    rows += [Text(f"  {t}") for t in status.top]
    if status.demanded:
        rows.append(Text(f"stage {status.stage} states: {', '.join(status.demanded)}"))
    return Group(*rows)
