"""A rate limiter over sliding windows, with an injectable clock and sleeper."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable


class RateLimiter:
    """At most `limit` requests in any `window` seconds, for each (window, limit) pair."""

    def __init__(
        self, limits: list[tuple[float, int]], clock: Callable[[], float], sleep: Callable[[float], None]
    ):
        self._limits = limits
        self._clock = clock
        self._sleep = sleep
        self._stamps: deque[float] = deque()

    def wait(self) -> None:
        longest = max(window for window, _ in self._limits)
        while True:
            now = self._clock()
            while self._stamps and self._stamps[0] <= now - longest:
                self._stamps.popleft()
            delay = max((self._delay(now, window, limit) for window, limit in self._limits), default=0.0)
            if delay <= 0:
                self._stamps.append(now)
                return
            self._sleep(delay)

    def _delay(self, now: float, window: float, limit: int) -> float:
        recent = [t for t in self._stamps if t > now - window]
        return recent[-limit] + window - now if len(recent) >= limit else 0.0
