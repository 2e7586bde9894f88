"""Emulated wall clock (used when the cloud model is absent) and IOS time/uptime formatting."""
from __future__ import annotations

import time


class LabClock:
    """Wall time plus an offset that ``advance`` moves forward (so timers and uptimes move)."""

    def __init__(self) -> None:
        self._offset = 0.0

    def now(self) -> float:
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        self._offset += seconds

    def format_clock(self) -> str:
        return format_clock(self.now())


def format_clock(epoch: float) -> str:
    """IOS `show clock`: ``*10:15:32.123 UTC Wed Nov 25 2026``."""
    t = time.gmtime(epoch)
    ms = int((epoch % 1) * 1000)
    return f"*{time.strftime('%H:%M:%S', t)}.{ms:03d} UTC {time.strftime('%a %b %d %Y', t)}"


def format_stamp(epoch: float) -> str:
    """`Last configuration change at 10:15:32 UTC Wed Nov 25 2026`."""
    return time.strftime("%H:%M:%S UTC %a %b %d %Y", time.gmtime(epoch))


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
