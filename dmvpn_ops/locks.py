"""Inventory/state-dir locks: one deploy (or health run) at a time, the holder named, freed by the kernel on crash.

Why fcntl and not an ``O_EXCL`` file: an ``flock`` belongs to the open file description, so the kernel drops it
when the holder exits for any reason (SIGKILL, OOM, power loss of the process) and there is no stale-pid guessing.
The lock file is never deleted (deleting it would let a second process lock a fresh inode while the first still
holds the old one); its content only describes the current holder for the refusal message.
"""
from __future__ import annotations

import fcntl
import getpass
import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from dmvpn_ops.errors import InputError

__all__ = ["Holder", "StateLock", "InventoryLocks", "LockHeld", "lock_path", "inventory_lock_dir"]


@dataclass(frozen=True)
class Holder:
    """Who holds a lock: enough for an operator to find and judge the other run."""

    pid: int
    user: str
    command: str
    started: str  # ISO 8601 UTC

    def describe(self) -> str:
        return f"pid {self.pid}, user {self.user}, started {self.started}, command: {self.command}"

    @classmethod
    def current(cls) -> Holder:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry (containers)
            user = str(os.getuid())
        command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv else "python"
        return cls(os.getpid(), user, command[:300],
                   datetime.now(timezone.utc).isoformat(timespec="seconds"))


class LockHeld(InputError):
    """Another process holds the lock (exit 2, the holder named)."""

    def __init__(self, message: str, *, holder: Holder | None, file: str) -> None:
        self.holder = holder
        super().__init__(message, file=file,
                         hint="wait for that run to finish; the lock is released as soon as it exits")


def lock_path(state_dir: Path, name: str) -> Path:
    """``<state-dir>/locks/<name>.lock`` (``name`` like ``deploy`` or ``health``)."""
    return Path(state_dir) / "locks" / f"{name}.lock"


def inventory_lock_dir(inventory: Path) -> Path:
    """A per-user directory for locks keyed by an inventory's real path.

    Why not the state dir only: two operators' shells in different directories have different default state
    dirs but may deploy the same inventory; and the inventory itself may be read-only (a git checkout).
    """
    digest = hashlib.sha256(str(Path(inventory).resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"dmvpn-ops-{os.getuid()}" / "inventories" / digest


class InventoryLocks:
    """Both locks a change takes: its state dir's and its inventory's (whichever is held names its holder)."""

    def __init__(self, inventory: Path, state_dir: Path, name: str, *, what: str | None = None) -> None:
        self.locks = [StateLock(state_dir, name, what=what), StateLock(inventory_lock_dir(inventory), name, what=what)]

    def acquire(self) -> None:
        taken: list[StateLock] = []
        try:
            for lock in self.locks:
                lock.acquire()
                taken.append(lock)
        except LockHeld:
            for lock in taken:
                lock.release()
            raise

    def release(self) -> None:
        for lock in reversed(self.locks):
            lock.release()


class StateLock:
    """Exclusive, non-blocking ``flock`` on ``<state-dir>/locks/<name>.lock``.

    Usage::

        with StateLock(state_dir, "deploy", what="deploy"):
            ...

    Raises:
        LockHeld: on enter, when another process holds the lock.
    """

    def __init__(self, state_dir: Path, name: str, *, what: str | None = None) -> None:
        self.path = lock_path(state_dir, name)
        self.what = what or name
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            holder = self.holder()
            who = holder.describe() if holder else "a process that has not written its name yet"
            raise LockHeld(f"another {self.what} is running on this inventory ({who})",
                           holder=holder, file=str(self.path)) from None
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(Holder.current().__dict__).encode() + b"\n")
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)  # no stale holder text for the next reader
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None

    def holder(self) -> Holder | None:
        """The holder recorded in the lock file, if it wrote one (it may be mid-write)."""
        for _ in range(3):
            try:
                data = json.loads(self.path.read_text(encoding="utf-8") or "null")
                if isinstance(data, dict):
                    return Holder(int(data["pid"]), str(data["user"]), str(data["command"]),
                                  str(data["started"]))
                return None
            except (OSError, ValueError, KeyError, TypeError):
                time.sleep(0.05)  # half-written: the holder writes right after locking
        return None

    def __enter__(self) -> StateLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
