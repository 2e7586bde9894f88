"""IOS/IOS-XE display quirks as data: accepted lines the running config does not show."""
from __future__ import annotations

import re
from dataclasses import dataclass

from hier_config import HConfig

__all__ = ["Quirk", "QUIRKS", "HEADER", "SHOWN_DEFAULTS", "is_hidden", "is_shown_default", "strip_hidden", "clean_running"]


@dataclass(frozen=True)
class Quirk:
    """A child line IOS accepts but never prints, under parents matching ``parent``."""

    parent: str  # regex on the parent line
    line: str  # the exact child line
    why: str

    def applies(self, parent_text: str, child_text: str) -> bool:
        return child_text == self.line and re.match(self.parent, parent_text) is not None


QUIRKS: tuple[Quirk, ...] = (
    Quirk(r"interface ", "no shutdown", "IOS never prints the default 'no shutdown'"),
    Quirk(r"interface Tunnel", "ip nhrp shortcut",
          "IOS-XE 17.x enables it by default on mGRE and hides it from the running config"),
    Quirk(r"interface Tunnel", "ip nhrp map multicast dynamic",
          "IOS-XE 17.x hides it on hubs (it is implied by dynamic registration)"),
)

# Default lines IOS-XE prints although nobody configured them: kept when present, never negated.
SHOWN_DEFAULTS: tuple[Quirk, ...] = (
    Quirk(r"interface (GigabitEthernet|TenGigabitEthernet)", "negotiation auto",
          "IOS-XE virtual NICs print it by default"),
    Quirk(r"interface ", "no mop enabled", "IOS-XE prints MOP defaults on every interface"),
    Quirk(r"interface ", "no mop sysid", "IOS-XE prints MOP defaults on every interface"),
)

# Lines `show running-config` prints that are not configuration (they change on every write).
HEADER = re.compile(r"^(Building configuration|Current configuration|! Last configuration change"
                    r"|! NVRAM config last updated|! No configuration change)")


def is_hidden(parent_text: str, child_text: str) -> bool:
    """True when IOS may accept ``child_text`` under ``parent_text`` without showing it."""
    return any(q.applies(parent_text, child_text) for q in QUIRKS)


def is_shown_default(parent_text: str, child_text: str) -> bool:
    """True when IOS prints ``child_text`` under ``parent_text`` as a default."""
    return any(q.applies(parent_text, child_text) for q in SHOWN_DEFAULTS)


def strip_hidden(config: HConfig) -> HConfig:
    """A copy of ``config`` without the lines IOS hides or prints by default (never drift)."""
    copy = config.deep_copy()
    for parent in copy.children:
        for child in tuple(parent.children):
            quirky = is_hidden(parent.text, child.text) or is_shown_default(parent.text, child.text)
            if not child.children and quirky:
                child.delete()
    return copy


def clean_running(text: str) -> str:
    """The running config without its volatile header lines and trailing blanks."""
    lines = [ln.rstrip() for ln in text.splitlines()]
    kept = [ln for ln in lines if not HEADER.match(ln)]
    while kept and not kept[0].strip():
        kept.pop(0)
    return "\n".join(kept).strip() + "\n"
