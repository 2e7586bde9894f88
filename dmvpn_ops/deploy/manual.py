"""`dmvpn-ops rollback`: return one host to one of its kept backups, touching only what dmvpn-ops owns.

The backup must still be proof (``check_running``); the device is brought back by the inverse over the owned
objects (the intent's top-level objects and DMVPN objects only), then running == backup is checked. What still
differs is shown (manual-action-needed), never "fixed" by removing lines the tool does not own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dmvpn_ops.deploy.backup import check_running, latest_backup, list_backups, read_backup
from dmvpn_ops.deploy.model import Status
from dmvpn_ops.deploy.push import running_config
from dmvpn_ops.deploy.remediation import _PRUNABLE, _key, parse_config  # same stage: one ownership rule
from dmvpn_ops.deploy.rollback import config_diff, inverse_commands, rollback, same_config
from dmvpn_ops.errors import InputError
from dmvpn_ops.secrets import mask

__all__ = ["HostRollback", "pick_backup", "owned_objects", "rollback_host"]


@dataclass
class HostRollback:
    """What `dmvpn-ops rollback` did (or would do) on one host; every text masked."""

    host: str
    backup: Path
    dry_run: bool
    status: str = Status.UNCHANGED
    diff: list[str] = field(default_factory=list)  # running -> backup
    commands: list[str] = field(default_factory=list)
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"host": self.host, "backup": str(self.backup), "dry_run": self.dry_run, "status": self.status,
                "diff": self.diff, "commands": self.commands, "detail": self.detail}


def pick_backup(state_dir: Path, host: str, to: Path | None) -> Path:
    """``to`` (one of the host's kept backups, by path or file name) or the newest one.

    Raises:
        InputError: no backup, or ``to`` is not one of this host's backups.
    """
    kept = list_backups(state_dir, host)
    if to is None:
        newest = latest_backup(state_dir, host)
        if newest is None:
            raise InputError(f"no kept backup for {host}", file=str(Path(state_dir) / "backups" / host),
                             host=host, field="--host", hint="a deploy keeps one per change")
        return newest
    for path in kept:
        if Path(to) == path or Path(to).name == path.name or Path(to).resolve() == path.resolve():
            return path
    names = ", ".join(p.name for p in kept) or "none"
    raise InputError(f"{to} is not a kept backup of {host} (kept: {names})", file=str(to), host=host, field="--to")


def owned_objects(intended: str, *configs: str) -> set[str]:
    """Top-level keys dmvpn-ops owns: the intent's objects plus DMVPN objects present in any of ``configs``."""
    owned = {_key(c.text) for c in parse_config(intended).children}
    for text in configs:
        owned |= {_key(c.text) for c in parse_config(text).children if _PRUNABLE.match(c.text)}
    return owned


def rollback_host(conn: Any, host: str, backup_path: Path, intended: str, *, dry_run: bool,
                  timeout: float) -> HostRollback:
    """Diff the host against ``backup_path`` and, unless ``dry_run``, restore the owned objects and check.

    Raises:
        InputError: the backup file is not a running config we can restore.
    """
    backup = read_backup(backup_path)
    problem = check_running(backup)
    if problem:
        raise InputError(f"backup is not proof: {problem}", file=str(backup_path), host=host, field="--to")
    current = running_config(conn, timeout)
    owned = owned_objects(intended, current, backup)
    out = HostRollback(host, backup_path, dry_run, diff=config_diff(current, backup, "running", "backup"),
                       commands=[mask(c) for c in inverse_commands(current, backup, owned)])
    if same_config(current, backup):
        return out
    if dry_run:
        out.status = Status.PLANNED
        return out
    outcome = rollback(conn, backup, timeout, flash_file=None, owned=owned)
    out.status = Status.FAILED if outcome.ok else Status.ROLLBACK_FAILED
    out.detail = f"{outcome.method}: " + ("running config equals backup" if outcome.ok else outcome.detail)
    if not outcome.ok:
        out.diff = list(outcome.diff)
    return out
