"""The practice session end to end in a pseudo-terminal (pexpect), driven by keys and saves.

Nothing waits on wall time: interactive steps run with the clock paused or at speed 1 with long
phases, and the runs left alone only wait for the session's own end.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from pathlib import Path

import pexpect
import pytest
from conftest import ROOT, run_cli

from sysdesign.practice.state import load_state
from sysdesign.rubric.history import open_history

DRILLS = ["agent-observability", "distributed-search", "mcp-gateway", "qortex"]
TIMEOUT = 60


def _spawn(project: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "SYSDESIGN_ROOT": str(project), "COLUMNS": "160", "LINES": "60"}
    env.pop("SYSDESIGN_WORKSPACE", None)
    return pexpect.spawn(
        sys.executable,
        ["-m", "sysdesign", "practice", *args],
        cwd=str(project),
        env=env,
        dimensions=(60, 160),
        encoding="utf-8",
        codec_errors="replace",  # a signal can cut a multi-byte character in half
        timeout=TIMEOUT,
    )


def _attempt_from_reference(drill: str, name: str) -> str:
    """A complete attempt: the reference's own design under another id."""
    text = (ROOT / "designs" / f"{drill}.yaml").read_text()
    return re.sub(rf"(?m)^id: {re.escape(drill)}$", f"id: {name}", text, count=1)


def _save(path: Path, text: str) -> None:
    """Save as editors do: write a new file, then rename it over the old one."""
    tmp = path.with_name(path.name + ".swp")
    tmp.write_text(text)
    tmp.replace(path)


def test_a_session_driven_by_keys_and_saves(project: Path) -> None:
    history = project / "h.sqlite3"
    child = _spawn(project, "distributed-search", "--name", "t1", "--history", str(history))
    attempt = project / "attempts" / "t1.yaml"
    child.expect("Phase 1/5: Requirements")
    child.expect("not written yet")
    blind = attempt.read_text()
    assert "requirements:" not in blind.replace("#   requirements:", "")
    child.send("n")
    child.expect("Phase 2/5: Estimates")
    child.expect("the requirements are")
    child.send("n")
    child.expect("Phase 3/5: High-level design")
    full = _attempt_from_reference("distributed-search", "t1")
    _save(attempt, full)
    child.expect("valid; ")
    _save(attempt, full + "flows: [oops\n")  # a YAML error
    child.expect(r"attempts/t1\.yaml:\d+:\d+: error")
    child.send("n")  # the session keeps running
    child.expect("Phase 4/5: Deep dive")
    child.expect("Stage 1 revealed")
    _save(attempt, full)  # the fix clears it
    child.expect(r"valid; [^\r\n]*at stage 1")
    child.send("r")
    child.expect("Stage 2 revealed")
    child.expect(r"valid; [^\r\n]*at stage 2")
    child.send("h")
    child.expect("Interviewer asks: ")
    child.send("n")
    child.expect("Phase 5/5: Trade-offs")
    child.send("n")
    child.expect("Checks and scores at every stage reached")
    child.expect("Recorded practice session")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [session] = open_history(history).practice_sessions()
    assert session.stages_reached == 2
    assert list(session.phase_minutes) == [
        "requirements",
        "estimates",
        "high-level",
        "deep-dive",
        "trade-offs",
    ]
    assert set(session.stage_scores) == {0, 1, 2}
    assert session.attempt_id is not None
    assert load_state(project / "attempts" / "t1.practice.json").status == "finished"
    assert (project / "attempts" / "answers" / "t1.yaml").exists()  # self items for later


@pytest.mark.parametrize("drill", DRILLS)
def test_a_full_session_at_speed_600_records_an_attempt(project: Path, drill: str) -> None:
    history = project / "h.sqlite3"
    child = _spawn(project, drill, "--name", "full", "--speed", "600", "--history", str(history))
    child.expect("Phase 1/5")
    _save(project / "attempts" / "full.yaml", _attempt_from_reference(drill, "full"))
    child.expect("Recorded practice session")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [session] = open_history(history).practice_sessions()
    [attempt] = open_history(history).attempts()
    assert session.attempt_id == attempt.id and attempt.drill == drill
    assert len(session.phase_minutes) == 5 and session.stages_reached >= 1
    assert set(session.stage_scores) == set(range(session.stages_reached + 1))
    assert all(score > 0 for score in session.stage_scores.values())


