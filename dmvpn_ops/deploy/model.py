"""Deploy options and results: typed, masked, `.ok` properties, JSON-ready."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dmvpn_ops.deploy.blast import Disruption
from dmvpn_ops.deploy.interrupt import StopFlag
from dmvpn_ops.deploy.plan import Wave
from dmvpn_ops.errors import InputError

__all__ = ["DeployOptions", "HostDeploy", "DeployResult", "Status", "Revert", "Event", "PENDING_CHOICES"]

Event = Callable[[str, str], None]  # (stage, host): progress bars, and fault injection in tests
# What a deploy does with a revert timer already pending on a host (left by an interrupted run).
PENDING_CHOICES = ("report", "confirm", "revert")


class Status:
    """Per-host end states (DESIGN.md: deploy end states)."""

    UNCHANGED = "unchanged"  # nothing to push, no revert pending
    PLANNED = "planned"  # dry-run: would push
    DEPLOYED = "deployed"  # pushed, confirmed, saved
    ROLLED_BACK = "rolled-back"  # push, gate or `dmvpn-ops rollback`: back on the backup (running == backup checked)
    ROLLBACK_FAILED = "manual-action-needed"  # the rollback could not reach the backup: the diff is shown
    PENDING_REVERT = "pending-revert"  # a revert timer runs on the device (fires at `revert_at`)
    FAILED_BEFORE_CHANGE = "failed-before-change"  # bad backup, refused revert timer, ...: 0 lines sent
    UNREACHABLE = "unreachable"  # could not connect or log in
    # logged in, then no answer within the timeout while the host's state was still known (before any change:
    # 0 lines sent); verify calls the same DEVICE_UNRESPONSIVE. A stall mid-push goes through rollback instead.
    UNRESPONSIVE = "unresponsive"
    BLOCKED = "blocked"  # disruptive change without --allow-disruptive
    SKIPPED = "skipped"  # rollout stopped, or every hub of its cloud failed
    UNTOUCHED = "untouched"  # interrupted before this host started

    GOOD = frozenset({UNCHANGED, PLANNED, DEPLOYED})


class Revert:
    """Revert-timer states a host's report names."""

    NONE = "none"  # pushed without a timer (--no-revert-timer) or nothing pushed
    ARMED = "armed"  # `configure terminal revert timer N` accepted, not confirmed yet
    CONFIRMED = "confirmed"  # `configure confirm`: the change stays
    PENDING = "pending"  # still running on the device when this run ended (fires at `revert_at`)
    REVERTED = "reverted"  # `configure revert now` or a rollback cancelled it


