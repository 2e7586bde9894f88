"""Run show commands over Nornir (one netmiko session per host), keep the raw text, parse it.

Device failures are data: a host that refuses login, times out or drops the session gets a
``HostCollection`` with ``error`` set (and whatever outputs arrived before), never an exception.
"""
from __future__ import annotations

import socket
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dmvpn_ops.collect.commands import commands_for
from dmvpn_ops.collect.session import clean_output, connection
from dmvpn_ops.errors import HostKeyError, InputError
from dmvpn_ops.intent.model import Design
from dmvpn_ops.parse import UnparseableOutput, parse
from dmvpn_ops.secrets import mask

if TYPE_CHECKING:  # Nornir loads when a collection runs, not when verify/report types are imported
    from nornir.core import Nornir
    from nornir.core.task import Result, Task

__all__ = ["HostCollection", "collect", "collect_task", "run_commands", "save_raw", "classify_error"]

DEFAULT_READ_TIMEOUT = 20.0


@dataclass
class HostCollection:
    """What one device answered: raw text and parsed records per command, or why it could not.

    ``error_kind`` is ``auth`` (refused login), ``unreachable`` (no TCP/SSH), ``timeout`` (no SSH
    answer in time), ``unresponsive`` (logged in, then stalled or paged forever), ``dropped``
    (session lost mid-run), ``host_key_changed`` / ``host_key_unknown`` (refused before login).
    ``too_large`` names the commands whose output exceeded the size/line caps (kept cut, not parsed).
    """

    host: str
    commands: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)  # masked (secrets.mask): safe to show or save
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    parse_errors: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    error_kind: str | None = None
    too_large: dict[str, str] = field(default_factory=dict)
    host_key: dict[str, str] = field(default_factory=dict)
    elapsed: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per answered command (send + parse)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.parse_errors

    @property
    def reachable(self) -> bool:
        return self.error is None

    def __repr__(self) -> str:
        """One line (nornir_utils' print_result shows it per host): counts, not the raw outputs."""
        records = sum(len(r) for r in self.records.values())
        state = f"error ({self.error_kind}): {self.error}" if self.error else "ok"
        bad = f", unparseable: {', '.join(sorted(self.parse_errors))}" if self.parse_errors else ""
        return (f"HostCollection({self.host}: {len(self.outputs)}/{len(self.commands)} commands, "
                f"{records} records, {state}{bad})")

    def get(self, command: str) -> list[dict[str, Any]] | None:
        """Parsed records of ``command``; None if it was not collected or did not parse."""
        return self.records.get(command)


def classify_error(exc: BaseException) -> str:
    """Map a netmiko/paramiko/socket exception to an error kind (see HostCollection)."""
    name = type(exc).__name__
    text = str(exc).lower()
    if isinstance(exc, HostKeyError):
        return "host_key_changed" if exc.kind == "changed" else "host_key_unknown"
    if name == "ReadTimeout":  # logged in, but the prompt never came back (stall, endless pager)
        return "unresponsive"
    if "Authentication" in name or "authentication" in text:
        return "auth"
    if name == "ReadTimeout" or "pattern not detected" in text or "read_timeout" in text:
        return "timeout"
    if isinstance(exc, (EOFError, BrokenPipeError, ConnectionResetError)) or "socket is closed" in text \
            or "closed" in text or name == "SSHException":
        return "dropped"
    if isinstance(exc, (socket.timeout, TimeoutError)) or "timed-out" in text or "timed out" in text:
        return "timeout"
    return "unreachable"


# What IOS answers instead of output when the account may not run a command: at a privilege level below
# the command's, the parser does not know it ("% Invalid input" with the ^ marker, Cisco IOS Configuration
# Fundamentals, "Using the CLI"); AAA command authorization and parser views answer these (Cisco IOS Security
# Configuration Guide, "Configuring TACACS+" / "Role-Based CLI Access").
_REFUSALS = ("% Invalid input detected at '^' marker.", "Command authorization failed.", "% Authorization failed.",
             "% Invalid command at '^' marker.", "% Unrecognized command")


