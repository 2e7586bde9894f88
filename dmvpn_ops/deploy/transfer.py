"""Files to the device's flash over SCP: the way a kept backup goes back for `configure replace`."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from dmvpn_ops.deploy.push import Connection
from dmvpn_ops.secrets import mask

__all__ = ["put_to_flash", "check_second_connection"]


def check_second_connection(conn: Any, host: str, timeout: float) -> None:
    """The host-key check before login, repeated for a further connection to ``conn``'s device (SCP).

    netmiko opens the SCP session as a new SSH connection with the session's parameters (``SCPConn``); the
    key may have changed since the session's own check (device swapped, someone on its address). The same
    key exchange as before the first login (``collect.hostkeys``) runs first, against the session's known_hosts
    file: a first contact was recorded when the session opened, so any key other than that one is refused
    (``strict``) and neither the password nor the backup reaches the other end. netmiko's ``ssh_strict`` on the
    SCP connection itself stays the second line. Host keys off (``--host-keys off``): nothing to check.

    Raises:
        HostKeyError: the key changed (or is not the one recorded): names host, address, both fingerprints.
        OSError, paramiko.SSHException: no SSH answer on the device's address.
    """
    import paramiko

    from dmvpn_ops.collect.hostkeys import check_host_key  # paramiko: loaded only when connecting

    # netmiko keeps ``ssh_strict`` as its paramiko policy and the known_hosts file as ``alt_key_file``
    known_hosts = getattr(conn, "alt_key_file", "") if getattr(conn, "alt_host_keys", False) else ""
    if not (isinstance(getattr(conn, "key_policy", None), paramiko.RejectPolicy) and known_hosts):
        return
    check_host_key(host, str(conn.host), int(conn.port or 22), policy="strict", known_hosts=Path(known_hosts),
                   timeout=timeout)


def put_to_flash(conn: Connection, text: str, name: str, timeout: float, *, host: str = "") -> str | None:
    """Copy ``text`` to ``flash:NAME`` over SCP (netmiko ``file_transfer``, MD5 checked); the reason if refused.

    Why SCP: a kept backup is a file here, not the device's running config, so `copy running-config` cannot
    put it back. IOS serves SCP only with `ip scp server enable` and privilege 15 (Cisco Security CR); a
    device without it refuses, and the caller falls back. The local copy holds secrets: mode 0600, removed.
    The SCP connection is a new one: its host key is checked first (``check_second_connection``).

    Raises:
        HostKeyError: the device's key changed since the session opened: nothing was sent.
    """
    from netmiko import file_transfer
    from paramiko.ssh_exception import SSHException

    try:
        check_second_connection(conn, host or str(getattr(conn, "host", "")), timeout)
    except (OSError, EOFError, SSHException) as exc:  # the key exchange found no SSH server: no transfer either
        return mask(f"no SSH answer for the SCP connection: {type(exc).__name__}: {exc}".strip()[:200])
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
