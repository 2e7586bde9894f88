"""The deploy audit trail: `<state-dir>/audit.jsonl`, one JSON line per host per deploy (masked, 0600).

Why JSON lines appended with ``O_APPEND``: each line is one ``write`` (atomic for a local file), so a run killed
mid-way leaves whole lines, and an auditor can read it with ``jq`` as well as with ``dmvpn-ops audit``.
"""
from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from dmvpn_ops.deploy.model import HostDeploy
from dmvpn_ops.secrets import mask, mask_data

__all__ = ["AUDIT_FILE", "audit_path", "intent_hash", "entry", "append", "read_entries"]

AUDIT_FILE = "audit.jsonl"


def audit_path(state_dir: Path) -> Path:
    return Path(state_dir) / AUDIT_FILE


def intent_hash(masked_config: str) -> str:
    """sha256 of the host's rendered intent with secrets masked (a hash of clear secrets could be guessed)."""
    return "sha256:" + hashlib.sha256(mask(masked_config).encode()).hexdigest()


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def entry(record: HostDeploy, *, run_id: str, intent: str, interrupted: str | None) -> dict[str, Any]:
    """One audit line for ``record`` (every text masked)."""
    return {
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "user": _user(), "run_id": run_id,
        "host": record.host, "intent_hash": intent, "result": record.status,
        "lines_pushed": [mask(line) for line in record.commands[:record.pushed]],
        "revert": record.revert, "revert_at": record.revert_at, "backup": str(record.backup) if record.backup else None,
        "reason": mask(record.reason or "") or None, "rollback": mask(record.rollback or "") or None,
        "interrupted": interrupted,
    }


def append(state_dir: Path, lines: Iterable[Mapping[str, Any]]) -> Path:
    """Append one JSON line per mapping to the audit trail (created 0600)."""
    path = audit_path(state_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        for line in lines:
            # masked field by field, never over the JSON text (secrets.mask_data says why)
            os.write(fd, (json.dumps(mask_data(dict(line)), sort_keys=False) + "\n").encode())
    finally:
        os.close(fd)
    return path


def read_entries(state_dir: Path, host: str | None = None) -> list[dict[str, Any]]:
    """The audit lines, oldest first, optionally of one host; a torn last line is skipped."""
    path = audit_path(state_dir)
    if not path.exists():
        return []
    out: list[dict[str, Any]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(raw)
        except ValueError:
            continue
        if isinstance(item, dict) and (host is None or item.get("host") == host):
            out.append(item)
    return out
