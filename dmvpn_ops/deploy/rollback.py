"""Return a host to its backup: `configure replace` from flash, else an inverse over owned lines; then prove it.

Why owned lines only: the inverse of a whole-config diff against a bad or partial backup removes what the tool
never touched (`no username`, `no line vty`, `no ip route`) and locks the operator out. The fallback therefore
only undoes objects the remediation changed; whatever still differs afterwards is shown to the operator
(manual-action-needed) instead of being "fixed" blindly.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from hier_config import WorkflowRemediation

from dmvpn_ops.deploy.push import Connection, exec_command, ios_error, running_config
from dmvpn_ops.deploy.quirks import clean_running
from dmvpn_ops.deploy.remediation import Remediation, parse_config
from dmvpn_ops.secrets import mask

__all__ = ["RollbackOutcome", "rollback", "inverse_commands", "same_config", "owned_tops", "config_diff"]


@dataclass(frozen=True)
class RollbackOutcome:
    """How the host went back and whether its running config now equals the backup."""

    method: str  # "configure replace" | "inverse over owned lines" | "none"
    ok: bool
    detail: str = ""  # masked
    diff: tuple[str, ...] = field(default_factory=tuple)  # masked unified diff backup -> running when not ok

    def __bool__(self) -> bool:
        raise TypeError("use RollbackOutcome.ok, not truthiness")


def same_config(running: str, backup: str) -> bool:
    """Running equals the backup, ignoring only the volatile header lines."""
    return _body(running) == _body(backup)


def _body(text: str) -> list[str]:
    return [ln for ln in clean_running(text).splitlines() if ln.strip() and ln.strip() != "!"]


def config_diff(before: str, after: str, before_name: str = "backup", after_name: str = "running") -> list[str]:
    """A masked ``diff -u`` of two configs (header and ``!`` lines ignored)."""
    lines = difflib.unified_diff(_body(before), _body(after), before_name, after_name, lineterm="", n=2)
    return [mask(line) for line in lines]


def _top(text: str) -> str:
    return text[3:] if text.startswith("no ") else text


def owned_tops(remediation: Remediation) -> set[str]:
    """Top-level objects the remediation touched (the only ones a fallback inverse may change)."""
    from dmvpn_ops.deploy.remediation import _key

    return {_key(_top(c.parent or c.line)) for c in remediation.changes}


def inverse_commands(current: str, backup: str, owned: Iterable[str]) -> list[str]:
    """Commands taking the ``owned`` objects of ``current`` back to ``backup``; nothing else is touched.

    The remediation's own ordering applies (referrers removed before what they reference: IOS refuses to
    delete a crypto profile a tunnel still uses).
    """
    from dmvpn_ops.deploy.remediation import _key, _lines

    keep = set(owned)
    backup_tree = parse_config(backup)
    scoped = WorkflowRemediation(parse_config(current), backup_tree).remediation_config.deep_copy()
    for top in tuple(scoped.children):
        if _key(_top(top.text)) not in keep:
            top.delete()
    return list(_lines(scoped, backup_tree))


def _replace(conn: Connection, flash_file: str, timeout: float) -> str | None:
    """`configure replace flash:<file> force`; the IOS error if it refused."""
    out = exec_command(conn, f"configure replace flash:{flash_file} force", timeout)
    if "Rollback Done" in out:
        return None
    return ios_error(out) or mask(out.strip()[:160] or "no 'Rollback Done'")


def rollback(conn: Connection, backup: str, timeout: float, *, flash_file: str | None,
             owned: Iterable[str], reverting: bool = False) -> RollbackOutcome:
    """Put the backup back and verify running == backup.

    Args:
        conn: an open connection to the host.
        backup: the running config saved before the change (validated by ``check_running``).
        timeout: read timeout per command (scaled by the caller for the size of the change).
        flash_file: the per-run copy of the backup on flash (``configure replace`` possible), or None.
        owned: top-level objects the fallback inverse may touch (``owned_tops``).
        reverting: a `configure terminal revert timer` is pending: stopped once restored, left running when
            not (it takes the device back to the pre-push config on its own).
    """
    method, detail = "none", ""
    if flash_file:
        refused = _replace(conn, flash_file, timeout)
        if refused is None:
            method = "configure replace"
        else:
            detail = f"configure replace refused ({refused}); "
    current = running_config(conn, timeout)
    if not same_config(current, backup):
        commands = inverse_commands(current, backup, owned)
        if commands:
            method = "inverse over owned lines"
            # no error pattern: apply every line we can, the equality check below decides
            conn.send_config_set(commands, read_timeout=timeout, cmd_verify=False)
            current = running_config(conn, timeout)
    if same_config(current, backup):
        if reverting:  # the restored config is the one to keep (a timer left running would "revert" it again)
            exec_command(conn, "configure confirm", timeout)
        return RollbackOutcome(method, True, detail.strip())
    diff = tuple(config_diff(backup, current))
    return RollbackOutcome(method, False, mask(f"{detail}running config still differs from the backup "
                                               f"({sum(1 for d in diff if d[:1] in '+-') - 2} line(s))"), diff)
