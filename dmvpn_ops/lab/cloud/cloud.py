"""The Cloud: the API the lab core calls (execute, inject, clear, clock, config_changed)."""
from __future__ import annotations

from typing import Callable

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.cloud import nhrp
from dmvpn_ops.lab.cloud.clock import Clock
from dmvpn_ops.lab.cloud.commands import SHOW_COMMANDS, dispatch
from dmvpn_ops.lab.cloud.faults import KINDS
from dmvpn_ops.lab.cloud.rogue import add_rogue, remove_rogues
from dmvpn_ops.lab.cloud.state import Snapshot, compute
from dmvpn_ops.lab.cloud.world import World


class Cloud:
    """Shared DMVPN cloud model for all emulated routers.

    Args:
        design: the intent (only underlay facts are read from it: NAT, DHCP, roles).
        config_of: returns a router's current running-config text.
    """

    SHOW_COMMANDS: list[str] = SHOW_COMMANDS

    def __init__(self, design: Design, config_of: Callable[[str], str]) -> None:
        self.world = World(design, config_of)
        self._snap: Snapshot | None = None
        self._deadline = float("inf")

    @property
    def clock(self) -> Clock:
        return self.world.clock

    def snapshot(self) -> Snapshot:
        """The current derivation, recomputed after events or when a timer expires."""
        if self._snap is None or self.world.clock.now() >= self._deadline:
            self._snap = compute(self.world)
            self._deadline = nhrp.next_deadline(self.world)
        return self._snap

    def _event(self) -> None:
        self.snapshot()          # settle the state before the change at the change's time
        self._snap = None

    def config_changed(self, host: str) -> None:
        self._event()
        self.world.forget(host)

    def execute(self, host: str, command: str) -> str | None:
        """Run a canonical exec command on ``host``; None when the cloud does not handle it."""
        if host not in self.world.design.hosts and host not in self.world.extra:
            return None
        return dispatch(self, host, " ".join(command.split()))

    def invalidate(self) -> None:
        self._snap = None

    def inject(self, kind: str, host: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {', '.join(KINDS)}")
        self._check_host(host)
        self._event()
        self.world.faults.add(kind, host)
        if kind == "rogue-spoke":
            add_rogue(self.world, host)
        for name in self.world.routers():
            self.world.forget(name)

    def clear(self, host: str | None) -> None:
        if host is not None:
            self._check_host(host)
        self._event()
        self.world.faults.clear(host)
        remove_rogues(self.world, host)

    def is_down(self, host: str) -> bool:
        return self.world.powered_off(host)

    def _check_host(self, host: str) -> None:
        if host not in self.world.design.hosts and host not in self.world.extra:
            raise ValueError(f"unknown host {host!r}")
