"""The session's clock: an injectable object, so tests never depend on the machine's speed.

`SpeedClock(speed)` runs `speed` times faster than the wall clock; `ManualClock` only moves when
told. Both count session seconds from their start and can be paused.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Session seconds elapsed (paused time excluded)."""
        ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    @property
    def paused(self) -> bool: ...


class SpeedClock:
    """Session seconds = wall seconds x speed, less the time spent paused."""

    def __init__(
        self, speed: float = 1.0, start: float = 0.0, wall: Callable[[], float] = time.monotonic
    ) -> None:
        if not speed > 0:
            raise ValueError("speed must be above 0")
        self.speed = speed
        self._wall = wall
        self._origin = wall()
        self._offset = start
        self._paused_at: float | None = None

    def now(self) -> float:
        wall = self._paused_at if self._paused_at is not None else self._wall()
        return self._offset + (wall - self._origin) * self.speed

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def pause(self) -> None:
        if self._paused_at is None:
            self._paused_at = self._wall()

    def resume(self) -> None:
        if self._paused_at is not None:
            self._origin += self._wall() - self._paused_at
            self._paused_at = None


class ManualClock:
    """A clock for tests: `advance(seconds)` is the only way time passes."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._paused = False

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if not self._paused:
            self._now += seconds

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        self._paused = True

    def resume(self) -> None:
        self._paused = False
