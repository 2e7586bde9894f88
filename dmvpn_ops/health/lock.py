"""The health run lock: two nightly runs never overlap; a crashed run's lock is free at once (fcntl).

The lock is ``dmvpn_ops.locks.StateLock`` (an ``flock`` the kernel drops when its holder exits for any
reason), at ``<history>/.health.lock``: no pid is read to guess whether an owner still lives, so a
recycled pid can never block a run.
"""
from __future__ import annotations

from pathlib import Path

from dmvpn_ops.locks import LockHeld, StateLock

__all__ = ["RunLock", "LockHeld"]


class RunLock(StateLock):
    """Exclusive non-blocking lock on ``path``; ``with RunLock(path):`` raises LockHeld (exit 2) if held."""

    def __init__(self, path: Path) -> None:
        super().__init__(path.parent, "health", what="health run")
        self.path = path
