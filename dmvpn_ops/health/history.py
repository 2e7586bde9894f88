"""Health history: one JSON file per run, written atomically (temp file + rename + fsync).

One file per run (not one appended file) means a crash mid-write can at worst leave a stray
temp file, never a truncated history; readers skip anything that does not parse.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from dmvpn_ops.errors import InputError
from dmvpn_ops.secrets import mask_data

_PREFIX = "run-"


class HistoryStore(Protocol):
    def append(self, record: dict[str, Any]) -> Path: ...
    def records(self) -> list[dict[str, Any]]: ...
    def prune(self, keep_days: int, now: float | None = None) -> int: ...


def atomic_write(path: Path, text: str, mode: int = 0o644) -> None:
    """Write ``text`` so readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class JsonDirHistory:
    """History as ``run-<epoch-ms>.json`` files in a directory."""

    directory: Path

    def append(self, record: dict[str, Any]) -> Path:
        stamp = int(float(record.get("timestamp", time.time())) * 1000)
        path = self.directory / f"{_PREFIX}{stamp:015d}.json"
        try:
            # masked field by field, then serialized: never mask() over JSON text (secrets.mask_data says why)
            atomic_write(path, json.dumps(mask_data(record), indent=1, sort_keys=True) + "\n")
        except OSError as exc:  # ENOSPC, EROFS, EACCES: the run is lost, say where and why (exit 2)
            raise InputError(f"cannot write the health record: {exc.strerror or exc}", file=str(path),
                             field="--history", hint="free space or fix permissions; nothing was recorded") from None
        return path

    def _files(self) -> Iterator[Path]:
        if self.directory.is_dir():
            yield from sorted(self.directory.glob(f"{_PREFIX}*.json"))

    def records(self) -> list[dict[str, Any]]:
        """Every readable record, oldest first; unreadable files are skipped, not fatal."""
        return [record for _, record in self.entries() if record is not None]

    def entries(self) -> Iterator[tuple[Path, dict[str, Any] | None]]:
        """(file, record) per run file, oldest first; the record is None when the file does not parse."""
        for path in self._files():
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError, RecursionError):
                record = None
            yield path, record if isinstance(record, dict) else None

    def prune(self, keep_days: int, now: float | None = None) -> int:
        """Delete runs older than ``keep_days``; returns how many were removed."""
        cutoff = (now if now is not None else time.time()) - keep_days * 86400
        removed = 0
        for path in self._files():
            try:
                stamp = int(path.stem[len(_PREFIX):]) / 1000
            except ValueError:
                continue
            if stamp < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        for stray in self.directory.glob(".run-*.tmp") if self.directory.is_dir() else ():
            if stray.stat().st_mtime < cutoff:
                stray.unlink(missing_ok=True)
        return removed
