"""One signal policy for every interactive command (grade, practice, anything that asks).

While a person is typing answers, Ctrl-C (SIGINT), a `kill` (SIGTERM), a closed terminal (SIGHUP)
and end of input (Ctrl-D) all mean the same thing: stop asking, keep what was typed, say where it
is, exit. Every interactive command runs its questions through `run_interactive`:

    from sysdesign.signals import Interrupted, notify, run_interactive

    answers = {}

    def ask_all() -> None:
        for item in items:
            answers[item.id] = ask(item)           # typer.prompt, input(), ...

    def keep(stop: Interrupted) -> None:           # runs with further signals held back
        path = save_partial(answers)               # write the file first ...
        notify(f"{stop.reason}: {len(answers)} answers kept in {path}")   # ... then tell

    try:
        run_interactive(ask_all, keep)
    except Interrupted as stop:
        raise typer.Exit(stop.exit_code) from None

The policy:
- While `body` runs, SIGINT, SIGTERM and SIGHUP raise `Interrupted` where the program was;
  EOFError, KeyboardInterrupt and click's Abort (prompts on Ctrl-C/Ctrl-D) become `Interrupted`.
  `Interrupted` is a KeyboardInterrupt, so code that already handles Ctrl-C keeps working.
- Only the first signal interrupts. `keep(stop)` then runs with every further signal held back
  (recorded in `stop.later`), so a second Ctrl-C or the SIGTERM that follows a SIGHUP never cuts
  the save in half; then `stop` is raised. The previous handlers are restored afterwards.
- Saving outside the questions (e.g. the history turned out to be locked at the end) runs under
  `holding_signals()`, with the same guarantee.
- The save must not need the terminal (after SIGHUP it is gone): write the file first, then
  report with `notify`, which never raises for a closed or broken stream.
- Exit status: `stop.exit_code` is 128 + the signal number (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP)
  and 1 for end of input.
- Handlers can only be installed from the main thread; elsewhere `run_interactive` still converts
  EOFError, KeyboardInterrupt and Abort, and signals keep their default behaviour.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, TextIO, TypeVar

T = TypeVar("T")

HANDLED = (signal.SIGINT, signal.SIGTERM) + ((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ())
_REASONS = {
    signal.SIGINT: "interrupted (Ctrl-C)",
    signal.SIGTERM: "stopped (SIGTERM)",
}
if hasattr(signal, "SIGHUP"):
    _REASONS[signal.SIGHUP] = "terminal closed (SIGHUP)"


class Interrupted(KeyboardInterrupt):
    """The person (or the system) stopped an interactive command; `signum` is None for end of
    input."""

    def __init__(self, signum: int | None = None) -> None:
        super().__init__(self._reason(signum))
        self.signum = signum
        self.later: list[int] = []  # signals that arrived after this one, held back

    @staticmethod
    def _reason(signum: int | None) -> str:
        if signum is None:
            return "end of input"
        return _REASONS.get(signum, f"stopped (signal {signum})")

    @property
    def reason(self) -> str:
        """A few words for the message: 'stopped (SIGTERM)', 'end of input', ..."""
        return self._reason(self.signum)

    @property
    def exit_code(self) -> int:
        return 1 if self.signum is None else 128 + self.signum


def _is_abort(exc: BaseException) -> bool:
    """typer's (or click's) Abort, raised by prompts on Ctrl-C or Ctrl-D."""
    module = type(exc).__module__.split(".")[0]
    return any(
        klass.__name__ == "Abort" and module in {"click", "typer"} for klass in type(exc).__mro__
    )


def _as_interrupted(exc: BaseException) -> Interrupted | None:
    if isinstance(exc, Interrupted):
        return exc
    if isinstance(exc, KeyboardInterrupt):
        return Interrupted(signal.SIGINT)
    if isinstance(exc, EOFError):
        return Interrupted(None)
    if _is_abort(exc):  # click raises Abort from both; its context tells which
        return Interrupted(None if isinstance(exc.__context__, EOFError) else signal.SIGINT)
    return None


@contextmanager
def _handlers(handler: Callable[[int, FrameType | None], None]) -> Iterator[None]:
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in HANDLED:
            previous[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def run_interactive(body: Callable[[], T], keep: Callable[[Interrupted], None]) -> T:
    """Run `body` (the questions); when it is interrupted, run `keep(stop)` with later signals
    held back, then raise `stop` (an `Interrupted`). Returns what `body` returns otherwise."""
    first: list[Interrupted] = []

    def handler(signum: int, _frame: FrameType | None) -> None:
        if first:  # already stopping: hold it back, never cut the save short
            first[0].later.append(signum)
            return
        first.append(Interrupted(signum))
        raise first[0]

    with _handlers(handler):
        try:
            return body()
        except BaseException as exc:
            stop = _as_interrupted(exc)
            if stop is None:
                raise
            if not first:
                first.append(stop)
            stop = first[0]
        keep(stop)
    raise stop from None


def start_threads_without_signals(start: Callable[[], object]) -> None:
    """Call `start` (which starts threads) with SIGINT, SIGTERM and SIGHUP blocked, so the threads
    it starts (and theirs) inherit the block and these signals reach the main thread only.

    A signal sent to the process goes to any thread that does not block it. Under load, the thread
    the kernel picked for a SIGHUP can run its handler after another thread has already handled
    the SIGTERM sent just after it, so "the first signal" was the second. Delivered to one thread,
    pending signals are taken lowest number first, and Python runs the tripped handlers in that
    order too."""
    if not hasattr(signal, "pthread_sigmask") or (
        threading.current_thread() is not threading.main_thread()
    ):
        start()
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HANDLED)
    try:
        start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def holding_signals() -> Iterator[list[int]]:
    """Hold SIGINT, SIGTERM and SIGHUP back while answers are saved; yields the list of signals
    that arrived (the caller decides what to do about them once the save is done)."""
    held: list[int] = []
    with _handlers(lambda signum, _frame: held.append(signum)):
        yield held


def notify(text: str, stream: TextIO | None = None) -> bool:
    """Print one message for the person (stderr by default); False when the terminal is gone."""
    try:
        target = stream if stream is not None else sys.stderr
        target.write(text + "\n")
        target.flush()
        return True
    except (OSError, ValueError):  # closed terminal (EIO), broken pipe, closed file
        return False
