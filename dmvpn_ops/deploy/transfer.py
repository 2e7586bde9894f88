"""Files to the device's flash over SCP: the way a kept backup goes back for `configure replace`."""
from __future__ import annotations

import tempfile
from pathlib import Path

from dmvpn_ops.deploy.push import Connection
from dmvpn_ops.secrets import mask

__all__ = ["put_to_flash"]


def put_to_flash(conn: Connection, text: str, name: str, timeout: float) -> str | None:
    """Copy ``text`` to ``flash:NAME`` over SCP (netmiko ``file_transfer``, MD5 checked); the reason if refused.

    Why SCP: a kept backup is a file here, not the device's running config, so `copy running-config` cannot
    put it back. IOS serves SCP only with `ip scp server enable` and privilege 15 (Cisco Security CR); a
    device without it refuses, and the caller falls back. The local copy holds secrets: mode 0600, removed.
    """
    from netmiko import file_transfer

    with tempfile.TemporaryDirectory(prefix="dmvpn-ops-") as folder:
        local = Path(folder) / name
        local.touch(mode=0o600)
        local.write_text(text)
        try:
            done = file_transfer(conn, source_file=str(local), dest_file=name,  # type: ignore[arg-type]
                                 file_system="flash:", direction="put", socket_timeout=timeout)
        except Exception as exc:  # paramiko/netmiko/OS errors alike: the device refused or the link failed
            return mask(f"{type(exc).__name__}: {exc}".strip()[:200])
    return None if done.get("file_verified") else "the copy on flash does not match (MD5)"
