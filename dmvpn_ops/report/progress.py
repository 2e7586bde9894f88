"""Hosts done / hosts asked while a run talks to devices: a bar on a terminal, a log line every N s off one.

A Nornir processor (``nr.with_processors([progress])``), so it counts what Nornir really ran: fast verify
asks the 2 hubs of a 1,000-spoke cloud and the bar says 2, not 1,002; a ``--limit`` or a filtered Nornir
shrinks it the same way. Each ``nr.run`` (collect, then probes) gets its own line. Nornir calls processors
from its worker threads, hence the lock.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    from nornir.core.inventory import Host
    from nornir.core.task import AggregatedResult, MultiResult, Task

__all__ = ["HostProgress", "DEFAULT_EVERY"]

# Nornir closes the sessions with a task of its own (on every host, asked or not): not progress to show.
_IGNORED = frozenset({"close_connections_task"})
DEFAULT_EVERY = 10.0
"""Seconds between two progress lines when the output is not a terminal (CI logs, cron mail)."""


class HostProgress:
    """Progress of every Nornir task run: ``label task: done/total hosts``.

    Args:
        console: where to draw (stderr, so that ``--format json`` on stdout stays clean).
        label: the verb (``verify``, ``health``).
        every: seconds between log lines off a terminal.
        clock: monotonic seconds (tests pass their own).
    """

    def __init__(self, console: Console, label: str, *, every: float = DEFAULT_EVERY,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.console, self.label, self.every, self.clock = console, label, every, clock
        self.terminal = console.is_terminal
        self._lock = threading.Lock()
        self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("hosts"), TimeElapsedColumn(), console=console, transient=True,
                             disable=not self.terminal)
        self._task: TaskID | None = None
        self._name, self._done, self._total = "", 0, 0
        self._started = self._last = 0.0
        self.runs: list[tuple[str, int, int]] = []  # (task, done, asked) of every finished run

    # --- context manager: the bar lives between __enter__ and __exit__ ------------------------
    def __enter__(self) -> HostProgress:
        self._bar.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._bar.stop()

    # --- the Nornir processor protocol ---------------------------------------------------------
    def task_started(self, task: Task) -> None:
        if task.name in _IGNORED:
            return
        with self._lock:
            self._name, self._done = task.name, 0
            self._total = len(task.nornir.inventory.hosts)  # the hosts this run really asks
            self._started = self._last = self.clock()
            self._task = self._bar.add_task(f"{self.label} {task.name}", total=self._total)
            if not self.terminal:
                self._line()

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        if task.name in _IGNORED:
            return
        with self._lock:
            self._done += 1
            if self._task is not None:
                self._bar.update(self._task, completed=self._done)
            if not self.terminal and self.clock() - self._last >= self.every:
                self._line()

    def task_completed(self, task: Task, result: AggregatedResult) -> None:
        if task.name in _IGNORED:
            return
        with self._lock:
            self.runs.append((self._name, self._done, self._total))
            if self._task is not None:
                self._bar.remove_task(self._task)
                self._task = None
            if not self.terminal:
                self._line()

    def task_instance_started(self, task: Task, host: Host) -> None:
        return None

    def subtask_instance_started(self, task: Task, host: Host) -> None:
        return None

    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        return None

    def _line(self) -> None:
        self._last = now = self.clock()
        self.console.print(f"{self.label} {self._name}: {self._done}/{self._total} hosts done "
                           f"({now - self._started:.0f}s)", highlight=False, soft_wrap=True)
