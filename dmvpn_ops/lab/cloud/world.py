"""Shared state of the emulated cloud: configs (parsed lazily), clock, faults, timers and caches."""
from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import Any

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.clock import Clock
from dmvpn_ops.lab.cloud.configview import RouterConf, parse_router
from dmvpn_ops.lab.cloud.faults import Faults

log = logging.getLogger("dmvpn_ops.lab")


@dataclass
class Since:
    """A condition's current value and when it last changed (``ever`` once it has been true)."""

    ok: bool
    since: float
    ever: bool


@dataclass
class HubEntry:
    """A registered spoke in a hub's NHRP cache."""

    spoke: str
    tunnel_ip: IPv4Address
    nbma: IPv4Address
    claimed: IPv4Address
    nat: bool
    created: float
    hold: int
    frozen_at: float | None = None      # registrations stopped at this time
    unique: bool = True                 # registered with the unique flag (no `ip nhrp registration no-unique`)

    def last_registration(self, now: float) -> float:
        """Registrations arrive every holdtime/3 from creation until they stop."""
        t = self.frozen_at if self.frozen_at is not None else now
        period = max(1.0, self.hold / 3)
        return self.created + int((t - self.created) // period) * period

    def expires(self, now: float) -> float:
        return self.last_registration(now) + self.hold


@dataclass
class Shortcut:
    """A spoke-to-spoke NHRP mapping built by traffic (phase 2 resolution or phase 3 shortcut)."""

    owner: str
    tunnel: str
    peer: str
    peer_tunnel: str
    created: float
    expire_at: float
    shortcut: bool                       # phase 3 (DT entries + H/% routes) vs phase 2 (D)
    prefixes: tuple[IPv4Network, ...] = ()


@dataclass
class World:
    """Everything the cloud's derivations read; modules take it as their first argument."""

    design: Design
    config_of: Callable[[str], str]
    clock: Clock = field(default_factory=Clock)
    faults: Faults = field(default_factory=Faults)
    extra: dict[str, str] = field(default_factory=dict)           # rogue routers' configs
    trackers: dict[tuple[object, ...], Since] = field(default_factory=dict)
    # every state change as it happened (when, key, up): the routers' syslog buffers are read from it
    changes: deque[tuple[float, tuple[object, ...], bool]] = field(default_factory=lambda: deque(maxlen=200_000))
    # syslog lines rendered as they happened (when, rank at that instant, router, message): see eventlog
    syslog: deque[tuple[float, int, str, str]] = field(default_factory=lambda: deque(maxlen=200_000))
    adjacent: dict[tuple[str, str, str, str, int], Any] = field(default_factory=dict)  # eventlog: (Adj, pid)
    sockets: dict[tuple[str, str, str, str], Any] = field(default_factory=dict)        # eventlog.Socket ends
    links: dict[tuple[str, str], str] = field(default_factory=dict)   # eventlog: interface admin/up/down
    reasons: dict[tuple[float, tuple[object, ...]], str] = field(default_factory=dict)  # eventlog: NHS DOWN why
    hub_cache: dict[tuple[str, str], dict[IPv4Address, HubEntry]] = field(default_factory=dict)
    shortcuts: list[Shortcut] = field(default_factory=list)
    traffic: dict[tuple[str, str], int] = field(default_factory=dict)   # (from, to) extra packets
    held: dict[tuple[str, str, str], Any] = field(default_factory=dict)  # dpd.Held per (spoke, tun, NHS)
    negotiated: dict[tuple[str, str, str, str], Any] = field(default_factory=dict)  # dpd.Negotiated per SA end
    # rekey: each (router, tunnel)'s configured IPsec SA lifetime over time, [(since, seconds)]
    sa_lives: dict[tuple[str, str], list[tuple[float, int]]] = field(default_factory=dict)
    # nhrp.track_statics: when each static mapping (router, tunnel, tunnel address, NBMA) was configured
    static_since: dict[tuple[str, str, str, str], float] = field(default_factory=dict)
    _parsed: dict[str, RouterConf] = field(default_factory=dict)
    _index: dict[str, int] | None = None
    _names: tuple[tuple[str, ...], list[str], frozenset[str]] | None = None

    def routers(self) -> list[str]:
        """Design hosts then rogue routers, sorted; cached until the set of rogues changes."""
        key = tuple(self.extra)
        if self._names is None or self._names[0] != key:
            names = sorted(self.design.hosts) + sorted(self.extra)
            self._names, self._index = (key, names, frozenset(names)), None
        return self._names[1]

    def router_set(self) -> frozenset[str]:
        self.routers()
        assert self._names is not None
        return self._names[2]

    def index(self, host: str) -> int:
        """1-based position of ``host`` among the routers (DHCP leases are numbered by it)."""
        names = self.routers()
        if self._index is None:
            self._index = {name: n for n, name in enumerate(names, 1)}
        return self._index.get(host, 250)

    def conf(self, host: str) -> RouterConf:
        if host not in self._parsed:
            text = self.extra[host] if host in self.extra else self.config_of(host)
            self._parsed[host] = _parse_or_blank(host, text)
        return self._parsed[host]

    def forget(self, host: str) -> None:
        self._parsed.pop(host, None)

    def powered_off(self, host: str) -> bool:
        return self.faults.has(host, "hub-down")

    def role(self, host: str) -> str:
        h = self.design.hosts.get(host)
        return h.role if h else "spoke"

    def track(self, key: tuple[object, ...], ok: bool) -> Since:
        """Record ``ok`` for ``key`` now; the change time is kept until the value flips."""
        now = self.clock.now()
        cur = self.trackers.get(key)
        if cur is None:
            cur = self.trackers[key] = Since(ok, now, ok)
            if ok:
                self.changes.append((now, key, ok))
        elif cur.ok != ok:
            cur.ok, cur.since, cur.ever = ok, now, cur.ever or ok
            self.changes.append((now, key, ok))
        return cur

    def since(self, key: tuple[object, ...]) -> Since | None:
        return self.trackers.get(key)


def _parse_or_blank(host: str, text: str) -> RouterConf:
    """A config the model cannot read (a line the grammar should have refused) must not take every router's
    show commands down: the router then takes part in the cloud as if unconfigured, and the bug is logged."""
    try:
        return parse_router(text)
    except Exception:
        log.exception("cloud model cannot read the running config of %s; treating it as unconfigured", host)
        return parse_router("")
