"""The session's logic, free of terminal and threads: phases on a clock, reveals, keys.

`Session.tick()` moves time on (a phase whose minutes are up ends; in the deep dive a stage is
revealed when `reveal_every` minutes have passed since the last); `Session.key(ch)` handles
n (next phase), r (reveal the next stage), h (hint), p (pause), q (quit). Each change is told
to the interviewer panel through `said` and to the state file through `on_change`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sysdesign.practice.clock import Clock
from sysdesign.practice.phases import DEEP_DIVE, Phase
from sysdesign.practice.reveal import PHASE_REVEALS
from sysdesign.practice.state import SessionState

PHASE_HINTS = {
    "requirements": "Ask about users, features in and out of scope, scale, latency, "
    "availability, safety and audit. Write them under requirements:.",
    "estimates": "Derive QPS, storage, memory and machine counts from the numbers you were "
    "given; write each under scale.estimates with its derivation.",
    "high-level": "Draw the request path first (client, gateway, services, stores, models), "
    "then ingestion, then safety, audit and observability.",
    "deep-dive": "Change your design under stages: with the stage's id; press r for the next "
    "constraint.",
    "trade-offs": "Accept the findings you would defend under accepted:, each with its reason.",
}


@dataclass(frozen=True)
class Said:
    """One thing the interviewer said."""

    kind: str  # phase | reveal | stage | question | hint | info
    text: str


class Session:
    """A practice round in progress."""

    def __init__(
        self,
        state: SessionState,
        phases: tuple[Phase, ...],
        clock: Clock,
        hidden: dict[str, Any],
        design_file: Path,
        questions: Callable[[], list[Any]] | None = None,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.state = state
        self.phases = phases
        self.clock = clock
        self.hidden = hidden
        self.design_file = design_file
        self._questions = questions or (lambda: [])
        self._on_change = on_change or (lambda: None)
        self.said: list[Said] = []
        self.quit = False
        self.want_question = False  # ask about the design once its check at the new stage lands
        self._phase_start = clock.now() - state.spent.get(self.phase.id, 0.0) if self.phase else 0
        self._hint_turn = 0

    # --- where we are ---------------------------------------------------------------------

    @property
    def phase(self) -> Phase | None:
        return self.phases[self.state.phase] if self.state.phase < len(self.phases) else None

    @property
    def ended(self) -> bool:
        return self.quit or self.phase is None

    @property
    def finished(self) -> bool:
        """Ran through every phase (not quit)."""
        return self.phase is None

    def phase_elapsed(self) -> float:
        return self.clock.now() - self._phase_start

    def phase_left(self) -> float:
        return max(self.phase.minutes * 60 - self.phase_elapsed(), 0.0) if self.phase else 0.0

    def total_spent(self) -> float:
        done = sum(v for k, v in self.state.spent.items() if not self.phase or k != self.phase.id)
        return done + (self.phase_elapsed() if self.phase else 0.0)

    @property
    def stage_count(self) -> int:
        return len(self.hidden.get("stages", []))

    # --- changes ---------------------------------------------------------------------------

    def say(self, kind: str, text: str) -> None:
        self.said.append(Said(kind, " ".join(text.split())))

    def _record_time(self) -> None:
        if self.phase is not None:  # a phase never takes more than its minutes
            spent = min(self.phase_elapsed(), self.phase.minutes * 60)
            self.state.spent[self.phase.id] = round(spent, 3)

    def _snapshot(self) -> None:
        if self.phase is None:
            return
        with contextlib.suppress(OSError, UnicodeDecodeError):
            self.state.snapshots[self.phase.id] = self.design_file.read_text(encoding="utf-8")

    def start(self) -> None:
        """Announce the phase the session starts (or resumes) in."""
        if self.phase is not None:
            self._enter(self.phase, resumed=bool(self.state.spent.get(self.phase.id)))

    def _enter(self, phase: Phase, resumed: bool = False) -> None:
        n = self.state.phase + 1
        verb = "resumed" if resumed else "started"
        self.say("phase", f"Phase {n}/{len(self.phases)}: {phase.title} {verb}.")
        if resumed:
            return
        for part in PHASE_REVEALS.get(phase.id, ()):
            if part in self.hidden and part not in self.state.revealed:
                self.state.revealed[part] = self.hidden[part]
                self.say("reveal", self._reveal_text(part))
        if phase.id == DEEP_DIVE:
            self.state.revealed.setdefault("stages", self.hidden.get("stages", []))
            self.state.last_reveal_at = 0.0
            self.reveal_stage()

    def _reveal_text(self, part: str) -> str:
        data = self.hidden[part]
        if part == "requirements":
            items = data.get("functional", []) + data.get("non_functional", [])
            return "Interviewer: the requirements are: " + " | ".join(items)
        if part == "scale":
            numbers = ", ".join(f"{k} {v:,.0f}" for k, v in data.items())
            return f"Interviewer: the numbers: {numbers}."
        if part == "slo":
            return "Interviewer: the targets: " + ", ".join(f"{k} {v:g}" for k, v in data.items())
        if part == "clients":
            names = ", ".join(c.get("label", c["id"]) for c in data)
            return f"Interviewer: the clients are {names}."
        return f"Interviewer: {part} revealed."

    def next_phase(self) -> None:
        """End the current phase (its file is kept as it is now) and start the next."""
        if self.phase is None:
            return
        self._record_time()
        self._snapshot()
        self.state.phase += 1
        self._phase_start = self.clock.now()
        if self.phase is not None:
            self._enter(self.phase)
        else:
            self.state.status = "finished"
            self.say("phase", "Time is up: the session is over.")
        self._on_change()

    def reveal_stage(self) -> bool:
        """The interviewer adds the next stage's constraint (deep dive only)."""
        if self.phase is None or self.phase.id != DEEP_DIVE:
            self.say("info", "Stages are revealed in the deep dive.")
            return False
        if self.state.stages_revealed >= self.stage_count:
            self.say("info", "No more stages: every constraint has been asked.")
            return False
        self.state.stages_revealed += 1
        self.state.last_reveal_at = self.phase_elapsed()
        stage = self.hidden["stages"][self.state.stages_revealed - 1]
        self.say(
            "stage",
            f"Stage {self.state.stages_revealed} revealed ({stage['title']}): "
            f"Interviewer: {stage['constraint']}",
        )
        self.want_question = True
        self._on_change()
        return True

    def hint(self) -> None:
        """A follow-up question about the design as it stands, else the phase's hint.

        A question already asked about the same subject is not asked again (its numbers may have
        moved, the question has not). A theme not asked yet comes first (the bank's near-
        duplicates share one: "exec at 10x" and "first to break at 10x" are both growth-10x),
        then a kind of question not asked yet, then the rest."""
        asked = {(a.get("id"), a.get("subject")) for a in self.state.asked}
        asked_ids = {a.get("id") for a in self.state.asked}
        asked_themes = {a.get("theme") or a.get("id") for a in self.state.asked}
        fresh = [q for q in self._questions() if (q.id, q.subject) not in asked]
        if fresh:
            self.ask(min(fresh, key=lambda q: (_theme(q) in asked_themes, q.id in asked_ids)))
            return
        if self.phase is not None:
            self.say("hint", f"Hint: {PHASE_HINTS.get(self.phase.id, '')}")

    def ask(self, question: Any) -> None:
        self.state.asked.append(
            {
                "id": question.id,
                "subject": question.subject,
                "theme": _theme(question),
                "text": question.text,
                "stage": question.stage,
                "discussion_points": [n for n, _ in question.discussion],
            }
        )
        self.say("question", f"Interviewer asks: {question.text}")
        self._on_change()

    def toggle_pause(self) -> None:
        if self.clock.paused:
            self.clock.resume()
            self.say("info", "Resumed.")
        else:
            self.clock.pause()
            self.say("info", "Paused: press p to go on.")

    def key(self, ch: str) -> None:
        ch = ch.lower()
        if ch == "p":
            self.toggle_pause()
        elif self.clock.paused and ch != "q":
            return
        elif ch == "n":
            self.next_phase()
        elif ch == "r":
            self.reveal_stage()
        elif ch == "h":
            self.hint()
        elif ch == "q":
            self.stop()

    def stop(self) -> None:
        """Quit: the attempt is kept as a partial one, to resume later."""
        self._record_time()
        self._snapshot()
        self.state.status = "partial"
        self.quit = True
        self._on_change()

    def tick(self) -> None:
        """Let the clock act: end a phase whose time is up, reveal a stage when it is due."""
        if self.ended or self.clock.paused:
            return
        phase = self.phase
        assert phase is not None
        if self.phase_elapsed() >= phase.minutes * 60:
            self.next_phase()
            return
        every = self.state.reveal_every * 60
        if (
            phase.id == DEEP_DIVE
            and every > 0
            and self.state.stages_revealed < self.stage_count
            and self.phase_elapsed() - self.state.last_reveal_at >= every
        ):
            self.reveal_stage()
        self._record_time()


def _theme(question: Any) -> str:
    """The question's theme: the bank's `theme`, else its id."""
    return getattr(question, "theme", "") or question.id
