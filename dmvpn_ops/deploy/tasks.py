"""Per-host Nornir tasks of a deploy: prepare (backup + diff), push, observe, finalize, roll back."""
from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import Any

from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout
from nornir.core.task import Task
from paramiko.ssh_exception import SSHException

from dmvpn_ops.collect import connection
from dmvpn_ops.deploy import push
from dmvpn_ops.deploy.backup import save_backup
from dmvpn_ops.deploy.blast import classify
from dmvpn_ops.deploy.confirm import Expect, baseline
from dmvpn_ops.deploy.model import DeployOptions, HostDeploy, Status
from dmvpn_ops.deploy.remediation import Remediation, remediate
from dmvpn_ops.deploy.rollback import rollback
from dmvpn_ops.intent import Design
from dmvpn_ops.secrets import mask

__all__ = ["HostState", "prepare", "push_host", "observe", "finalize", "restore", "describe"]

# Connecting or logging in failed: the host is unreachable (exit 3), nothing was changed.
_UNREACHABLE = (NetmikoTimeoutException, NetmikoAuthenticationException, ConnectionError,
                socket.timeout, SSHException, EOFError)


@dataclass
class HostState:
    """What the tasks learn about one host, kept between waves (never shown unmasked)."""

    running: str = ""
    remediation: Remediation | None = None
    flash: bool = False
    reverting: bool = False
    baseline: list[Expect] = field(default_factory=list)


def describe(exc: BaseException, timeout: float) -> str:
    """A one-line, masked reason for an exception from netmiko/paramiko."""
    if isinstance(exc, ReadTimeout):
        return f"device did not answer within {timeout:g}s (slow device? raise --timeout)"
    if isinstance(exc, NetmikoAuthenticationException):
        return "login refused (authentication failed)"
    if isinstance(exc, NetmikoTimeoutException):
        return f"no SSH answer within {timeout:g}s (unreachable)"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return mask(f"{type(exc).__name__}: {text}".rstrip(": "))


def _emit(options: DeployOptions, stage: str, host: str) -> None:
    if options.on_event is not None:
        options.on_event(stage, host)


def _conn(task: Task) -> Any:
    return connection(task.host, task.nornir.config)  # host-key check first, masked session log


def prepare(task: Task, design: Design, intended: dict[str, str], options: DeployOptions,
            records: dict[str, HostDeploy], states: dict[str, HostState]) -> None:
    """Connect, read the running config, diff; unless dry-run, back it up locally and on flash."""
    name, record, state = task.host.name, records[task.host.name], states[task.host.name]
    _emit(options, "prepare", name)
    try:
        conn = _conn(task)
    except Exception as exc:
        record.status, record.reason = Status.UNREACHABLE, describe(exc, options.timeout)
        return
    try:
        _diff(conn, task, design, intended[name], options, record, state)
    except Exception as exc:
        unreachable = isinstance(exc, _UNREACHABLE) and not isinstance(exc, ReadTimeout)
        record.status = Status.UNREACHABLE if unreachable else Status.FAILED
        record.reason = "before any change: " + describe(exc, options.timeout)


def _diff(conn: Any, task: Task, design: Design, intended: str, options: DeployOptions,
          record: HostDeploy, state: HostState) -> None:
    name = task.host.name
    state.running = push.running_config(conn, options.timeout)
    state.remediation = remediate(state.running, intended, prune=options.prune)
    record.commands = state.remediation.masked()
    record.stale = [mask(s) for s in state.remediation.stale]
    record.disruptions = classify(design, name, state.remediation)
    if state.remediation.empty:
        record.status = Status.UNCHANGED
        return
    record.status = Status.PLANNED
    if options.dry_run:
        return
    if design.hosts[name].is_hub:
        state.baseline = baseline(name, push.show(conn, "show dmvpn", options.timeout))
    record.backup = save_backup(options.state_dir, name, state.running, options.keep_backups)
    state.flash = push.copy_running_to_flash(conn, options.timeout)


def push_host(task: Task, options: DeployOptions, records: dict[str, HostDeploy],
              states: dict[str, HostState]) -> None:
    """Push the remediation; on a rejected line or a lost session, roll back at once."""
    name, record, state = task.host.name, records[task.host.name], states[task.host.name]
    assert state.remediation is not None
    _emit(options, "push", name)
    try:
        _, state.reverting = push.push_lines(_conn(task), state.remediation.commands, options.timeout,
                                             options.revert_minutes)
        record.pushed = len(state.remediation.commands)
    except push.PushFailed as exc:
        record.pushed = exc.accepted
        restore(task, options, records, states, str(exc))
    except Exception as exc:
        restore(task, options, records, states, "push interrupted: " + describe(exc, options.timeout))


def observe(task: Task, design: Design, options: DeployOptions) -> dict[str, str]:
    """One look at the DMVPN state: a hub's `show dmvpn`, a spoke's `show ip nhrp nhs`."""
    command = "show dmvpn" if design.hosts[task.host.name].is_hub else "show ip nhrp nhs"
    try:
        return {command: push.show(_conn(task), command, options.timeout)}
    except Exception:
        return {command: ""}


def finalize(task: Task, options: DeployOptions, records: dict[str, HostDeploy],
             states: dict[str, HostState]) -> None:
    """The gate passed: stop the revert timer, then `write memory`."""
    name, record, state = task.host.name, records[task.host.name], states[task.host.name]
    try:
        conn = _conn(task)
        if state.reverting:
            push.confirm_commit(conn, options.timeout)
        if options.write_memory:
            push.write_memory(conn, options.timeout)
        record.status = Status.DEPLOYED
    except Exception as exc:
        record.status, record.reason = Status.FAILED, "deployed but not saved: " + describe(exc, options.timeout)
    _emit(options, "done", name)


def _fresh_conn(task: Task) -> Any:
    """A new session (the old one may have been cut mid-command)."""
    try:
        task.host.close_connection("netmiko")
    except Exception:
        task.host.connections.pop("netmiko", None)
    return _conn(task)


def restore(task: Task, options: DeployOptions, records: dict[str, HostDeploy],
            states: dict[str, HostState], reason: str) -> None:
    """Roll the host back to its backup and say how it went."""
    name, record, state = task.host.name, records[task.host.name], states[task.host.name]
    _emit(options, "rollback", name)
    record.reason = mask(reason)
    try:
        try:
            conn = _conn(task)
            conn.find_prompt()
        except Exception:
            conn = _fresh_conn(task)
        outcome = rollback(conn, state.running, options.timeout, flash=state.flash, reverting=state.reverting)
    except Exception as exc:
        record.status = Status.ROLLBACK_FAILED
        record.rollback = "could not roll back: " + describe(exc, options.timeout)
        return
    record.status = Status.FAILED if outcome.ok else Status.ROLLBACK_FAILED
    record.rollback = f"{outcome.method}: {'running config equals backup' if outcome.ok else outcome.detail}"
    _emit(options, "done", name)
