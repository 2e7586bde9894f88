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
from dataclasses import dataclass
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


@dataclass
class _Run:
    """One ``nr.run`` in flight (deploy prepares the next wave while it pushes this one)."""

    name: str
    total: int
    started: float
    last: float
    bar: TaskID
    done: int = 0


class HostProgress:
    """Progress of every Nornir task run: ``label task: done/total hosts``.

    Args:
        console: where to draw (stderr, so that ``--format json`` on stdout stays clean).
        label: the verb (``verify``, ``health``, ``deploy``).
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
        self._active: dict[str, _Run] = {}  # by task name: concurrent runs run different tasks
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
            total = len(task.nornir.inventory.hosts)  # the hosts this run really asks
            now = self.clock()
            run = _Run(task.name, total, now, now, self._bar.add_task(f"{self.label} {task.name}", total=total))
            self._active[task.name] = run
            if not self.terminal:
                self._line(run)

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        with self._lock:
            run = self._active.get(task.name)
            if run is None:
                return
            run.done += 1
            self._bar.update(run.bar, completed=run.done)
            if not self.terminal and self.clock() - run.last >= self.every:
                self._line(run)

    def task_completed(self, task: Task, result: AggregatedResult) -> None:
        with self._lock:
            run = self._active.pop(task.name, None)
            if run is None:
                return
            self.runs.append((run.name, run.done, run.total))
            self._bar.remove_task(run.bar)
            if not self.terminal:
                self._line(run)

    def task_instance_started(self, task: Task, host: Host) -> None:
        return None

    def subtask_instance_started(self, task: Task, host: Host) -> None:
        return None

    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        return None

    def _line(self, run: _Run) -> None:
        run.last = now = self.clock()
        self.console.print(f"{self.label} {run.name}: {run.done}/{run.total} hosts done "
                           f"({now - run.started:.0f}s)", highlight=False, soft_wrap=True)
