"""A signal in the window between an interactive loop's own handlers and the save is held back
until what the person typed is written: practice (the checker thread being joined) and grade (the
last answer typed); tested in-process, deterministically, with the signal sent in that window."""

from __future__ import annotations

import io
import os
import signal
from pathlib import Path

import pytest
from conftest import ROOT
from rich.console import Console
from typer.testing import CliRunner

import sysdesign.signals
from sysdesign.cli import app
from sysdesign.loader import load_design
from sysdesign.practice import run as practice_run
from sysdesign.practice.attempt import state_path
from sysdesign.practice.clock import ManualClock
from sysdesign.practice.phases import PHASES
from sysdesign.practice.state import load_state
from sysdesign.practice.watcher import Rechecker
from sysdesign.rubric.history import open_history

REF = load_design(ROOT / "designs" / "qortex.yaml")


class _KeysThatGetATerm:
    """The terminal's keys, replaced: the first read brings a SIGTERM (a `kill`)."""

    def __enter__(self) -> _KeysThatGetATerm:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def read(self, timeout: float) -> list[str]:
        os.kill(os.getpid(), signal.SIGTERM)
        return []


def test_a_signal_while_the_checker_stops_is_held_until_the_record_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYSDESIGN_WORKSPACE", str(tmp_path / "ws"))
    prepared = practice_run.start(REF, "sig", PHASES, 0)
    monkeypatch.setattr(practice_run, "Keys", _KeysThatGetATerm)
    real_stop = Rechecker.stop

    def stop_with_a_second_signal(self: Rechecker) -> None:
        os.kill(os.getpid(), signal.SIGHUP)  # the terminal closes while the checker is joined
        real_stop(self)

    monkeypatch.setattr(Rechecker, "stop", stop_with_a_second_signal)
    escaped: list[int] = []  # what reached the handler outside the session: nothing may
    previous = signal.signal(signal.SIGHUP, lambda signum, _frame: escaped.append(signum))
    try:
        console = Console(file=io.StringIO(), force_terminal=False, width=100)
        end = practice_run.run(prepared, ManualClock(), console, history=tmp_path / "h.sqlite3")
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert escaped == []
    assert end.interrupted == "stopped (SIGTERM)"
    assert end.exit_code == 128 + signal.SIGTERM  # the first signal's, as the policy says
    assert load_state(state_path(prepared.design_file)).status == "partial"
    assert len(open_history(tmp_path / "h.sqlite3").practice_sessions()) == 1


def test_grade_holds_a_signal_between_the_last_answer_and_the_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"SYSDESIGN_WORKSPACE": str(tmp_path / "ws"), "SYSDESIGN_HISTORY": str(tmp_path / "h")}
    runner = CliRunner()
    assert runner.invoke(app, ["new", "mine", "--from", "qortex"], env=env).exit_code == 0
    attempt = tmp_path / "ws" / "mine.yaml"
    reference = (ROOT / "designs" / "qortex.yaml").read_text(encoding="utf-8")
    attempt.write_text(reference.replace("id: qortex\n", "id: mine\n", 1), encoding="utf-8")
    real = sysdesign.signals.run_interactive

    def then_a_hangup(body, keep):  # type: ignore[no-untyped-def]
        result = real(body, keep)
        os.kill(os.getpid(), signal.SIGHUP)  # the terminal closes as the last answer is typed
        return result

    monkeypatch.setattr(sysdesign.signals, "run_interactive", then_a_hangup)
    escaped: list[int] = []
    previous = signal.signal(signal.SIGHUP, lambda signum, _frame: escaped.append(signum))
    try:
        result = runner.invoke(
            app, ["grade", "mine", "--ask", "--no-record"], env=env, input="y\n" * 60
        )
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert result.exit_code == 0, result.output
    assert "items to judge yourself" in result.output
    assert escaped == []
    saved = (tmp_path / "ws" / "answers" / "mine.yaml").read_text(encoding="utf-8")
    assert "answer: yes" in saved


def test_threads_started_for_a_session_never_take_its_signals() -> None:
    """Run under load in CI, SIGHUP then SIGTERM ended a practice session with 143, not 129: the
    kernel had handed the SIGHUP to a worker thread that ran its handler late. Threads started
    through `start_threads_without_signals` block the session's signals (and so do the threads
    they start), so only the main thread takes them, lowest number first."""
    import threading

    seen: dict[str, set[int]] = {}

    def worker() -> None:
        inner = threading.Thread(target=lambda: seen.update(inner=set(blocked())))
        inner.start()
        inner.join()
        seen["worker"] = set(blocked())

    def blocked() -> set[int]:
        return set(signal.pthread_sigmask(signal.SIG_BLOCK, []))

    before = blocked()
    thread = threading.Thread(target=worker)
    sysdesign.signals.start_threads_without_signals(thread.start)
    thread.join()
    handled = set(sysdesign.signals.HANDLED)
    assert handled <= seen["worker"] and handled <= seen["inner"]
    assert blocked() == before  # the main thread takes them as before
    assert not handled & before
