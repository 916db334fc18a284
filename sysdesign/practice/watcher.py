"""Watch the attempt file and re-check it in a worker thread, so the screen stays responsive.

`Rechecker.request()` asks for a re-check (coalesced: many saves, one check); `latest` is the
newest Status. `FileWatcher` calls `request()` whenever the file is written (watchfiles; editors
that save by renaming are seen too, as the folder is watched).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sysdesign.practice.status import Status


class Rechecker:
    """One worker thread running `check()` whenever asked; keeps the newest result."""

    def __init__(self, check: Callable[[], Any]) -> None:
        self._check = check
        self._wanted = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._latest: Any = None
        self.generation = 0  # bumps each time a result lands
        self._thread = threading.Thread(target=self._run, name="recheck", daemon=True)

    def start(self) -> None:
        self._thread.start()
        self.request()

    def request(self) -> None:
        self._wanted.set()

    @property
    def latest(self) -> Any:
        with self._lock:
            return self._latest

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self._wanted.wait(0.1):
                continue
            self._wanted.clear()
            try:
                result = self._check()
            except Exception as exc:  # never let the worker die: show it instead
                result = Status(False, 0, (f"error: re-check failed: {exc}",), 1)
            with self._lock:
                self._latest = result
                self.generation += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


class FileWatcher:
    """Calls `on_change` after each write to `path`, from its own thread."""

    def __init__(self, path: Path, on_change: Callable[[], None]) -> None:
        self.path = path.resolve()
        self._on_change = on_change
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        from watchfiles import watch

        name = self.path.name
        try:
            for _ in watch(
                self.path.parent,
                watch_filter=lambda _change, p: Path(p).name == name,
                stop_event=self._stop,
                debounce=150,
                step=30,
                recursive=False,
                raise_interrupt=False,
            ):
                self._on_change()
        except Exception:  # the folder vanished: the session goes on with its last status
            return

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
