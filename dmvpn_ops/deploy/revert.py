"""Revert timers on the device: read `show archive config rollback timer`, and say when a pending one fires.

Why: a deploy pushes under `configure terminal revert timer N`; if the run dies before `configure confirm`, the
device reverts on its own N minutes later. Every run therefore asks each host first, and never calls a host
`unchanged` while such a timer is pending (it would silently undo the config the diff was computed against).
Layout: Cisco IOS XE System Management Configuration Guide, "Configuration Replace and Configuration Rollback"
(`show archive config rollback timer`: Time configured(or reset), Timer type, Timer value, User).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["PendingRevert", "SHOW_TIMER", "SHOW_ARCHIVE", "ARCHIVE_FIX", "parse_timer", "fires_at", "archive_missing"]

SHOW_TIMER = "show archive config rollback timer"
# Rollback Confirmed Change (the revert timer) needs the archive feature, an `archive` block with a `path`
# (Cisco "Configuration Replace and Configuration Rollback" guide); without it IOS refuses the timer with
# '%Turn config archive on before using Rollback Confirmed Change' (Cisco NSO IOS NED config-mode responses).
# `show archive` then prints ' Archive feature not enabled' (real capture; NAPALM ios _check_archive_feature
# reads the same line), or, with a block but no path, 'Archive path not specified' as the next file's name.
SHOW_ARCHIVE = "show archive"
_ARCHIVE_OFF = re.compile(r"^\s*Archive feature not enabled\s*$|Archive path not specified", re.M)
ARCHIVE_FIX = ("configure the archive on the router (`archive` / ` path flash:archive`, an operator prerequisite: "
               "docs/deploy-prerequisites.md), or deploy with --no-revert-timer")
_FIELD = re.compile(r"^\s*(Time configured\(or reset\)|Timer type|Timer value|User)\s*:\s*(.*?)\s*$", re.M)
_STAMP = "%H:%M:%S %Z %a %b %d %Y"


@dataclass(frozen=True)
class PendingRevert:
    """A revert timer running on a device."""

    configured: str  # device clock, as printed
    minutes: int
    user: str

    @property
    def fires(self) -> str:
        return fires_at(self.configured, self.minutes)


def parse_timer(output: str) -> PendingRevert | None:
    """The pending revert in the command's output, or None when the device says none is pending.

    Raises:
        ValueError: the output is neither (not a device answer we can trust).
    """
    fields = dict(_FIELD.findall(output or ""))
    if not fields:
        if re.search(r"No Rollback Confirmed Change pending", output or ""):
            return None
        raise ValueError(f"unexpected answer to `{SHOW_TIMER}`: {(output or '').strip()[:80]!r}")
    value = re.match(r"(\d+)\s*min", fields.get("Timer value", ""))
    if value is None or "Time configured(or reset)" not in fields:
        raise ValueError(f"`{SHOW_TIMER}` without a timer value or start time")
    return PendingRevert(fields["Time configured(or reset)"], int(value.group(1)), fields.get("User", "?"))


def fires_at(configured: str, minutes: int) -> str:
    """``configured`` + ``minutes`` in the device's own format; the raw start + N min when unparseable."""
    text = configured.lstrip("*.")
    try:
        start = datetime.strptime(re.sub(r"\.\d+", "", text), _STAMP)
    except ValueError:
        return f"{configured} + {minutes} min"
    zone = text.split()[1]
    end = start + timedelta(minutes=minutes)
    return f"{end:%H:%M:%S} {zone} {end:%a %b} {end.day} {end.year}"


def archive_missing(show_archive: str) -> bool:
    """True when `show archive` says the device cannot run a revert timer (no archive, or no archive path).

    Why before the push: IOS refuses `configure terminal revert timer` without it; asking first ends the host
    before any change with the fix named, instead of after a backup copy and a refused config mode.
    """
    return _ARCHIVE_OFF.search(show_archive or "") is not None
