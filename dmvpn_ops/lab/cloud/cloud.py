"""The Cloud: the API the lab core calls (execute, inject, clear, clock, config_changed).

Events (config changes, faults) only mark the derivation dirty and note when they happened; the next
query recomputes once, with the clock pinned at the last event's time, so timers (hub cache expiry, hold
times) start when the event happened even if the clock was advanced before anyone looked. Timers
(a hub entry's hold time, a held SA's re-key or DPD death, a shortcut's expiry) likewise fire each at
its own time: a query after one long jump, or after several jumps with no query between them, replays
every deadline that ran out, in order, so the state depends on the lab clock only, never on when
someone looked.
"""
from __future__ import annotations

import logging
import math
from collections.abc import Callable

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.clock import Clock
from dmvpn_ops.lab.cloud import eventlog, nhrp
from dmvpn_ops.lab.cloud.commands import SHOW_COMMANDS, dispatch
from dmvpn_ops.lab.cloud.faults import KINDS
from dmvpn_ops.lab.cloud.rogue import add_rogue, remove_rogues
from dmvpn_ops.lab.cloud.state import Snapshot, compute
from dmvpn_ops.lab.cloud.world import World

log = logging.getLogger("dmvpn_ops.lab")
# what a show command prints when the model fails on it (logged with its traceback; the session goes on)
INTERNAL = "% Command failed: internal error in the emulator (logged)"
_MAX_STEPS = 10_000   # timers replayed in one catch-up (a bound, never reached by a real cloud)


class Cloud:
    """Shared DMVPN cloud model for all emulated routers.

    Args:
        design: the intent (only underlay facts are read from it: NAT, DHCP, roles).
        config_of: returns a router's current running-config text.
    """

    SHOW_COMMANDS: list[str] = SHOW_COMMANDS

    def __init__(self, design: Design, config_of: Callable[[str], str], clock: Clock | None = None) -> None:
        self.world = World(design, config_of, clock or Clock())
        self._snap: Snapshot | None = None
        self._deadline = float("inf")
        self._dirty_at: float | None = self.world.clock.now()
        self._derived_at = -math.inf   # the instant the current snapshot was derived "as of"
        self.recomputes = 0
        self._reloading: set[str] = set()    # routers `reload` powered off until they boot again
        self.world.clock.before_advance.append(self.settle)

    @property
    def clock(self) -> Clock:
        return self.world.clock

    def snapshot(self) -> Snapshot:
        """The current derivation: recomputed once after events, or when a timer expires."""
        if self._dirty_at is not None:
            with self.clock.pinned(self._dirty_at):
                self._recompute()
        if self._snap is None:
            self._recompute()
        self._catch_up()
        assert self._snap is not None
        return self._snap

    def _catch_up(self) -> None:
        """Fire every timer that ran out since the last derivation, each at its own instant."""
        for _ in range(_MAX_STEPS):
            at = self._deadline
            if self._snap is None or self.clock.now() < at:
                return
            if at <= self._derived_at:   # due before the snapshot's own instant: never derive backwards
                break
            with self.clock.pinned(at):
                self._recompute()
            if self._deadline <= at:   # a timer that does not move on: derive now and stop
                break
        self._recompute()

    def _recompute(self) -> None:
        self._dirty_at = None
        self._derived_at = self.clock.now()
        self._snap = compute(self.world)
        self._deadline = nhrp.next_deadline(self.world)
        self.recomputes += 1

    def settle(self) -> None:
        """Apply pending events at their own time (the clock is about to jump)."""
        if self._dirty_at is not None:
            self.snapshot()

    def _before_fault_change(self) -> None:
        """Pending events, then every timer that ran out, fire under the faults they ran out under (a hub
        powered off for 300 s is still off when its cache entries age out; the clear comes after)."""
        self.settle()
        self._catch_up()

    def _event(self) -> None:
        if self._dirty_at is None:
            self._catch_up()   # timers that ran out before the event fire first, at their time
        self._dirty_at = self.clock.now()

    def config_changed(self, host: str) -> None:
        self.world.forget(host)
        self._event()

    def execute(self, host: str, command: str) -> str | None:
        """Run a canonical exec command on ``host``; None when the cloud does not handle it."""
        if host not in self.world.router_set():
            return None
        try:
            return dispatch(self, host, " ".join(command.split()))
        except Exception:
            log.exception("cloud model failed on %r at %s", command, host)
            self._snap, self._dirty_at = None, self.clock.now()  # recompute from scratch next time
            return INTERNAL

    def invalidate(self) -> None:
        self._event()

    def inject(self, kind: str, host: str) -> None:
        """Inject a fault; it takes effect now (timers it starts run from this instant)."""
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {', '.join(KINDS)}")
        self._check_host(host)
        self._before_fault_change()
        self.world.faults.add(kind, host)
        if kind == "rogue-spoke":
            add_rogue(self.world, host)
        self._event()
        self.snapshot()

    def clear(self, host: str | None) -> None:
        if host is not None:
            self._check_host(host)
        self._before_fault_change()
        self.world.faults.clear(host)
        remove_rogues(self.world, host)
        self._event()
        self.snapshot()

    def is_down(self, host: str) -> bool:
        return self.world.powered_off(host)

    def log(self, host: str, message: str) -> None:
        """A SYS line ``host`` prints now (config mode left over a vty): kept in its buffer."""
        self._check_host(host)
        eventlog.add(self.world, self.clock.now(), host, "sys", True, message)

    def reload_started(self, host: str) -> None:
        """`reload` confirmed: ``host`` goes down now, as if powered off (its peers lose it; a reloading
        router keeps nothing of its syslog buffer, which lives in RAM)."""
        self._check_host(host)
        if not self.world.powered_off(host):
            self._before_fault_change()
            self.world.faults.add("hub-down", host)
            self._reloading.add(host)
            self._event()
            self.snapshot()

    def reload_done(self, host: str) -> None:
        """``host`` has booted its startup config: it powers on and logs what IOS prints at boot."""
        if host in self._reloading:
            self._before_fault_change()
            self._reloading.discard(host)
            self.world.faults.discard("hub-down", host)
            self._event()
            self.snapshot()

    def _check_host(self, host: str) -> None:
        if host not in self.world.router_set():
            raise ValueError(f"unknown host {host!r}")
