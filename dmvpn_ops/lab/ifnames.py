"""IOS interface names: abbreviation (`tu100`, `gi1`, `lo 0`) to the full name, and IOS sort order."""
from __future__ import annotations

import re

# Logical interfaces first, then physical ones: the order `show running-config` lists them.
TYPES = (
    "Loopback", "Tunnel", "Port-channel", "Virtual-Template", "Dialer", "Vlan",
    "GigabitEthernet", "TenGigabitEthernet", "FastEthernet", "Ethernet", "Serial", "Cellular", "Null",
)
LOGICAL = {"Loopback", "Tunnel", "Port-channel", "Virtual-Template", "Dialer", "Vlan", "Null"}
_NAME = re.compile(r"^([A-Za-z-]+)\s*(\d+(?:/\d+)*(?:\.\d+)?)$")


def normalise_interface(text: str) -> str | None:
    """``tu100`` -> ``Tunnel100``; None when it is not an interface name (or ambiguous)."""
    m = _NAME.match(text.strip())
    if not m:
        return None
    typed = m.group(1).lower()
    exact = [t for t in TYPES if t.lower() == typed]
    cands = exact or [t for t in TYPES if t.lower().startswith(typed)]
    if len(cands) > 1 and typed in ("e", "eth"):  # IOS resolves these to Ethernet
        cands = ["Ethernet"]
    if len(cands) > 1 and typed in ("g", "gi", "gig"):
        cands = ["GigabitEthernet"]
    if len(cands) != 1:
        return None
    return f"{cands[0]}{m.group(2)}"


def sort_key(name: str) -> tuple[int, tuple[int, ...]]:
    """IOS order: by interface type (logical first), then numerically by slot/port/sub-interface."""
    m = _NAME.match(name)
    if not m:
        return (len(TYPES), ())
    kind = TYPES.index(m.group(1)) if m.group(1) in TYPES else len(TYPES)
    return (kind, tuple(int(x) for x in re.split(r"[/.]", m.group(2))))


def short(name: str) -> str:
    """`show ip interface brief`-style names are full; `show dmvpn` uses e.g. ``Tu100``."""
    m = _NAME.match(name)
    return f"{m.group(1)[:2]}{m.group(2)}" if m else name
