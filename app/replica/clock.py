"""Hybrid logical clock stamps: totally ordered, monotonic, robust to wrong wall clocks.

A stamp is a string `MMMMMMMMMMMMM-CCCC-DEVICE`: wall milliseconds (13 digits,
enough until the year 2286), a logical counter (4 hex digits) and the device
id. Plain string comparison is the causal order with the device id as the
deterministic tie-break, so every replica sorts stamps the same way without
parsing them. The width is fixed: no stamp with more or fewer digits is ever
made or accepted.

A stamp seen from another device moves this clock forward at most
`follow_ms` past this device's own wall clock. A laptop whose clock runs days
ahead (or a hostile one) therefore cannot drag the other laptops' clocks
along; a local write that overwrote such a value may carry a lower stamp than
the value it saw, and the merge keeps it anyway because it names that value as
its predecessor (app.replica.merge, the head rule). How far remote stamps ran ahead
is kept in `max_skew_seen_ms` for the sync summary.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

MAX_COUNTER = 0xFFFF
MAX_MILLIS = 10 ** 13 - 1  # 2286-11-20: the last millisecond a 13-digit stamp can hold
DAY_MS = 86_400_000
FOLLOW_MS = 5 * 60 * 1000  # a remote stamp moves our clock at most this far past our wall clock
RESET_AHEAD_MS = 30 * DAY_MS  # a saved clock further ahead than this is damaged: start again from the wall


@dataclass(frozen=True, order=True)
class Stamp:
    millis: int
    counter: int
    device: str

    def __str__(self) -> str:
        if not (0 <= self.millis <= MAX_MILLIS and 0 <= self.counter <= MAX_COUNTER):
            raise ValueError(f"stamp out of range: {self.millis}, {self.counter}")
        return f"{self.millis:013d}-{self.counter:04x}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> "Stamp":
        try:
            millis, counter, device = text.split("-", 2)
            if len(millis) != 13 or len(counter) != 4 or not device or not millis.isdigit():
                raise ValueError
            return cls(int(millis), int(counter, 16), device)
        except ValueError:
            raise ValueError(f"not an HLC stamp: {text!r}") from None


class HybridClock:
    """Issues stamps for one device; `observe` folds in stamps seen from others.

    `last` is persisted by the store so that stamps stay monotonic across
    restarts even when the laptop's wall clock jumps back. A saved state more
    than RESET_AHEAD_MS ahead of the wall clock can only come from a far-future
    stamp observed by an older version; it is dropped.
    """

    def __init__(self, device: str, last: str | None = None,
                 wall: Callable[[], float] = time.time, follow_ms: int = FOLLOW_MS):
        if "-" in device or not device:
            raise ValueError("device id must be non-empty and contain no '-'")
        self.device = device
        self._wall = wall
        self.follow_ms = follow_ms
        self._millis, self._counter = 0, 0
        self.max_skew_seen_ms = 0
        if last:
            s = Stamp.parse(last)
            if s.millis <= self._now_ms() + RESET_AHEAD_MS:
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
        """Advance past a remote stamp, but never more than `follow_ms` past our wall clock.

        Returns how far (ms) the stamp lies ahead of our wall clock. Our own
        stamps (the same device id: saved by another connection of this store)
        are followed up to RESET_AHEAD_MS, so own stamps stay monotonic after
        the wall clock was set back.
        """
        r = Stamp.parse(remote)
        wall = self._now_ms()
        skew = r.millis - wall
        target = (r.millis, r.counter)
        if r.device != self.device:
            self.max_skew_seen_ms = max(self.max_skew_seen_ms, skew)
            if skew > self.follow_ms:
                target = (wall + self.follow_ms, 0)
        elif skew > RESET_AHEAD_MS:
            target = (wall + RESET_AHEAD_MS, 0)
        if target > (self._millis, self._counter):
            self._millis, self._counter = target
        return skew

    @property
    def last(self) -> str:
        return str(Stamp(self._millis, self._counter, self.device))
