"""SSH host keys: an OpenSSH known_hosts file, trust on first use, and the check before any login.

The check runs a bare SSH key exchange (paramiko Transport, no authentication) so that an impostor
on a device's address never receives the password: the key is compared with known_hosts first.
Entries are OpenSSH lines (``[addr]:port`` for ports other than 22, as ``ssh`` and paramiko write
them) with the inventory host name as the comment, so ``known-hosts forget HOST`` can find them.
"""
from __future__ import annotations

import base64
import fcntl
import hashlib
import os
import socket
import threading
from collections.abc import Iterable
from pathlib import Path

import paramiko
from paramiko.hostkeys import HostKeys

from dmvpn_ops.errors import HostKeyError

__all__ = ["KnownHosts", "check_host_key", "fingerprint", "entry_name", "fetch_host_key"]

_write_lock = threading.Lock()


def entry_name(address: str, port: int) -> str:
    """OpenSSH's known_hosts name: ``addr`` on port 22, else ``[addr]:port``."""
    return address if port == 22 else f"[{address}]:{port}"


def fingerprint(key: paramiko.PKey) -> str:
    """``SHA256:...`` as ``ssh-keygen -lf`` prints it."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


class KnownHosts:
    """One known_hosts file shared by every worker thread (and process: appends hold an fcntl lock)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def lookup(self, address: str, port: int) -> dict[str, paramiko.PKey]:
        """Key type -> key recorded for ``address:port`` (hashed entries included); {} if unknown."""
        keys = HostKeys()
        try:
            keys.load(str(self.path))
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError, paramiko.SSHException) as exc:
            raise HostKeyError(f"cannot read the known_hosts file: {exc}", file=str(self.path),
                               kind="unreadable") from exc
        found = keys.lookup(entry_name(address, port))
        return dict(found.items()) if found is not None else {}

    def add(self, address: str, port: int, key: paramiko.PKey, host: str) -> None:
        """Append one OpenSSH line (mode 0600 file, directory created).

        Raises:
            HostKeyError: kind ``unwritable`` (the caller then does not log in).
        """
        line = f"{entry_name(address, port)} {key.get_name()} {key.get_base64()} dmvpn-ops:{host}\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with _write_lock:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                with os.fdopen(fd, "a") as out:
                    fcntl.flock(out, fcntl.LOCK_EX)
                    out.write(line)
        except OSError as exc:  # a key we cannot record is a key we will not trust (no login)
            raise HostKeyError(f"cannot record the SSH host key of {host} ({address}:{port}) in known_hosts: "
                               f"{exc.strerror or exc}", host=host, file=str(self.path), kind="unwritable",
                               new=fingerprint(key)) from None

    def forget(self, names: Iterable[str]) -> int:
        """Remove the lines for these hosts (inventory name in the comment, or ``[addr]:port``/addr)."""
        wanted = set(names)
        try:
            lines = self.path.read_text().splitlines(keepends=True)
        except FileNotFoundError:
            return 0
        keep = [line for line in lines if not _matches(line, wanted)]
        with _write_lock:
            tmp = self.path.with_name(self.path.name + ".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                out.writelines(keep)
            tmp.replace(self.path)
        return len(lines) - len(keep)


def _matches(line: str, wanted: set[str]) -> bool:
    fields = line.split()
    if len(fields) < 3 or line.lstrip().startswith("#"):
        return False
    names = set(fields[0].split(","))
    comment = {f.removeprefix("dmvpn-ops:") for f in fields[3:] if f.startswith("dmvpn-ops:")}
    return bool((names | comment) & wanted)


def fetch_host_key(address: str, port: int, timeout: float, prefer: Iterable[str] = ()) -> paramiko.PKey:
    """The server's host key from a key exchange only: nothing is authenticated, no secret is sent."""
    sock = socket.create_connection((address, port), timeout=timeout)
    transport = paramiko.Transport(sock)
    try:
        transport.banner_timeout = timeout
        preferred = [k for k in prefer if k in transport.get_security_options().key_types]
        if preferred:  # ask for the key type we know, as OpenSSH does (else a 2nd key type looks "changed")
            options = transport.get_security_options()
            options.key_types = preferred + [k for k in options.key_types if k not in preferred]
        transport.start_client(timeout=timeout)
        return transport.get_remote_server_key()
    finally:
        transport.close()
        sock.close()


def check_host_key(host: str, address: str, port: int, *, policy: str, known_hosts: Path,
                   timeout: float) -> None:
    """Refuse a changed key (tofu, strict) or an unknown one (strict); record a first key (tofu).

    Raises:
        HostKeyError: kind ``changed`` (message names host, address, both fingerprints and the
            ``known-hosts forget`` command), ``unknown`` (strict) or ``unreadable``.
        OSError, paramiko.SSHException: no SSH answer (the caller classifies it as unreachable).
    """
    if policy == "off":
        return
    store = KnownHosts(known_hosts)
    known = store.lookup(address, port)
    key = fetch_host_key(address, port, timeout, prefer=list(known))
    if known:
        old = known.get(key.get_name()) or next(iter(known.values()))
        if old != key:
            raise HostKeyError(
                f"the SSH host key of {host} ({address}:{port}) has changed: known {fingerprint(old)}, "
                f"now {fingerprint(key)}; refusing to log in (someone may be impersonating the device)",
                host=host, file=str(known_hosts), kind="changed", old=fingerprint(old), new=fingerprint(key),
                hint=f"if the device was replaced or its key regenerated, `dmvpn-ops known-hosts forget {host}` "
                     "and run again")
        return
    if policy == "strict":
        raise HostKeyError(f"the SSH host key of {host} ({address}:{port}) is not in known_hosts "
                           f"({fingerprint(key)}); --host-keys strict refuses unknown keys",
                           host=host, file=str(known_hosts), kind="unknown", new=fingerprint(key),
                           hint=f"add it with `ssh-keyscan -p {port} {address} >> {known_hosts}` after "
                                "checking the fingerprint, or run once with --host-keys tofu")
    store.add(address, port, key, host)
