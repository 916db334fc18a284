"""Start, resume and run a session: the loop that ties clock, keys, watcher and screen."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.live import Live

from sysdesign.model import Design
from sysdesign.paths import answers_dir, attempts_dir, display_path
from sysdesign.practice.attempt import state_path
from sysdesign.practice.clock import Clock
from sysdesign.practice.engine import Session
from sysdesign.practice.phases import Phase
from sysdesign.practice.report import EndReport, finish, record
from sysdesign.practice.reveal import hidden_parts
from sysdesign.practice.screen import render
from sysdesign.practice.state import SessionState, StateError, load_state, save_state
from sysdesign.practice.status import recheck
from sysdesign.practice.terminal import Hangup, Keys
from sysdesign.practice.watcher import FileWatcher, Rechecker
from sysdesign.signals import (
    Interrupted,
    holding_signals,
    run_interactive,
    start_threads_without_signals,
)

POLL_S = 0.1  # how often keys are polled and the screen redrawn (wall seconds)


class SessionError(ValueError):
    """A session cannot start or resume; the message is one line for the user."""


@dataclass
class Prepared:
    state: SessionState
    design_file: Path
    reference: Design


def start(reference: Design, name: str, phases: tuple[Phase, ...], reveal_every: float) -> Prepared:
    """A new blind attempt in the workspace, with its state file."""
    from sysdesign.scaffold import ScaffoldError, check_name, write_scaffold

    try:
        check_name(name)
    except ScaffoldError as exc:
        raise SessionError(str(exc)) from None
    design_file = attempts_dir() / f"{name}.yaml"
    if design_file.exists() or state_path(design_file).exists():
        raise SessionError(
            f"{display_path(design_file)} already exists: continue it with "
            f"`sysdesign practice --resume {name}`, or pick another --name"
        )
    state = SessionState(
        name=name,
        drill=reference.id,
        design_file=design_file.name,
        phase_minutes={p.id: p.minutes for p in phases},
        reveal_every=reveal_every,
    )
    try:
        write_scaffold(name, reference, attempts_dir(), answers_dir(), None, blind=True)
        save_state(state_path(design_file), state)
    except ScaffoldError as exc:
        raise SessionError(str(exc)) from None
    except OSError as exc:
        raise SessionError(f"cannot write {display_path(design_file)}: {exc.strerror}") from None
    return Prepared(state, design_file, reference)


def resume(name: str, load_reference: Any) -> Prepared:
    """An interrupted session, as it was left."""
    design_file = attempts_dir() / f"{name}.yaml"
    try:
        state = load_state(state_path(design_file))
    except StateError as exc:
        raise SessionError(str(exc)) from None
    if state.status == "finished":
        raise SessionError(f"the session {name} is finished; start a new one with --name")
    if not design_file.exists():
        raise SessionError(f"{display_path(design_file)} is missing: nothing to resume")
    state.status = "running"
    return Prepared(state, design_file, load_reference(state.drill))


def plan_of(state: SessionState) -> tuple[Phase, ...]:
    from sysdesign.practice.phases import PHASES

    return tuple(Phase(p.id, p.title, state.phase_minutes.get(p.id, p.minutes)) for p in PHASES)


def run(
    prepared: Prepared,
    clock: Clock,
    console: Console,
    history: Path | None = None,
    answers: Path | None = None,
) -> EndReport:
    """Run the session until its time is up, it is quit, or it is interrupted."""
    from sysdesign.probe import probe

    state, design_file, reference = prepared.state, prepared.design_file, prepared.reference
    display = display_path(design_file)
    state_file = state_path(design_file)

    def check() -> tuple[Any, list[Any]]:
        status = recheck(design_file, display, state.revealed, state.stages_revealed)
        questions = probe(status.design, status.stage, reference) if status.design else []
        return status, questions

    rechecker = Rechecker(check)

    def latest() -> tuple[Any, list[Any]]:
        return rechecker.latest or (None, [])

    def changed() -> None:
        save_state(state_file, state)
        rechecker.request()

    session = Session(
        state,
        plan_of(state),
        clock,
        hidden_parts(reference),
        design_file,
        questions=lambda: latest()[1],
        on_change=changed,
    )
    watcher = FileWatcher(design_file, rechecker.request)
    why: str | None = None

    def run_loop() -> None:
        with Keys() as keys:
            session.start()
            save_state(state_file, state)
            # signals reach the main thread only, so the first one sent is the first one seen
            start_threads_without_signals(lambda: (rechecker.start(), watcher.start()))
            with Live(console=console, auto_refresh=False, redirect_stderr=False) as live:
                while not session.ended:
                    for ch in keys.read(POLL_S):
                        session.key(ch)
                    session.tick()
                    status, questions = latest()
                    fresh = status is not None and status.stage == state.stages_revealed
                    if session.want_question and fresh and status.valid:
                        if questions:
                            session.hint()
                        session.want_question = False
                    live.update(render(session, status, reference.prompt, display), refresh=True)

    code = 0  # the exit status the one signal policy gives a stop

    def note(stop: Interrupted) -> None:
        nonlocal why, code
        why, code = stop.reason, stop.exit_code

    # Signals are held from before the loop's own handlers go until the record is written, so a
    # second signal arriving while the checker thread is joined never cuts the save short.
    with holding_signals():
        try:  # the one signal policy (sysdesign.signals): Ctrl-C, SIGTERM, SIGHUP alike
            run_interactive(run_loop, note)
        except Interrupted:
            pass  # `note` kept why; the attempt is saved and recorded below
        except Hangup as exc:  # end of file on the terminal
            why, code = exc.why, 1
        except OSError as exc:  # the terminal went away while drawing
            why, code = f"terminal error: {exc.strerror or exc}", 1
        finally:
            watcher.stop()
            rechecker.stop()
        if why is not None and not session.ended:
            session.stop()
        save_state(state_file, state)
        end, graded = finish(state, design_file, display, reference, answers)
        end.interrupted, end.exit_code = why, code
        record(end, graded, state, history)
        if end.status == "finished" and answers is None:
            end.answers_template = _answers_template(state, graded)
    return end


def _answers_template(state: SessionState, graded: Any) -> str | None:
    """Write `answers/<name>.yaml` for grading the self items later (never overwriting)."""
    if graded is None:
        return None
    from sysdesign.atomic import write_text_atomic
    from sysdesign.rubric import answers_template

    target = answers_dir() / f"{state.name}.yaml"
    if target.exists():
        return display_path(target)
    try:
        write_text_atomic(target, answers_template(graded[0]))
    except OSError:
        return None
    return display_path(target)
