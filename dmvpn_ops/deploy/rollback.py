"""Return a host to its backup: `configure replace` from flash, else the inverse remediation; then check."""
from __future__ import annotations

from dataclasses import dataclass

from hier_config import WorkflowRemediation

from dmvpn_ops.deploy.push import FLASH_BACKUP, Connection, ios_error, running_config
from dmvpn_ops.deploy.quirks import clean_running
from dmvpn_ops.deploy.remediation import differences, parse_config
from dmvpn_ops.secrets import mask

__all__ = ["RollbackOutcome", "rollback", "inverse_commands", "same_config"]


@dataclass(frozen=True)
class RollbackOutcome:
    """How the host went back and whether its running config now equals the backup."""

    method: str  # "configure replace" | "inverse remediation" | "none"
    ok: bool
    detail: str = ""  # masked

    def __bool__(self) -> bool:
        raise TypeError("use RollbackOutcome.ok, not truthiness")


def same_config(running: str, backup: str) -> bool:
    """Running equals the backup, ignoring only the volatile header lines."""
    return _body(running) == _body(backup)


def _body(text: str) -> list[str]:
    return [ln for ln in clean_running(text).splitlines() if ln.strip() and ln.strip() != "!"]


def inverse_commands(current: str, backup: str) -> list[str]:
    """Every command taking ``current`` back to ``backup`` (whole config, not scoped)."""
    workflow = WorkflowRemediation(parse_config(current), parse_config(backup))
    return [child.cisco_style_text() for child in workflow.remediation_config.all_children_sorted()]


def _replace(conn: Connection, timeout: float) -> str | None:
    """`configure replace flash:<backup> force`; the IOS error if it refused."""
    out = str(conn.send_command(f"configure replace flash:{FLASH_BACKUP} force",
                                read_timeout=max(timeout, 30)))
    return ios_error(out) or (mask(out.strip()) if "Rollback Done" not in out and "rror" in out else None)


def _inverse(conn: Connection, backup: str, timeout: float) -> None:
    commands = inverse_commands(running_config(conn, timeout), backup)
    if commands:
        # no error pattern: apply every line we can, the equality check below decides
        conn.send_config_set(commands, read_timeout=timeout)


def rollback(conn: Connection, backup: str, timeout: float, *, flash: bool,
             reverting: bool = False) -> RollbackOutcome:
    """Put the backup back and verify running == backup.

    Args:
        conn: an open connection to the host.
        backup: the running config saved before the change.
        timeout: read timeout per command.
        flash: the backup was copied to flash (``configure replace`` possible).
        reverting: a `configure terminal revert timer` is pending (stopped once restored).
    """
    method, detail = "inverse remediation", ""
    if flash:
        refused = _replace(conn, timeout)
        if refused is None:
            method = "configure replace"
        else:
            detail = f"configure replace refused ({refused}); "
    current = running_config(conn, timeout)
    if not same_config(current, backup):
        method = "inverse remediation"
        _inverse(conn, backup, timeout)
        current = running_config(conn, timeout)
    if reverting:
        conn.send_command("configure confirm", read_timeout=timeout)  # the snapshot is what we restored
    if same_config(current, backup):
        return RollbackOutcome(method, True, detail.strip())
    left = "; ".join(differences(current, backup)[:5])
    return RollbackOutcome(method, False, mask(f"{detail}running config still differs: {left}"))