def refusal(text: str) -> str | None:
    """The refusal line when ``text`` is IOS refusing the command (nothing else printed), else None."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip() and set(line.strip()) != {"^"}]
    if 0 < len(lines) <= 2 and any(line.startswith(r) for line in lines for r in _REFUSALS):
        return next(line for line in lines if any(line.startswith(r) for r in _REFUSALS))
    return None


def _describe(kind: str, exc: BaseException) -> str:
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
    if isinstance(exc, HostKeyError):
        return mask(exc.render())
    label = {"auth": "login refused", "timeout": "timed out", "dropped": "SSH session dropped",
             "unreachable": "cannot connect", "unresponsive": "logged in, then no prompt within the timeout "
             "(stalled session or a pager that never ends)"}[kind]
    return mask(clean_output(f"{label}: {first}"[:300]).text)


def run_commands(task: Task, commands: Iterable[str], *, read_timeout: float = DEFAULT_READ_TIMEOUT,
                 parse_output: bool = True) -> HostCollection:
    """Send ``commands`` on the host's (cached) netmiko session and parse each answer.

    Each answer is parsed as the device printed it and only its masked copy is kept (``outputs``): masking
    before parsing corrupted the text wherever a secret equals a token of the output (a PSK ``86400`` turned
    `Life/Active Time: 86400/...` into ``*****`` and `show crypto ikev2 sa` into UNPARSEABLE_OUTPUT, a PSK equal
    to an address replaced the address). The records are therefore exact and hold whatever the device printed;
    what leaves the process is masked where it leaves (reports and records via ``secrets.mask_data``, session
    logs, ``save_raw``).
    """
    name = task.host.name
    result = HostCollection(name, list(commands))
    start = time.monotonic()
    try:
        conn = connection(task.host, task.nornir.config)
        for command in result.commands:
            began = time.monotonic()
            cleaned = clean_output(conn.send_command(command, read_timeout=read_timeout))
            raw = cleaned.text  # parsed as the device printed it, never kept: only its masked copy is
            result.outputs[command] = mask(raw)
            refused = refusal(raw)
            if cleaned.too_large:  # never parse (nor act on) output we had to cut
                result.too_large[command] = mask(cleaned.too_large)
            elif refused:
                result.parse_errors[command] = mask(
                    f"the device refused the command ({refused}); a read-only account needs it in its "
                    "privilege level or parser view (docs/read-only-verify-account.md)")
            elif parse_output:
                try:
                    result.records[command] = parse(command, raw, host=name)
                except UnparseableOutput as exc:  # its reason quotes the offending line
                    result.parse_errors[command] = mask(exc.reason)
            result.timings[command] = time.monotonic() - began
    except Exception as exc:  # every device failure becomes data
        kind = classify_error(exc)
        result.error, result.error_kind = _describe(kind, exc), kind
        if isinstance(exc, HostKeyError):
            result.host_key = {k: v for k, v in (("known", exc.old), ("now", exc.new)) if v}
        _drop_connection(task)
    result.elapsed = time.monotonic() - start
    return result


def _drop_connection(task: Task) -> None:
    """Forget a broken session so a later call reconnects instead of reusing a dead socket."""
    try:
        task.host.close_connection("netmiko")
    except Exception:
        task.host.connections.pop("netmiko", None)


def collect_task(task: Task, commands: Mapping[str, list[str]],
                 read_timeout: float = DEFAULT_READ_TIMEOUT) -> Result:
    """Nornir task: run this host's commands; ``Result.result`` is its ``HostCollection``."""
    from nornir.core.task import Result

    collection = run_commands(task, commands.get(task.host.name, []), read_timeout=read_timeout)
    return Result(host=task.host, result=collection, failed=collection.error is not None)


def collect(nornir: Nornir, design: Design, hosts: Iterable[str] | None = None, *,
            commands: Mapping[str, list[str]] | None = None,
            read_timeout: float = DEFAULT_READ_TIMEOUT,
            save_raw_dir: str | Path | None = None) -> dict[str, HostCollection]:
    """Collect and parse the show commands of ``hosts`` (default: every host) in parallel.

    Args:
        nornir: from ``intent.nornir.load_nornir``; its runner sets the concurrency.
        design: the intent (which commands each host needs).
        hosts: host names to ask; others are not contacted.
        commands: per-host command lists overriding ``commands_for``.
        read_timeout: seconds one command may take before the host counts as timed out.
        save_raw_dir: also write every raw output there (``<dir>/<host>/<command>.txt``).

    Returns:
        host name -> HostCollection, for every asked host (failures included).
    """
    names = list(hosts) if hosts is not None else list(design.hosts)
    plan = {n: list(commands[n]) if commands and n in commands else commands_for(design.hosts[n])
            for n in names}
    selected = nornir.filter(filter_func=lambda h: h.name in plan)
    agg = selected.run(task=collect_task, commands=plan, read_timeout=read_timeout,
                       on_failed=True, raise_on_error=False)
    out: dict[str, HostCollection] = {}
    for name in names:
        multi = agg.get(name)
        value = multi[0].result if multi else None
        if isinstance(value, HostCollection):
            out[name] = value
        else:  # the task itself crashed (a bug, or nornir refused the host)
            exc = multi[0].exception if multi else None
            out[name] = HostCollection(name, plan[name], error=mask(f"collection failed: {exc}"),
                                       error_kind="unreachable")
    if save_raw_dir is not None:
        save_raw(out.values(), save_raw_dir)
    return out


def command_filename(command: str) -> str:
    """`show ip nhrp nhs` -> `show_ip_nhrp_nhs.txt` (what `dmvpn-ops parse` is given later)."""
    return "_".join(command.split()) + ".txt"


def save_raw(collections: Iterable[HostCollection], directory: str | Path) -> list[Path]:
    """Write each raw output to ``<directory>/<host>/<command>.txt``; returns the files written.

    Raises:
        InputError: a file cannot be written (exit 2 naming it).
    """
    written = []
    for coll in collections:
        folder = Path(directory) / coll.host
        for command, text in coll.outputs.items():
            path = folder / command_filename(command)
            try:
                folder.mkdir(parents=True, exist_ok=True)
                path.write_text(mask(text))
            except OSError as exc:  # ENOSPC, EACCES mid-run: name the file, exit 2 (never a traceback)
                raise InputError(f"cannot save the raw output: {exc.strerror or exc}", file=str(path),
                                 field="--save-raw") from None
            written.append(path)
    return written
