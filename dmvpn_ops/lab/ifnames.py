"""IOS interface names: abbreviation (`tu100`, `gi1`, `lo 0`) to the full name, and IOS sort order."""
from __future__ import annotations

import re

# Logical interfaces first, then physical ones: the order `show running-config` lists them.
TYPES = (
    "Loopback", "Tunnel", "Port-channel", "Virtual-Template", "Dialer", "Vlan",
    "GigabitEthernet", "TenGigabitEthernet", "FastEthernet", "Ethernet", "Serial", "Cellular", "Null",
)
LOGICAL = {"Loopback", "Tunnel", "Port-channel", "Virtual-Template", "Dialer", "Vlan", "Null"}
_NAME = re.compile(r"^([A-Za-z-]+)\s*(\d+(?:/\d+)*(?:\.\d+)?)$", re.ASCII)
_TYPED = re.compile(r"^([A-Za-z]+(?:-[A-Za-z]+)*)(.*)$")   # the type part of a typed token, then the rest
# Interface numbers of logical interfaces: one number (no slot/port), in these ranges.
#   Loopback 0-2147483647, Port-channel 1-512, Vlan 1-4094, Virtual-Template 1-4095, Dialer 0-255
#   (YANG interfaces: native interface Loopback/Port-channel/Vlan/Virtual-Template/Dialer name ranges);
#   Tunnel 0-2147483647 (IOS's own help, a real capture on GitHub: `interface tunnel ?` ->
#   `<0-2147483647>  Tunnel interface number`; the YANG model types it uint32 without a narrower range).
RANGES = {"Loopback": (0, 2147483647), "Tunnel": (0, 2147483647), "Port-channel": (1, 512),
          "Vlan": (1, 4094), "Virtual-Template": (1, 4095), "Dialer": (0, 255)}
# Physical names follow the YANG pattern `(0|[1-9][0-9]*)(/(0|[1-9][0-9]*))*(\.[0-9]*)?` (YANG
# interfaces: GigabitEthernet name): slot/subslot/port numbers without leading zeros, one sub-interface.
_PHYSICAL = re.compile(r"^(0|[1-9][0-9]*)(/(0|[1-9][0-9]*))*(\.[0-9]+)?$")
_NUMBER = re.compile(r"^[0-9]+")


def _type_of(typed: str) -> str | None:
    """The one interface type a typed (abbreviated) type name stands for, or None."""
    typed = typed.lower()
    exact = [t for t in TYPES if t.lower() == typed]
    cands = exact or [t for t in TYPES if t.lower().startswith(typed)]
    if len(cands) > 1 and typed in ("e", "eth"):  # IOS resolves these to Ethernet
        cands = ["Ethernet"]
    if len(cands) > 1 and typed in ("g", "gi", "gig"):
        cands = ["GigabitEthernet"]
    return cands[0] if len(cands) == 1 else None


def _number_ok(kind: str, number: str) -> bool:
    if kind in RANGES:
        low, high = RANGES[kind]
        return number.isascii() and number.isdigit() and low <= int(number) <= high
    return _PHYSICAL.match(number) is not None


def number_error(text: str) -> int | None:
    """Where IOS's caret goes in a token naming an interface type with a bad number (``Tunnel-1``,
    ``Tunnel99999999999``, ``Loopback1/0``): the offset of the first character it refuses; None when
    the token names no interface type (the caret then goes under the token) or the name is good."""
    m = _TYPED.match(text)
    if not m or _type_of(m.group(1)) is None or not m.group(2):
        return None
    kind, rest = _type_of(m.group(1)) or "", m.group(2)
    if _number_ok(kind, rest):
        return None
    lead = _NUMBER.match(rest)
    if lead is None or not _number_ok(kind, lead.group()):
        return len(m.group(1))               # the number itself is refused: caret at its first digit
    return len(m.group(1)) + len(lead.group())   # a good number followed by what the type does not take


def is_type(text: str) -> bool:
    """``text`` is an interface type alone (``Tunnel``, ``gi``): IOS then wants the number."""
    m = _TYPED.match(text)
    return m is not None and not m.group(2) and _type_of(m.group(1)) is not None


def normalise_interface(text: str) -> str | None:
    """``tu100`` -> ``Tunnel100``; None when it is not an interface name (or ambiguous)."""
    m = _NAME.match(text.strip())
    if not m:
        return None
    kind = _type_of(m.group(1))
    if kind is None or not _number_ok(kind, m.group(2)):
        return None
    return f"{kind}{int(m.group(2)) if kind in RANGES else m.group(2)}"


def sort_key(name: str) -> tuple[int, tuple[int, ...]]:
    """IOS order: by interface type (logical first), then numerically by slot/port/sub-interface."""
    m = _NAME.match(name)
    if not m:
        return (len(TYPES), ())
    kind = TYPES.index(m.group(1)) if m.group(1) in TYPES else len(TYPES)
    return (kind, tuple(int(x) for x in re.split(r"[/.]", m.group(2))))


def table_key(name: str) -> tuple[int, tuple[int, ...]]:
    """The order of IOS's interface table, which `show ip interface brief`, `show interfaces [description]`
    and `show ip interface` list (unlike `show running-config`, see :func:`sort_key`): physical interfaces
    first (created at boot, lowest ifIndex), then the logical ones, Loopback before Tunnel before Vlan.
    Real captures: genieparser iosxe ShowIpInterfaceBrief golden_output.txt (GigabitEthernet0/0/0..3,
    Te0/0/4, ..., Loopback65528, NVI0, Tunnel1, Tunnel3; copy in /work/shared/reference/captures/
    show_ip_interface_brief/), ntc-templates tests/cisco_ios/show_ip_interface_brief/
    cisco_ios_show_ip_interface_brief.raw (Ethernet0/0..0/3, then Loopback0), NAPALM ios.py
    get_interfaces_ip's capture (FastEthernet8, GigabitEthernet0, Loopback234, Loopback555, NVI0, Tunnel0,
    Tunnel1, Vlan1, Vlan100)."""
    kind, numbers = sort_key(name)
    physical = kind < len(TYPES) and TYPES[kind] not in LOGICAL   # an unknown type stays last
    return (kind - len(TYPES) if physical else kind, numbers)


def short(name: str) -> str:
    """`show ip interface brief`-style names are full; `show dmvpn` uses e.g. ``Tu100``."""
    m = _NAME.match(name)
    return f"{m.group(1)[:2]}{m.group(2)}" if m else name