def test_left_alone_it_ends_by_itself_and_keeps_the_blind_attempt(project: Path) -> None:
    history = project / "h.sqlite3"
    child = _spawn(
        project, "qortex", "--name", "alone", "--speed", "1000", "--history", str(history)
    )
    child.expect("Recorded practice session")
    child.expect("Judge the self items later")
    child.expect(pexpect.EOF)
    child.close()
    # nothing drawn but the clients the interviewer named: graded (low) and recorded
    [session] = open_history(history).practice_sessions()
    assert session.attempt_id is not None and session.stages_reached >= 1
    assert (project / "attempts" / "alone.yaml").exists()
    assert (project / "attempts" / "answers" / "alone.yaml").exists()


def test_ctrl_c_keeps_a_partial_attempt_and_resume_continues(project: Path) -> None:
    history = project / "h.sqlite3"
    child = _spawn(project, "mcp-gateway", "--name", "cut", "--history", str(history))
    child.expect("Phase 1/5")
    child.send("n")
    child.expect("Phase 2/5")
    child.sendintr()
    child.expect("--resume cut")
    child.expect(pexpect.EOF)
    child.close()
    state = load_state(project / "attempts" / "cut.practice.json")
    assert state.status == "partial" and state.phase == 1
    [partial] = open_history(history).practice_sessions()
    assert partial.attempt_id is None and "requirements" in partial.phase_minutes
    again = _spawn(project, "--resume", "cut", "--speed", "1000", "--history", str(history))
    again.expect("Phase 2/5: Estimates resumed")
    again.expect("Recorded practice session")
    again.expect(pexpect.EOF)
    again.close()
    assert load_state(project / "attempts" / "cut.practice.json").status == "finished"
    assert len(open_history(history).practice_sessions()) == 2


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_or_closed_terminal_records_a_partial_attempt(project: Path, sig: int) -> None:
    history = project / "h.sqlite3"
    child = _spawn(project, "qortex", "--name", "sig", "--history", str(history))
    child.expect("Phase 1/5")
    child.kill(sig)
    child.expect(pexpect.EOF)
    child.close()
    assert load_state(project / "attempts" / "sig.practice.json").status == "partial"
    assert len(open_history(history).practice_sessions()) == 1


def test_a_second_signal_never_cuts_the_save_short(project: Path) -> None:
    """SIGHUP then SIGTERM at once (a closed terminal's usual pair): the second is held back
    while the first one's save and record run (the one signal policy, sysdesign.signals)."""
    history = project / "h.sqlite3"
    child = _spawn(project, "qortex", "--name", "two", "--history", str(history))
    child.expect("Phase 1/5")
    child.kill(signal.SIGHUP)
    child.kill(signal.SIGTERM)
    child.expect(pexpect.EOF)
    child.close()
    # a signal's status, never success. Which of two signals sent back to back by another
    # process the session takes first is not the session's to choose: SIGHUP came first in
    # every run but two of the full-suite runs on a busy machine (143: SIGTERM's), though only
    # the main thread takes them (test_signal_windows). What must hold either way: one save,
    # complete, and one record.
    assert child.exitstatus in (128 + signal.SIGHUP, 128 + signal.SIGTERM)
    assert load_state(project / "attempts" / "two.practice.json").status == "partial"
    assert len(open_history(history).practice_sessions()) == 1


def test_refuses_bad_arguments(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused before any screen is drawn, so no terminal is needed (and none may start)."""
    import sysdesign.practice.run

    def no_session(*args: object, **kwargs: object) -> None:
        raise AssertionError("a session started although its arguments were refused")

    monkeypatch.setattr(sysdesign.practice.run, "run", no_session)
    monkeypatch.delenv("SYSDESIGN_WORKSPACE", raising=False)
    for args, message in (
        ((), "give a DRILL"),
        (("nope",), "no reference drill"),
        (("qortex", "--speed", "0"), "--speed"),
        (("qortex", "--phase", "lunch=3"), "--phase"),
        (("--resume", "ghost"), "no practice session"),
        (("qortex", "--name", "../x"), "not a plain name"),
    ):
        result = run_cli(project, "practice", *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr, args
    assert not (project / "attempts").exists() or not any((project / "attempts").glob("*.yaml"))