@dataclass(frozen=True)
class DeployOptions:
    """What `dmvpn-ops deploy` was asked to do."""

    dry_run: bool = False
    limit: tuple[str, ...] | None = None
    batch_size: int = 5
    allow_disruptive: bool = False
    prune: bool = False
    timeout: float = 30.0  # seconds per device command
    confirm_timeout: float = 60.0  # seconds for the DMVPN gate
    revert_minutes: int = 5  # `configure terminal revert timer` (IOS: 1..120); 0 only with no_revert_timer
    no_revert_timer: bool = False  # push with plain `configure terminal` (operator's explicit choice)
    on_pending_revert: str = "report"  # PENDING_CHOICES: leave it and report, `configure confirm`, revert now
    line_timeout: float = 2.0  # extra seconds per pushed line: a push's timeout scales with its size
    rotate_secrets: bool = False  # a rotation: re-push type 6 secrets; the hub gate skips the other hubs
    state_dir: Path = Path(".dmvpn-ops")
    keep_backups: int = 10
    write_memory: bool = True
    error_patterns: tuple[str, ...] = ()  # extra regexes of device error text (per inventory)
    run_id: str = ""  # unique per run: names the flash backup
    stop: StopFlag | None = None  # set once SIGINT/SIGTERM asked to stop: no new host starts
    on_event: Event | None = None
    on_records: Callable[[dict[str, HostDeploy]], None] | None = None  # the live records (signal handler)

    def __post_init__(self) -> None:
        """IOS takes `revert timer <1-120>`; no timer at all must be asked for (``no_revert_timer``)."""
        if not self.no_revert_timer and not 1 <= self.revert_minutes <= 120:
            raise InputError(f"revert_minutes must be 1-120 (IOS `configure terminal revert timer <1-120>`), not "
                             f"{self.revert_minutes}; a push without a revert timer needs no_revert_timer "
                             "(--no-revert-timer)", field="--revert-minutes")
        if self.on_pending_revert not in PENDING_CHOICES:
            raise InputError(f"on_pending_revert must be one of {', '.join(PENDING_CHOICES)}",
                             field="--on-pending-revert")

    def block_timeout(self, lines: int) -> float:
        """Seconds to wait for a block of ``lines`` (a slow device is slow, not failed)."""
        return self.timeout + self.line_timeout * max(0, lines)

    def stopping(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def stop_reason(self) -> str | None:
        return self.stop.reason if self.stop is not None else None


@dataclass
class HostDeploy:
    """One host's deploy; every text field is masked."""

    host: str
    role: str
    status: str = Status.UNCHANGED
    commands: list[str] = field(default_factory=list)
    pushed: int = 0
    backup: Path | None = None
    reason: str | None = None
    rollback: str | None = None
    disruptions: list[Disruption] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    wave: str | None = None
    revert: str = Revert.NONE
    revert_at: str | None = None  # when a pending revert timer fires (device clock)
    diff: list[str] = field(default_factory=list)  # masked unified diff of the owned config
    manual_diff: list[str] = field(default_factory=list)  # masked: running vs backup when not restored
    pending_before: str | None = None  # a revert timer found pending before this run touched the host

    def end_state(self) -> str:
        """The one-line end state stderr names after an interrupted run."""
        if self.status == Status.PENDING_REVERT or self.revert in (Revert.ARMED, Revert.PENDING):
            return f"pending revert at {self.revert_at or 'unknown time'}"
        return self.status

    @property
    def ok(self) -> bool:
        return self.status in Status.GOOD

    def __bool__(self) -> bool:
        raise TypeError("use HostDeploy.ok, not truthiness")

    def to_dict(self) -> dict[str, Any]:
        return {
            "host": self.host, "role": self.role, "status": self.status, "wave": self.wave,
            "lines": len(self.commands), "pushed": self.pushed, "commands": self.commands,
            "backup": str(self.backup) if self.backup else None, "reason": self.reason,
            "rollback": self.rollback, "disruptive": [d.to_dict() for d in self.disruptions],
            "stale": self.stale, "revert": self.revert, "revert_at": self.revert_at, "diff": self.diff,
            "manual_diff": self.manual_diff, "pending_before": self.pending_before,
        }


@dataclass
class DeployResult:
    """The whole run: hosts in plan order, the waves, and the exit code they imply."""

    hosts: dict[str, HostDeploy]
    waves: list[Wave]
    dry_run: bool = False
    interrupted: str | None = None  # "SIGINT" / "SIGTERM" when a signal stopped the run

    @property
    def ok(self) -> bool:
        return all(h.ok for h in self.hosts.values())

    def __bool__(self) -> bool:
        raise TypeError("use DeployResult.ok, not truthiness")

    @property
    def exit_code(self) -> int:
        """3 if any host was unreachable or unresponsive (as verify), else 1 if any failed, was blocked or skipped, else 0."""
        if any(h.status in (Status.UNREACHABLE, Status.UNRESPONSIVE) for h in self.hosts.values()):
            return 3
        return 0 if self.ok else 1

    @property
    def lines_pushed(self) -> int:
        return sum(h.pushed for h in self.hosts.values())

    def to_dict(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for h in self.hosts.values():
            counts[h.status] = counts.get(h.status, 0) + 1
        return {
            "summary": {"dry_run": self.dry_run, "hosts": len(self.hosts), "lines_pushed": self.lines_pushed,
                        "exit_code": self.exit_code, **counts},
            "waves": [{"name": w.name, "kind": w.kind, "hosts": list(w.hosts)} for w in self.waves],
            "hosts": {name: h.to_dict() for name, h in self.hosts.items()},
            "interrupted": self.interrupted,
        }
