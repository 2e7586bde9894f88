"""Opening a device session: host-key check before login, masked 0600 session logs, untrusted output cleaned.

Every stage that talks to a device (collect, probes, deploy) opens its netmiko session through
:func:`connection`, so the host-key policy and the session log apply to all of them alike.
"""
from __future__ import annotations

import io
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dmvpn_ops.secrets import mask

if TYPE_CHECKING:
    from nornir.core.configuration import Config
    from nornir.core.inventory import Host

__all__ = ["connection", "clean_output", "Cleaned", "MaskedLog", "session_log", "MAX_LINE", "MAX_OUTPUT"]

log = logging.getLogger("dmvpn_ops.collect")

# Far beyond anything IOS prints for the commands we send (a 1,000-spoke hub's `show dmvpn detail` is
# ~0.5 MB; `show running-config` lines stay under 300 columns, banners aside), far below what would
# make a report unusable (a 1 MB line became 22 MB of table output).
MAX_LINE = 4096
MAX_OUTPUT = 16 * 1024 * 1024

# ANSI CSI/OSC sequences and every C0 control but TAB/LF, plus DEL and C1 (a hostile or broken
# terminal server can emit them; they would rewrite a operator's terminal if printed).
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Cleaned:
    """Output made safe to keep and print; ``too_large`` says why it must not be parsed."""

    text: str
    too_large: str | None = None


def clean_output(text: str, *, max_line: int = MAX_LINE, max_output: int = MAX_OUTPUT) -> Cleaned:
    """Strip ANSI/control bytes; cap the size and each line's length (the cut is reported, not parsed)."""
    reason = None
    if len(text) > max_output:
        reason = f"{len(text):,} characters (limit {max_output:,})"
        text = text[:max_output]
    text = _CONTROL.sub("", _ANSI.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
    lines = text.split("\n")
    longest = max((len(line) for line in lines), default=0)
    if longest > max_line:
        reason = reason or f"a line of {longest:,} characters (limit {max_line:,})"
        text = "\n".join(line[:max_line] + " [cut]" if len(line) > max_line else line for line in lines)
    return Cleaned(text, reason)


class MaskedLog(io.TextIOBase):
    """A netmiko session log that masks secrets line by line and is created 0600.

    netmiko writes in arbitrary chunks; a secret split across two chunks must still be masked by
    position, so only complete lines are written (the rest at close).
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchmod(fd, 0o600)
        self._out = os.fdopen(fd, "w", encoding="utf-8", errors="replace")
        self._pending = ""

    def write(self, data: str) -> int:
        self._pending += data
        done, sep, rest = self._pending.rpartition("\n")
        if sep:
            self._out.write(mask(clean_output(done + "\n").text))
            self._out.flush()
            self._pending = rest
        return len(data)

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if not self._out.closed:
            if self._pending:
                self._out.write(mask(clean_output(self._pending).text))
            self._out.close()
        super().close()


def session_log(path: Path) -> Any:
    """A netmiko ``SessionLog`` writing through :class:`MaskedLog` (closed with the session)."""
    from netmiko.session_log import SessionLog

    class _Log(SessionLog):
        log_path = path

        def close(self) -> None:
            super().close()
            sink.close()

    sink = MaskedLog(path)
    return _Log(buffered_io=sink)  # type: ignore[arg-type]  # netmiko writes str to any TextIOBase sink


def connection(host: Host, config: Config) -> Any:
    """The host's netmiko session (``host.get_connection``), opened after its SSH host key passed the policy.

    Raises:
        HostKeyError: the key changed (tofu/strict) or is unknown (strict): no login was attempted.
        Exception: netmiko/paramiko/socket errors of the connection itself.
    """
    from dmvpn_ops.collect.hostkeys import check_host_key  # paramiko: loaded only when connecting
    from dmvpn_ops.intent.nornir import settings_of

    if "netmiko" in host.connections:
        return host.get_connection("netmiko", config)
    settings = settings_of(config)
    params = host.get_connection_parameters("netmiko")
    extras: dict[str, Any] = dict(params.extras or {})
    timeout = float(extras.get("conn_timeout") or 10)
    if settings is not None and settings.host_keys != "off":
        check_host_key(host.name, str(params.hostname), int(params.port or 22), policy=settings.host_keys,
                       known_hosts=settings.known_hosts, timeout=timeout)
    log_dir = settings.session_log if settings is not None else None
    inventory_log = extras.pop("session_log", None)
    inventory_log = getattr(inventory_log, "log_path", inventory_log)
    if log_dir is not None:
        extras["session_log"] = session_log(log_dir / f"{host.name}.log")
    elif isinstance(inventory_log, (str, Path)):  # extras.session_log from the inventory: masked, 0600 too
        extras["session_log"] = session_log(Path(inventory_log))
    if "netmiko" in host.connection_options:
        host.connection_options["netmiko"].extras = extras
    log.debug("%s: connecting to %s:%s", host.name, params.hostname, params.port)
    return host.get_connection("netmiko", config)
