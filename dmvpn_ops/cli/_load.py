"""Loading the intent for a CLI verb: one place, one set of messages."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from dmvpn_ops.errors import InputError
from dmvpn_ops.intent import Design
from dmvpn_ops.lint import ensure_addressing

if TYPE_CHECKING:
    from dmvpn_ops.intent.source import IntentSource


def intent_source(inventory: Path, nornir_config: Path | None = None) -> IntentSource:
    """``-i DIR`` or ``--nornir-config FILE`` (the config wins when given): where the verb reads the intent."""
    from dmvpn_ops.intent.source import IntentSource

    return IntentSource(inventory, nornir_config)


def design_for(inventory: Path | IntentSource, *, check_addressing: bool = True,
               require_secrets: bool = True) -> Design:
    """Load the design; every verb but lint treats bad addressing as bad input (exit 2)."""
    source = intent_source(inventory) if isinstance(inventory, Path) else inventory
    design = source.design(require_secrets=require_secrets)
    if check_addressing:
        ensure_addressing(design)
    return design


def writable_file(path: Path | None, field: str) -> None:
    """Refuse, before anything connects, an output file that cannot be written (exit 2 naming it)."""
    if path is None:
        return
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError("is a directory; give a file name", file=str(path), field=field)
    if not parent.is_dir():
        raise InputError("the directory of this output file does not exist", file=str(path), field=field)
    if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError("cannot write here (permissions)", file=str(path), field=field)


def writable_dir(path: Path | None, field: str) -> None:
    """Create an output directory now (or refuse it, exit 2), so a bad path never fails after the run."""
    if path is None:
        return
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create this directory: {exc.strerror or exc}", file=str(path), field=field) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise InputError("cannot write in this directory (permissions)", file=str(path), field=field)


def write_output(path: Path, text: str, field: str) -> None:
    """Write a report file; a failure (ENOSPC, EIO) is exit 2 naming the path, never a traceback."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the report: {exc.strerror or exc}", file=str(path), field=field) from None


def read_capture(path: Path, field: str, limit: int = 64 * 1024 * 1024) -> str:
    """A saved capture: a regular file of at most ``limit`` bytes (never /dev/zero or a FIFO that blocks)."""
    from dmvpn_ops.intent.files import read_regular_file

    try:
        return read_regular_file(path, limit, errors="replace")  # captures may carry stray bytes
    except InputError as exc:
        raise InputError(exc.message, file=str(path), field=field) from None
