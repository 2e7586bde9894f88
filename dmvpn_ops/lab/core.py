"""The lab's brain, one per process: routers, the cloud model, faults, SSH listeners, the tick loop."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from dmvpn_ops.errors import LabError
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.clock import Clock
from dmvpn_ops.lab.cloud import Cloud
from dmvpn_ops.lab.router import Router

log = logging.getLogger("dmvpn_ops.lab")

LOCAL_FAULTS = ("slow", "ssh-drop", "refuse-login")
CLOUD_FAULTS = ("hub-down", "wrong-psk", "nbma-change", "link-loss", "rogue-spoke")
FAULTS = CLOUD_FAULTS[:1] + LOCAL_FAULTS + CLOUD_FAULTS[1:]


def _bootstrap(design: Design, name: str) -> str:
    from dmvpn_ops.render import render_bootstrap
    return render_bootstrap(design, name)


class LabCore:
    """Owns every router and fault; all methods run on the lab's event loop."""

    def __init__(self, design: Design, ports: dict[str, int]) -> None:
        self.design = design
        self.ports = dict(ports)
        self.cloud: Any = Cloud(design, self.config_of)  # a broken cloud model must fail loudly
        self.clock: Any = self.cloud.clock if self.cloud is not None else Clock()
        self.cloud_commands: tuple[str, ...] = tuple(getattr(self.cloud, "SHOW_COMMANDS", ()))
        self.routers = {name: Router(name, _bootstrap(design, name), self.clock) for name in design.hosts}
        for router in self.routers.values():
            router.on_change = self.config_changed
        self.faults: dict[str, dict[str, float]] = {}
        self.down: set[str] = set()
        self.sessions: dict[str, set[Any]] = {name: set() for name in self.routers}
        if self.cloud is not None:
            for name in self.routers:
                self.cloud.config_changed(name)

    def config_of(self, name: str) -> str:
        return self.routers[name].running_config(full=True, clear=True)  # type 7/6 secrets read clear

    def config_changed(self, name: str, now: bool = False) -> None:
        """Tell the cloud a router's config moved (cheap: the cloud recomputes on its next query)."""
        if self.cloud is not None:
            self.cloud.config_changed(name)

    # --- faults -----------------------------------------------------------------------------
    def _host(self, host: str) -> str:
        if host not in self.routers:
            raise LabError(f"unknown host {host!r}; the lab has {', '.join(sorted(self.routers))}")
        return host

    def inject(self, kind: str, host: str, value: float | None = None) -> None:
        """Inject a fault; SSH-level kinds are handled here, network kinds by the cloud."""
        self._host(host)
        if kind not in FAULTS:
            raise LabError(f"unknown fault {kind!r}; known: {', '.join(FAULTS)}")
        if kind in LOCAL_FAULTS:
            default = 2.0 if kind == "slow" else 1.0
            self.faults.setdefault(host, {})[kind] = default if value is None else value
            if kind == "refuse-login":
                self.close_sessions(host)
            return
        if self.cloud is not None:
            self.cloud.inject(kind, host)
        elif kind == "hub-down":
            self.down.add(host)
        else:
            raise LabError(f"fault {kind!r} needs the cloud model, which is not available")

    def clear(self, host: str | None = None) -> None:
        if host is not None:
            self._host(host)
        for name in [host] if host else list(self.routers):
            self.faults.pop(name, None)
            self.down.discard(name)
        if self.cloud is not None:
            self.cloud.clear(host)

    def is_down(self, host: str) -> bool:
        if self.cloud is not None and self.cloud.is_down(host):
            return True
        return host in self.down

    def fault(self, host: str, kind: str) -> float | None:
        return self.faults.get(host, {}).get(kind)

    def take_drop(self, host: str) -> bool:
        """ssh-drop is one-shot: it cuts the output of the Nth line from now (default 1), then disarms."""
        faults = self.faults.get(host, {})
        left = faults.get("ssh-drop")
        if left is None:
            return False
        if left > 1:
            faults["ssh-drop"] = left - 1
            return False
        del faults["ssh-drop"]
        return True

    # --- sessions and time ------------------------------------------------------------------
    def close_sessions(self, host: str) -> None:
        for shell in list(self.sessions.get(host, ())):
            shell.drop()

    def reload(self, name: str) -> None:
        if self.cloud is not None:
            self.cloud.reload_started(name)   # down from now: its peers see it go, its buffer restarts
        asyncio.get_running_loop().call_later(0.05, self._reboot, name)

    def _reboot(self, name: str) -> None:
        self.close_sessions(name)
        self.routers[name].boot()
        self.config_changed(name, now=True)
        if self.cloud is not None:
            self.cloud.reload_done(name)

    def syslog(self, name: str, message: str) -> None:
        """A line ``name`` logs now (into its buffer: the cloud model keeps them)."""
        if self.cloud is not None:
            self.cloud.log(name, message)

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.tick()

    def tick(self) -> None:
        for router in self.routers.values():
            if router.revert is not None:
                router.tick()

    def status(self) -> dict[str, Any]:
        return {"hosts": {name: {"port": self.ports.get(name), "down": self.is_down(name),
                                 "faults": sorted(self.faults.get(name, {})),
                                 "sessions": len(self.sessions[name])} for name in self.routers},
                "clock": self.clock.format_clock(), "cloud": self.cloud is not None}
