"""The nightly health run: lock, verify full with probes, record, compare with the last run, write reports."""
from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nornir.core import Nornir
from pydantic import ValidationError

from dmvpn_ops.errors import InputError
from dmvpn_ops.health.history import JsonDirHistory, atomic_write
from dmvpn_ops.health.lock import RunLock
from dmvpn_ops.health.record import HealthRecord, build_record
from dmvpn_ops.health.trend import Trend, compare
from dmvpn_ops.intent.model import Design
from dmvpn_ops.results import Finding, Severity
from dmvpn_ops.verify import VerifyResult, verify

__all__ = ["HealthOptions", "HealthRun", "run_health", "LOCK_NAME"]

LOCK_NAME = ".health.lock"


@dataclass
class HealthOptions:
    """What ``dmvpn-ops health`` asks for; ``now`` is injectable for tests."""

    history: Path
    mode: str = "full"
    probe: bool = True
    probe_pairs: int | None = None
    keep_days: int | None = None
    prom_file: Path | None = None
    junit_file: Path | None = None
    read_timeout: float = 20.0
    now: Callable[[], float] = time.time


@dataclass
class HealthRun:
    """One nightly run: the verify result, the stored record, the trend and where things were written."""

    result: VerifyResult
    record: HealthRecord
    previous: HealthRecord | None
    trend: Trend
    record_path: Path
    written: list[Path] = field(default_factory=list)
    pruned: int = 0
    history_findings: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        """The history's (clock, corrupt records) and the trend's findings; verify's are in ``result.findings``."""
        return self.history_findings + self.trend.findings()

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    @property
    def exit_code(self) -> int:
        """3 some device unreachable, 1 findings (verify's or the trend's), 0 all good."""
        if self.result.exit_code:
            return self.result.exit_code
        return 1 if any(f.severity is not Severity.INFO for f in self.findings) else 0


def _check(options: HealthOptions) -> None:
    if options.mode not in ("fast", "full"):
        raise InputError(f"unknown mode {options.mode!r}; use fast or full", field="--mode")
    if options.keep_days is not None and options.keep_days < 1:
        raise InputError("--keep-days must be at least 1", field="--keep-days")
    if options.history.exists() and not options.history.is_dir():
        raise InputError("the history path is not a directory", file=str(options.history), field="--history")
    try:
        options.history.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the history directory: {exc.strerror or exc}", file=str(options.history),
                         field="--history") from None
    if not os.access(options.history, os.W_OK | os.X_OK):
        raise InputError("the history directory is not writable", file=str(options.history), field="--history")
    for path, flag in ((options.prom_file, "--prom-file"), (options.junit_file, "--junit")):
        if path is not None and not (path.parent.is_dir() and os.access(path.parent, os.W_OK | os.X_OK)):
            raise InputError("the directory of this report file does not exist or is not writable",
                             file=str(path), field=flag)


# A record this much newer than now means the clock was stepped back (NTP, VM restore), not a slow run.
FUTURE_SLACK = 300.0


def _validated(raw: dict[str, Any] | None) -> tuple[HealthRecord | None, str]:
    """The record, or None and why not: the summary names the reason, so an operator knows what to fix."""
    if raw is None:
        return None, "not a JSON object"
    try:
        record = HealthRecord.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        return None, f"{'.'.join(str(part) for part in first['loc']) or 'record'}: {first['msg']}"
    if not math.isfinite(record.timestamp):
        return None, "timestamp is not a finite number"
    return record, ""


def usable_history(store: JsonDirHistory, now: float) -> tuple[list[HealthRecord], list[Finding]]:
    """Records the trend may compare with, and findings naming those it may not (never silently).

    Unreadable or invalid files (a NaN timestamp included) are named as HISTORY_CORRUPT; a record newer than
    ``now`` is CLOCK_SKEW: the trend ignores it (else a real flap after a clock step reads "0 flaps").
    """
    good, corrupt, future = [], [], []
    for path, raw in store.entries():
        record, why = _validated(raw)
        if record is None:
            corrupt.append(f"{path.name} ({why})")
        elif record.timestamp > now + FUTURE_SLACK:
            future.append(path.name)
        else:
            good.append(record)
    found = []
    if corrupt:
        found.append(Finding("HISTORY_CORRUPT", Severity.WARNING, f"{len(corrupt)} history record(s) could not be "
                             f"read and were skipped: {', '.join(corrupt[:10])}", observed=corrupt,
                             hint=f"inspect or delete them in {store.directory}"))
    if future:
        found.append(Finding("CLOCK_SKEW", Severity.WARNING, f"{len(future)} history record(s) are newer than now "
                             f"(the clock was stepped back?) and were ignored for the trend: {', '.join(future[:10])}",
                             observed=future, hint="check NTP on this machine; move the records away once "
                                                   "the clock is right"))
    return sorted(good, key=lambda r: r.timestamp), found


def _write_reports(run: HealthRun, options: HealthOptions) -> None:
    from dmvpn_ops.report.health import health_junit, health_prometheus

    # node_exporter reads the textfile directory at any moment: replace the file, never rewrite it.
    for path, render in ((options.prom_file, health_prometheus), (options.junit_file, health_junit)):
        if path is not None:
            try:
                atomic_write(path, render(run))
            except OSError as exc:  # the record is already stored: say which report is missing and why
                raise InputError(f"cannot write the report: {exc.strerror or exc}", file=str(path)) from None
            run.written.append(path)


def run_health(design: Design, nornir: Nornir, options: HealthOptions) -> HealthRun:
    """Run one nightly health check under the history's lock.

    Args:
        design: the intent (``cli._load.design_for``).
        nornir: ``intent.nornir.load_nornir`` over the same inventory.
        options: history directory, mode, probes, report files, retention.

    Returns:
        HealthRun; ``exit_code`` 0 clean, 1 findings or trend problems, 3 devices unreachable.

    Raises:
        InputError: bad options, or another health run holds the lock (exit 2).
    """
    _check(options)
    store = JsonDirHistory(options.history)
    with RunLock(options.history / LOCK_NAME):
        started = options.now()
        records, history_findings = usable_history(store, started)
        previous = records[-1] if records else None
        result = verify(design, nornir, mode=options.mode, probe=options.probe,
                        probe_pairs=options.probe_pairs, read_timeout=options.read_timeout)
        current = build_record(result, timestamp=started, inventory=str(design.inventory_dir or ""))
        trend, record = compare(previous, current)
        run = HealthRun(result, record, previous, trend, record_path=Path(), history_findings=history_findings)
        run.record = record.model_copy(update={"exit_code": run.exit_code})
        run.record_path = store.append(run.record.to_json())   # atomic: temp file + rename
        _write_reports(run, options)
        if options.keep_days is not None:
            run.pruned = store.prune(options.keep_days, now=options.now())
    return run
