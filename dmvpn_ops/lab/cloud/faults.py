"""Injected faults: which hosts are down, cut off, mis-keyed, renumbered, or hosting a rogue."""
from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address

KINDS = ("hub-down", "wrong-psk", "nbma-change", "link-loss", "rogue-spoke")
# Faults the SSH side handles (slow, ssh-drop, refuse-login) are not the cloud's: the core owns them.


@dataclass
class Faults:
    """Active faults per host."""

    active: dict[str, set[str]] = field(default_factory=dict)

    def add(self, kind: str, host: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {', '.join(KINDS)}")
        self.active.setdefault(host, set()).add(kind)

    def clear(self, host: str | None) -> None:
        if host is None:
            self.active.clear()
        else:
            self.active.pop(host, None)

    def discard(self, kind: str, host: str) -> None:
        """Remove one fault of ``host`` and leave its others."""
        self.active.get(host, set()).discard(kind)

    def has(self, host: str, kind: str) -> bool:
        return kind in self.active.get(host, set())

    def hosts_with(self, kind: str) -> list[str]:
        return sorted(h for h, kinds in self.active.items() if kind in kinds)


def changed_nbma(address: IPv4Address) -> IPv4Address:
    """The address an ISP hands out after an NBMA change: same /24, host part moved by 100."""
    last = int(address) & 0xFF
    return IPv4Address((int(address) & ~0xFF) | ((last + 99) % 254 + 1))


def wrong_psk(psk: str | None) -> str:
    """The key a spoke uses when wrong-psk is injected: never equal to the right one."""
    return f"{psk or ''}-wrong"
