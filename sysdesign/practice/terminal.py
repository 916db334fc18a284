"""Keys from the terminal without Enter.

`Keys` puts a TTY in cbreak mode (Ctrl-C still interrupts) and reads single characters with a
timeout; on a non-TTY stdin it reads nothing (a session driven by the clock alone). A closed
terminal shows as end-of-file on the TTY (`Hangup`), or as SIGHUP, which `sysdesign.signals`
handles like every other interactive command's signals.
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
import termios
import tty


class Hangup(Exception):
    """The terminal went away (end of file on the TTY)."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class Keys:
    """Single key presses from stdin."""

    def __init__(self, stream: object | None = None) -> None:
        stream = stream or sys.stdin
        try:
            self.fd: int | None = stream.fileno()  # type: ignore[attr-defined]
        except (AttributeError, OSError, ValueError):
            self.fd = None
        self.tty = self.fd is not None and os.isatty(self.fd)
        self._saved: list | None = None  # type: ignore[type-arg]

    def __enter__(self) -> Keys:
        if self.tty and self.fd is not None:
            self._saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._saved is not None and self.fd is not None:
            with contextlib.suppress(termios.error):  # the terminal may be gone
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def read(self, timeout: float) -> str:
        """The keys pressed within `timeout` seconds ('' if none); Hangup on a closed TTY."""
        if not self.tty or self.fd is None:
            import time

            time.sleep(timeout)
            return ""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return ""
        try:
            data = os.read(self.fd, 64)
        except OSError as exc:
            raise Hangup("the terminal closed") from exc
        if not data:
            raise Hangup("the terminal closed")
        return data.decode("utf-8", errors="ignore")
