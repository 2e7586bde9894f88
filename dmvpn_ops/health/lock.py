"""A run lock so two health checks never overlap; a dead owner's lock is taken over."""
from __future__ import annotations

import errno
import json
import os
import socket
import time
from pathlib import Path
from types import TracebackType

from dmvpn_ops.errors import InputError


class RunLock:
    """Exclusive lock file holding the owner's pid; ``O_EXCL`` create, stale-pid takeover.

    A lock whose pid no longer runs (the process was killed) is stale and replaced, so a
    crashed nightly run never blocks the next one.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._held = False

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                owner = self._owner()
                if owner is not None and _alive(owner):
                    raise InputError(f"another health run (pid {owner}) holds the lock",
                                     file=str(self.path),
                                     hint="wait for it to finish; a lock of a dead process is taken over") from None
                self.path.unlink(missing_ok=True)  # stale: its owner is gone
                continue
            with os.fdopen(fd, "w") as handle:
                json.dump({"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}, handle)
            self._held = True
            return
        raise InputError("could not take the lock", file=str(self.path))

    def release(self) -> None:
        if self._held:
            self.path.unlink(missing_ok=True)
            self._held = False

    def _owner(self) -> int | None:
        try:
            return int(json.loads(self.path.read_text())["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # half-written or garbage: treat as stale

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.EPERM
    return True
