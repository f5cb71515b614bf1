"""Hybrid logical clock stamps: totally ordered, monotonic, robust to wrong wall clocks.

A stamp is a string `MMMMMMMMMMMMM-CCCC-DEVICE`: wall milliseconds (13 digits),
a logical counter (4 hex digits) and the device id. Plain string comparison is
the causal order with the device id as the deterministic tie-break, so every
replica sorts stamps the same way without parsing them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

MAX_COUNTER = 0xFFFF
DAY_MS = 86_400_000


@dataclass(frozen=True, order=True)
class Stamp:
    millis: int
    counter: int
    device: str

    def __str__(self) -> str:
        return f"{self.millis:013d}-{self.counter:04x}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> "Stamp":
        try:
            millis, counter, device = text.split("-", 2)
            if len(millis) != 13 or len(counter) != 4 or not device:
                raise ValueError
            return cls(int(millis), int(counter, 16), device)
        except ValueError:
            raise ValueError(f"not an HLC stamp: {text!r}") from None


class ClockSkewError(Exception):
    """A remote stamp lies further in the future than we accept."""

    def __init__(self, skew_ms: int):
        super().__init__(f"remote clock is {skew_ms / DAY_MS:.1f} days ahead")
        self.skew_ms = skew_ms


class HybridClock:
    """Issues stamps for one device; `observe` folds in stamps seen from others.

    `last` is persisted by the store so that stamps stay monotonic across
    restarts even when the laptop's wall clock jumps back.
    """

    def __init__(self, device: str, last: str | None = None,
                 wall: Callable[[], float] = time.time):
        if "-" in device or not device:
            raise ValueError("device id must be non-empty and contain no '-'")
        self.device = device
        self._wall = wall
        self._millis, self._counter = 0, 0
        self.max_skew_seen_ms = 0
        if last:
            s = Stamp.parse(last)
            self._millis, self._counter = s.millis, s.counter

    def _now_ms(self) -> int:
        return int(self._wall() * 1000)

    def now(self) -> str:
        wall = self._now_ms()
        if wall > self._millis:
            self._millis, self._counter = wall, 0
        else:
            self._counter += 1
            if self._counter > MAX_COUNTER:  # borrow a millisecond from the future
                self._millis, self._counter = self._millis + 1, 0
        return str(Stamp(self._millis, self._counter, self.device))

    def observe(self, remote: str) -> int:
        """Advance past a remote stamp; returns how far (ms) it is ahead of our wall clock."""
        r = Stamp.parse(remote)
        skew = r.millis - self._now_ms()
        self.max_skew_seen_ms = max(self.max_skew_seen_ms, skew)
        if (r.millis, r.counter) > (self._millis, self._counter):
            self._millis, self._counter = r.millis, r.counter
        return skew

    @property
    def last(self) -> str:
        return str(Stamp(self._millis, self._counter, self.device))
