"""Deploy options and results: typed, masked, `.ok` properties, JSON-ready."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dmvpn_ops.deploy.blast import Disruption
from dmvpn_ops.deploy.plan import Wave

__all__ = ["DeployOptions", "HostDeploy", "DeployResult", "Status", "Event"]

Event = Callable[[str, str], None]  # (stage, host): progress bars, and fault injection in tests


class Status:
    """Per-host outcomes."""

    UNCHANGED = "unchanged"  # nothing to push
    PLANNED = "planned"  # dry-run: would push
    DEPLOYED = "deployed"  # pushed, confirmed, saved
    FAILED = "failed"  # push or gate failed; rolled back to the backup
    ROLLBACK_FAILED = "rollback-failed"  # and the rollback did not restore it
    UNREACHABLE = "unreachable"  # could not connect or log in
    BLOCKED = "blocked"  # disruptive change without --allow-disruptive
    SKIPPED = "skipped"  # rollout stopped, or every hub of its cloud failed

    GOOD = frozenset({UNCHANGED, PLANNED, DEPLOYED})


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
    revert_minutes: int = 5  # `configure terminal revert timer`; 0 = plain configure terminal
    state_dir: Path = Path(".dmvpn-ops")
    keep_backups: int = 10
    write_memory: bool = True
    on_event: Event | None = None


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
            "stale": self.stale,
        }


@dataclass
class DeployResult:
    """The whole run: hosts in plan order, the waves, and the exit code they imply."""

    hosts: dict[str, HostDeploy]
    waves: list[Wave]
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return all(h.ok for h in self.hosts.values())

    def __bool__(self) -> bool:
        raise TypeError("use DeployResult.ok, not truthiness")

    @property
    def exit_code(self) -> int:
        """3 if any host was unreachable, else 1 if any failed, was blocked or skipped, else 0."""
        if any(h.status == Status.UNREACHABLE for h in self.hosts.values()):
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
        }
