"""Emulated clock: real time plus an advanceable offset, and IOS time formatting."""
from __future__ import annotations

import time

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Clock:
    """Emulated epoch seconds: starts at real time, keeps ticking, and can jump forward."""

    def __init__(self) -> None:
        self._offset = 0.0

    def now(self) -> float:
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward (negative values are refused: IOS time never runs back)."""
        if seconds < 0:
            raise ValueError("the emulated clock only moves forward")
        self._offset += seconds

    def format_clock(self) -> str:
        """Like IOS `show clock` without NTP: ``*10:15:32.123 UTC Wed Nov 25 2026``."""
        now = self.now()
        t = time.gmtime(now)
        millis = int((now % 1) * 1000)
        return (f"*{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}.{millis:03d} UTC "
                f"{_DAYS[t.tm_wday]} {_MONTHS[t.tm_mon - 1]} {t.tm_mday} {t.tm_year}")


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
