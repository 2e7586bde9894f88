"""Running-config backups: `.dmvpn-ops/backups/<host>/<timestamp>.cfg`, mode 0600, N generations."""
from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

__all__ = ["save_backup", "list_backups", "latest_backup", "read_backup", "check_running", "MIN_BYTES"]

# A real IOS running config is several hundred bytes even on a bare router (version, hostname, interfaces,
# line vty, end); a TACACS/parser-view account gets an empty answer, an error line or a truncated page.
MIN_BYTES = 200


def check_running(text: str, extra_errors: Sequence[str] = ()) -> str | None:
    """Why ``text`` is not a running config we can restore, or None when it looks like one.

    The backup is the proof a rollback restores: without a ``hostname`` line, interfaces, a final ``end``,
    a plausible size, and free of IOS/authorization error text, nothing is pushed to the host.
    """
    from dmvpn_ops.deploy.push import ios_error  # push imports this module's neighbours

    problem = ios_error(text, extra_errors)
    if problem:
        return f"`show running-config` answered with an error ({problem})"
    lines = [ln.rstrip() for ln in (text or "").splitlines()]
    if not any(ln.strip() for ln in lines):
        return "`show running-config` answered nothing (an account without the right to read it?)"
    missing = [what for what, ok in (
        ("a `hostname` line", any(re.match(r"^hostname \S+$", ln) for ln in lines)),
        ("an `interface` block", any(ln.startswith("interface ") for ln in lines)),
        ("the final `end`", [ln for ln in lines if ln.strip()][-1:] == ["end"]),
    ) if not ok]
    if missing:
        return f"`show running-config` output lacks {', '.join(missing)}: not a complete running config"
    if len(text.encode()) < MIN_BYTES:
        return f"`show running-config` output is only {len(text.encode())} bytes: not a complete running config"
    return None


def _host_dir(state_dir: Path, host: str) -> Path:
    path = Path(state_dir) / "backups" / host
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)  # mkdir's mode is masked by umask; backups hold real secrets
    return path


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")


def save_backup(state_dir: Path, host: str, text: str, keep: int = 10) -> Path:
    """Write ``text`` as a new backup generation (0600) and drop the oldest beyond ``keep``.

    Args:
        state_dir: the tool's state directory (``.dmvpn-ops``).
        host: inventory host name.
        text: the running config exactly as the device printed it.
        keep: generations kept per host (at least 1).

    Returns:
        The path written.
    """
    directory = _host_dir(state_dir, host)
    path = directory / f"{_stamp()}.cfg"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    for old in list_backups(state_dir, host)[:-max(1, keep)]:
        old.unlink(missing_ok=True)
    return path


def list_backups(state_dir: Path, host: str) -> list[Path]:
    """Backups of ``host``, oldest first."""
    directory = Path(state_dir) / "backups" / host
    return sorted(directory.glob("*.cfg")) if directory.is_dir() else []


def latest_backup(state_dir: Path, host: str) -> Path | None:
    backups = list_backups(state_dir, host)
    return backups[-1] if backups else None


def read_backup(path: Path) -> str:
    return Path(path).read_text(encoding="utf-8")
