"""The lab's one emulated clock (real time plus an advanceable offset) and IOS time formatting."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Clock:
    """Emulated epoch seconds: starts at real time, keeps ticking, and can jump forward.

    ``before_advance`` hooks run before every jump (the cloud settles pending events at their own time);
    :meth:`pinned` makes ``now`` return a fixed instant while a derivation runs "as of" an event.
    """

    def __init__(self) -> None:
        self._offset = 0.0
        self._pinned: float | None = None
        self.before_advance: list[Callable[[], None]] = []

    def now(self) -> float:
        return self._pinned if self._pinned is not None else time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward (negative values are refused: IOS time never runs back)."""
        if seconds < 0:
            raise ValueError("the emulated clock only moves forward")
        for hook in list(self.before_advance):
            hook()
        self._offset += seconds

    @contextmanager
    def pinned(self, when: float) -> Iterator[None]:
        """``now()`` answers ``when`` inside the block (never later than the real emulated time)."""
        old, self._pinned = self._pinned, min(when, self.now())
        try:
            yield
        finally:
            self._pinned = old

    def format_clock(self) -> str:
        return format_clock(self.now())


LabClock = Clock  # the name the CLI half used before the clocks were merged


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_stamp(epoch: float) -> str:
    """`Last configuration change at 10:15:32 UTC Wed Nov 5 2026` (IOS does not pad the day)."""
    t = time.gmtime(epoch)
    return (f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} UTC "
            f"{_DAYS[t.tm_wday]} {_MONTHS[t.tm_mon - 1]} {t.tm_mday} {t.tm_year}")


def format_clock(epoch: float) -> str:
    """IOS `show clock` without NTP: ``*10:15:32.123 UTC Wed Nov 25 2026``."""
    stamp = format_stamp(epoch)
    return f"*{stamp[:8]}.{int((epoch % 1) * 1000):03d}{stamp[8:]}"


def format_uptime_words(seconds: float) -> str:
    """`show version`: ``1 week, 2 days, 3 hours, 4 minutes`` (zero parts omitted)."""
    s = int(seconds)
    parts = [("year", 365 * 86400), ("week", 7 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60)]
    out = []
    for name, size in parts:
        n, s = divmod(s, size)
        if n:
            out.append(f"{n} {name}{'s' if n != 1 else ''}")
    return ", ".join(out) or "0 minutes"


def uptime(seconds: float | None) -> str:
    """IOS uptime: 00:01:02 under a day, 1d02h under a week, 3w5d under a year, then 1y17w."""
    if seconds is None:
        return "never"
    s = max(0, int(seconds))
    days, rem = divmod(s, 86400)
    if days == 0:
        return f"{rem // 3600:02d}:{rem % 3600 // 60:02d}:{rem % 60:02d}"
    if days < 7:
        return f"{days}d{rem // 3600:02d}h"
    weeks, days = divmod(days, 7)
    if weeks < 52:
        return f"{weeks}w{days}d"
    return f"{weeks // 52}y{weeks % 52}w"


def hms(seconds: float) -> str:
    """hh:mm:ss even past a day (IOS lifetimes such as ``lifetime:23:32:18``)."""
    s = max(0, int(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
