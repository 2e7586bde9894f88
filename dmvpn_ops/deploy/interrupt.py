"""SIGINT/SIGTERM during a deploy: stop starting hosts, let those in flight finish or roll back, then report.

Why our own handlers: typer turns KeyboardInterrupt into ``Exit(130)`` deep inside the run, so a plain
``except KeyboardInterrupt`` never sees it and hosts are left half-done with nothing said. The first signal
only sets a flag the deploy checks between steps (bounded: the gate ends at once, unconfirmed hosts roll back);
a second one calls ``on_abandon`` (which names what it abandons) and exits at once.
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["StopFlag", "handle_signals", "EXIT_CODES"]

EXIT_CODES = {"SIGINT": 130, "SIGTERM": 143}  # 128 + signal number, as shells report it


class StopFlag:
    """Set once by the first signal; read by every task before it starts something new."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason: str | None = None

    def set(self, reason: str) -> None:
        if not self._event.is_set():
            self.reason = reason
            self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    __call__ = is_set


@contextmanager
def handle_signals(flag: StopFlag, on_first: Callable[[str], None],
                   on_abandon: Callable[[str], None]) -> Iterator[StopFlag]:
    """Route SIGINT/SIGTERM to ``flag`` for the duration (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if flag.is_set():
            on_abandon(name)
            return
        flag.set(name)
        on_first(name)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield flag
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
