"""`dmvpn-ops rollback`: return one host to one of its kept backups, touching only what dmvpn-ops owns.

The backup must still be proof (``check_running``); it is copied to a unique flash file (SCP) and put back with
`configure replace flash:<file> force`, the file removed; only when the transfer or the replace is refused is the
device brought back by the inverse over the owned objects (the intent's top-level objects and DMVPN objects
only). Either way running == backup is checked, and the detail says which path was taken. What still
differs is shown (manual-action-needed), never "fixed" by removing lines the tool does not own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dmvpn_ops.deploy.backup import check_running, latest_backup, list_backups, read_backup
from dmvpn_ops.deploy.deploy import new_run_id
from dmvpn_ops.deploy.model import Status
from dmvpn_ops.deploy.push import delete_flash, flash_name, running_config
from dmvpn_ops.deploy.quirks import clean_running
from dmvpn_ops.deploy.remediation import _PRUNABLE, _key, parse_config  # same stage: one ownership rule
from dmvpn_ops.deploy.rollback import RollbackOutcome, config_diff, inverse_commands, rollback, same_config
from dmvpn_ops.deploy.transfer import put_to_flash
from dmvpn_ops.errors import HostKeyError, InputError
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
    # the SCP connection met another host key than the session's (named in ``detail``): exit 3 as verify's
    # HOST_KEY_CHANGED, even when the owned objects were restored over the session opened before
    host_key_refused: bool = False

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


def _restore(conn: Any, host: str, backup: str, owned: set[str],
             timeout: float) -> tuple[RollbackOutcome, str, str, bool]:
    """`configure replace` from a unique flash copy of the backup, else the owned-objects inverse; the outcome,
    which path was taken (masked sentence), the flash file used by a replace that went in (or "") and whether
    the SCP connection was refused for its host key.

    The copy is removed afterwards whatever happened (a second rollback never meets it: its name is new). A
    changed host key on the SCP connection sends nothing there; the owned objects are then restored over the
    session whose key was checked when it opened.
    """
    name = flash_name(f"rollback-{new_run_id()}")
    try:
        refused = put_to_flash(conn, clean_running(backup), name, timeout, host=host)
        key_refused = False
    except HostKeyError as exc:
        refused, key_refused = f"{exc} (SCP connection refused before login: the backup was not sent)", True
    if refused is not None:
        outcome = rollback(conn, backup, timeout, flash_file=None, owned=owned)
        over = " over the session whose key was checked when it opened" if key_refused else ""
        return outcome, f"file transfer to flash refused: {refused}; owned objects restored instead{over}", "", key_refused
    try:
        outcome = rollback(conn, backup, timeout, flash_file=name, owned=owned)
    finally:
        removed = delete_flash(conn, name, timeout)
    where = f"flash:{name} " + ("removed" if removed else "NOT removed: delete it by hand")
    if outcome.detail.startswith("configure replace refused"):
        return outcome, f"{outcome.detail.split(';')[0]}, owned objects restored instead; {where}", "", False
    return outcome, where, name, False


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
    outcome, path, replaced, out.host_key_refused = _restore(conn, host, backup, owned, timeout)
    if replaced:  # what went to the device: the replace, not the owned inverse the dry run shows
        out.commands = [f"configure replace flash:{replaced} force"]
    out.status = Status.ROLLED_BACK if outcome.ok else Status.ROLLBACK_FAILED
    out.detail = f"{outcome.method} ({path}): " + ("running config equals backup" if outcome.ok else outcome.detail)
    if not outcome.ok:
        out.diff = list(outcome.diff)
    return out
