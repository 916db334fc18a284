"""One signal policy for interactive commands: typed answers survive SIGINT, SIGTERM, SIGHUP, a
locked history and an earlier partial file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from sysdesign.signals import Interrupted, holding_signals, notify, run_interactive


class Session:
    """`sysdesign grade DESIGN --ask` with a pipe for the person's keyboard."""

    def __init__(self, project: Path, *args: str) -> None:
        env = {
            **os.environ,
            "SYSDESIGN_ROOT": str(project),
            "SYSDESIGN_HISTORY": str(project / "history.sqlite"),
            "PYTHONUNBUFFERED": "1",
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sysdesign", "grade", "qortex", "--ask", *args],
            cwd=project,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.out = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while chunk := self.proc.stdout.read1(4096):  # type: ignore[attr-defined]
            self.out.extend(chunk)

    def type(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def wait_for(self, marker: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while marker.encode() not in self.out:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"never saw {marker!r}: {self.out.decode()[-500:]}")
            time.sleep(0.05)

    def finish(self) -> tuple[int, str]:
        assert self.proc.stderr is not None
        code = self.proc.wait(timeout=60)
        self._reader.join(5)
        return code, self.proc.stderr.read().decode()


def _answers(project: Path) -> Path:
    return project / "attempts" / "answers"


def _kept(path: Path) -> dict:  # type: ignore[type-arg]
    """Answered items of an answers file (YAML 1.1 reads yes/no as booleans: map them back)."""
    words = {True: "yes", False: "no"}
    answers = yaml.safe_load(path.read_text())["answers"]
    return {
        k: {**v, "answer": words.get(v["answer"], v["answer"])}
        for k, v in answers.items()
        if v and v.get("answer") is not None
    }


@pytest.mark.parametrize(
    ("signum", "words"),
    [(signal.SIGTERM, "SIGTERM"), (signal.SIGHUP, "SIGHUP"), (signal.SIGINT, "Ctrl-C")],
)
def test_a_signal_while_answering_keeps_the_typed_answers(
    project: Path, signum: int, words: str
) -> None:
    session = Session(project, "--notes")
    session.type("y\nmy note\np\n\n")
    session.wait_for("[3/")
    session.proc.send_signal(signum)
    code, stderr = session.finish()
    assert code == 128 + signum and "Traceback" not in stderr, stderr
    assert words in stderr and "2 answers kept" in stderr
    kept = _kept(_answers(project) / "qortex.yaml")
    assert [e["answer"] for e in kept.values()] == ["yes", "partly"]
    assert "my note" in str(kept)


def test_earlier_answers_are_never_replaced_by_an_interrupted_session(project: Path) -> None:
    """Defect 9: 8 answers kept from an earlier session were replaced by the 1 typed later."""
    first = Session(project)
    first.type("y\n" * 8)
    first.wait_for("[9/")
    first.proc.send_signal(signal.SIGTERM)
    assert first.finish()[0] == 143
    answers = _answers(project) / "qortex.yaml"
    earlier = _kept(answers)
    assert len(earlier) == 8
    second = Session(project)
    second.type("n\n")
    second.wait_for("[2/")
    second.proc.stdin.close()  # type: ignore[union-attr]  # end of input
    code, stderr = second.finish()
    assert code == 1 and "1 answers kept" in stderr, stderr
    now = _kept(answers)
    assert len(now) == 9 and all(now[k] == v for k, v in earlier.items())


def test_a_history_locked_while_answering_keeps_the_answers(project: Path) -> None:
    session = Session(project, "--minutes", "30")
    session.wait_for("items to judge yourself")
    pending = int(session.out.decode().split(" items to judge yourself")[0].split()[-1])
    lock = sqlite3.connect(project / "history.sqlite", isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        session.type("y\n" * pending)
        code, stderr = session.finish()
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert code == 2 and "locked" in stderr and "Traceback" not in stderr, stderr
    assert "record it later with: sysdesign grade qortex --answers" in stderr
    answers = _answers(project) / "qortex.yaml"
    assert len(_kept(answers)) == pending
    assert yaml.safe_load(answers.read_text())["minutes"] == 30


# --- the policy module itself ------------------------------------------------------------------


def test_signals_become_interrupted_and_later_ones_wait_for_the_save() -> None:
    saved: list[str] = []

    def body() -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # never reached: the handler raises

    def keep(stop: Interrupted) -> None:
        os.kill(os.getpid(), signal.SIGHUP)  # a second signal must not cut the save short
        saved.append(stop.reason)

    previous = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Interrupted) as caught:
        run_interactive(body, keep)
    assert saved == ["stopped (SIGTERM)"] and caught.value.exit_code == 143
    assert caught.value.later == [signal.SIGHUP]
    assert signal.getsignal(signal.SIGTERM) is previous


@pytest.mark.parametrize(("raised", "code"), [(EOFError(), 1), (KeyboardInterrupt(), 130)])
def test_end_of_input_and_ctrl_c_follow_the_same_policy(raised: BaseException, code: int) -> None:
    kept: list[Interrupted] = []

    def body() -> None:
        raise raised

    with pytest.raises(Interrupted) as caught:
        run_interactive(body, kept.append)
    assert kept == [caught.value] and caught.value.exit_code == code


def test_other_errors_and_normal_returns_pass_through() -> None:
    assert run_interactive(lambda: 42, lambda stop: pytest.fail("not interrupted")) == 42

    def broken() -> None:
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        run_interactive(broken, lambda stop: pytest.fail("not interrupted"))


def test_holding_signals_and_notify_on_a_closed_stream(tmp_path: Path) -> None:
    with holding_signals() as held:
        os.kill(os.getpid(), signal.SIGINT)
    assert held == [signal.SIGINT]
    closed = (tmp_path / "x").open("w")
    closed.close()
    assert notify("gone", closed) is False
