"""Per-host Nornir tasks of a deploy: prepare (timer check, backup proof, diff), push, observe, finalize, restore."""
from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from typing import Any

from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout
from nornir.core.task import Task
from paramiko.ssh_exception import SSHException

from dmvpn_ops.collect import connection
from dmvpn_ops.deploy import push
from dmvpn_ops.deploy.backup import check_running, save_backup
from dmvpn_ops.deploy.blast import classify
from dmvpn_ops.deploy.confirm import Expect, baseline, gate_command
from dmvpn_ops.deploy.diff import owned_diff
from dmvpn_ops.deploy.model import DeployOptions, HostDeploy, Revert, Status
from dmvpn_ops.deploy.remediation import Remediation, remediate
from dmvpn_ops.deploy.revert import ARCHIVE_FIX, SHOW_ARCHIVE, SHOW_TIMER, PendingRevert, archive_missing, parse_timer
from dmvpn_ops.deploy.rollback import owned_tops, rollback
from dmvpn_ops.deploy.secret_forms import align_secrets
from dmvpn_ops.intent import Design
from dmvpn_ops.secrets import mask

__all__ = ["HostState", "prepare", "push_host", "observe", "finalize", "restore", "describe", "error_patterns"]

# Connecting or logging in failed: the host is unreachable (exit 3), nothing was changed.
_UNREACHABLE = (NetmikoTimeoutException, NetmikoAuthenticationException, ConnectionError,
                socket.timeout, SSHException, EOFError)


@dataclass
class HostState:
    """What the tasks learn about one host, kept between waves (never shown unmasked)."""

    running: str = ""
    remediation: Remediation | None = None
    flash_file: str | None = None
    reverting: bool = False
    armed_local: str | None = None  # local clock when the revert timer was armed
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


def error_patterns(task: Task, options: DeployOptions) -> tuple[str, ...]:
    """The run's extra error regexes plus the inventory's ``data.deploy.error_patterns`` for this host."""
    deploy_data = task.host.get("deploy") or {}
    extra = deploy_data.get("error_patterns") if isinstance(deploy_data, dict) else None
    return options.error_patterns + tuple(str(p) for p in (extra or ()))


def _emit(options: DeployOptions, stage: str, host: str) -> None:
    if options.on_event is not None:
        options.on_event(stage, host)


def _conn(task: Task) -> Any:
    return connection(task.host, task.nornir.config)  # host-key check first, masked session log


def prepare(task: Task, design: Design, intended: dict[str, str], options: DeployOptions,
            records: dict[str, HostDeploy], states: dict[str, HostState]) -> None:
    """Connect, check for a pending revert, read and prove the running config, diff; back it up unless dry-run."""
    name, record, state = task.host.name, records[task.host.name], states[task.host.name]
    _emit(options, "prepare", name)
    if options.stopping():
        record.status, record.reason = Status.UNTOUCHED, "interrupted before this host started"
        return
    try:
        conn = _conn(task)
    except Exception as exc:  # a prompt that never came after login is unresponsive, not unreachable
        record.status = Status.UNRESPONSIVE if isinstance(exc, ReadTimeout) else Status.UNREACHABLE
        record.reason = describe(exc, options.timeout)
        return
    try:
        if _pending(conn, options, record):
            return
        no_archive = _no_archive(conn, options)
        if no_archive and not options.dry_run:
            record.status, record.reason = Status.FAILED_BEFORE_CHANGE, "before any change: " + no_archive
            return
        _diff(conn, task, design, intended[name], options, record, state)
        if no_archive and record.status in (Status.PLANNED, Status.UNCHANGED):  # the dry run says what a run does
            record.status = Status.FAILED_BEFORE_CHANGE
            record.reason = "dry run: a real deploy would fail this host before any change: " + no_archive
    except Exception as exc:
        record.status = _before_change(exc)
        record.reason = "before any change: " + describe(exc, options.timeout)


def _before_change(exc: BaseException) -> str:
    """The end state of a host that failed while nothing had changed on it (its state is known)."""
    if isinstance(exc, ReadTimeout):  # logged in, then silent: verify's DEVICE_UNRESPONSIVE
        return Status.UNRESPONSIVE
    return Status.UNREACHABLE if isinstance(exc, _UNREACHABLE) else Status.FAILED_BEFORE_CHANGE


def _timer(conn: Any, timeout: float) -> PendingRevert | None:
    """The pending revert timer, or None (also when the device cannot tell: it then refuses the timer)."""
    out = push.show(conn, SHOW_TIMER, timeout)
    if push.ios_error(out):
        return None
    try:
        return parse_timer(out)
    except ValueError:
        return None


def _pending(conn: Any, options: DeployOptions, record: HostDeploy) -> bool:
    """Handle a revert timer left pending (by an interrupted run): True when the host must stop here."""
    pending = _timer(conn, options.timeout)
    if pending is None:
        return False
    record.pending_before = (f"revert timer pending (armed {pending.configured} by {pending.user}, "
                             f"fires {pending.fires})")
    choice = options.on_pending_revert
    if options.dry_run and choice != "report":  # a dry run changes nothing on the device: it says what a run would
        done = "confirmed" if choice == "confirm" else "reverted"
        record.pending_before += f"; dry run: not {done} (a real run with --on-pending-revert {choice} would)"
    elif choice == "confirm":
        push.confirm_commit(conn, options.timeout)
        record.pending_before += "; confirmed (--on-pending-revert confirm)"
        return False
    elif choice == "revert":
        push.exec_command(conn, "configure revert now", options.block_timeout(100))
        record.pending_before += "; reverted now (--on-pending-revert revert)"
        return False
    record.status, record.revert, record.revert_at = Status.PENDING_REVERT, Revert.PENDING, pending.fires
    record.reason = (f"a revert timer is pending: the device goes back to its earlier config at {pending.fires}; "
                     "re-run with --on-pending-revert confirm (keep the current config) or revert (go back now)")
    return True


def _no_archive(conn: Any, options: DeployOptions) -> str | None:
    """Pre-flight for a push under a revert timer: why the host fails before any change (archive off), or None.

    A dry run asks too: it must say that the real run would fail the host, not show a clean plan for it.
    """
    if options.no_revert_timer or not archive_missing(push.show(conn, SHOW_ARCHIVE, options.timeout)):
        return None
    return ("`show archive` says the archive feature is off, so the device would refuse "
            f"`configure terminal revert timer`; nothing pushed: {ARCHIVE_FIX}")


def _diff(conn: Any, task: Task, design: Design, intended: str, options: DeployOptions,
          record: HostDeploy, state: HostState) -> None:
    name = task.host.name
    state.running = push.running_config(conn, options.timeout)
    problem = check_running(state.running, error_patterns(task, options))
    if problem:
        record.status, record.reason = Status.FAILED_BEFORE_CHANGE, f"backup is not proof, nothing pushed: {problem}"
        return
    compared = align_secrets(state.running, intended, rotate=options.rotate_secrets)
    state.remediation = remediate(compared, intended, prune=options.prune)
    record.commands = state.remediation.masked()
    record.diff = owned_diff(compared, intended, state.remediation.stale)
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


def _copy_to_flash(conn: Any, options: DeployOptions, state: HostState) -> None:
    """The per-run copy `configure replace` returns to; made just before the push (a blocked, skipped or
    interrupted host never gets one, so nothing is left on its flash)."""
    flash_file = push.flash_name(options.run_id)
    if push.copy_running_to_flash(conn, options.block_timeout(len(state.running.splitlines()) // 20), flash_file):
        state.flash_file = flash_file


def push_host(task: Task, options: DeployOptions, records: dict[str, HostDeploy],
              states: dict[str, HostState]) -> None:
    """Push the remediation under a revert timer; on a rejected line or a lost session, roll back at once."""
    name, record, state = task.host.name, records[task.host.name], states[task.host.name]
    assert state.remediation is not None
    if options.stopping():  # a signal arrived: no new host starts
        record.status, record.reason = Status.UNTOUCHED, "interrupted before this host started"
        return
    _emit(options, "push", name)
    commands = state.remediation.commands
    try:
        _copy_to_flash(_conn(task), options, state)
    except Exception as exc:  # nothing was changed yet: the host simply fails before any change
        record.status = Status.UNRESPONSIVE if isinstance(exc, ReadTimeout) else Status.FAILED_BEFORE_CHANGE
        record.reason = "before any change: could not copy the backup to flash: " + describe(exc, options.timeout)
        return
    minutes = 0 if options.no_revert_timer else options.revert_minutes
    state.reverting, state.armed_local = minutes > 0, time.strftime("%H:%M:%S")
    record.revert = Revert.ARMED if minutes > 0 else Revert.NONE
    try:
        push.push_lines(_conn(task), commands, options.block_timeout(len(commands)), minutes,
                        error_patterns(task, options))
        record.pushed = len(commands)
        _read_fire_time(task, options, record, state)
    except push.RevertRefused as exc:
        state.reverting, record.revert = False, Revert.NONE
        record.status = Status.FAILED_BEFORE_CHANGE
        fix = ARCHIVE_FIX if "config archive on" in str(exc) else "a push without a revert timer needs --no-revert-timer"
        record.reason = f"{exc}; nothing pushed ({fix})"
    except push.PushFailed as exc:
        record.pushed = exc.accepted
        restore(task, options, records, states, str(exc))
    except Exception as exc:
        reason = "push interrupted: " + describe(exc, options.block_timeout(len(commands)))
        restore(task, options, records, states, reason)


def _read_fire_time(task: Task, options: DeployOptions, record: HostDeploy, state: HostState) -> None:
    """Ask the device when the timer it just armed fires (its clock, not ours)."""
    if not state.reverting:
        return
    try:
        pending = _timer(_conn(task), options.timeout)
    except Exception:
        pending = None
    record.revert_at = pending.fires if pending else f"~{options.revert_minutes} min after {state.armed_local}"


def observe(task: Task, design: Design, options: DeployOptions) -> dict[str, str]:
    """One look at the DMVPN state: a hub's `show dmvpn`, a spoke's `show ip nhrp nhs`."""
    command = gate_command(design, task.host.name)
    try:
        return {command: push.show(_conn(task), command, options.timeout)}
    except Exception:
        return {command: ""}


def _drop_flash(conn: Any, state: HostState, options: DeployOptions) -> None:
    """The per-run flash backup is removed once the host no longer needs it."""
    if state.flash_file:
        try:
            push.delete_flash(conn, state.flash_file, options.timeout)
            state.flash_file = None
        except Exception:
            pass


def finalize(task: Task, options: DeployOptions, records: dict[str, HostDeploy],
             states: dict[str, HostState]) -> None:
    """The gate passed: stop the revert timer, then `write memory`."""
    name, record, state = task.host.name, records[task.host.name], states[task.host.name]
    try:
        conn = _conn(task)
        if state.reverting:
            push.confirm_commit(conn, options.timeout)
            state.reverting, record.revert = False, Revert.CONFIRMED
        if options.write_memory:
            push.write_memory(conn, options.block_timeout(10))
        record.status = Status.DEPLOYED
        _drop_flash(conn, state, options)
    except Exception as exc:
        if state.reverting:
            record.status, record.revert = Status.PENDING_REVERT, Revert.PENDING
            record.reason = "could not confirm the change: " + describe(exc, options.timeout)
        else:
            record.status = Status.ROLLBACK_FAILED
            record.reason = "deployed but not saved: " + describe(exc, options.timeout)
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
    """Roll the host back to its backup and say how it went (a pending revert timer is named, never hidden)."""
    name, record, state = task.host.name, records[task.host.name], states[task.host.name]
    _emit(options, "rollback", name)
    record.reason = mask(reason)
    assert state.remediation is not None
    timeout = options.block_timeout(len(state.remediation.commands))
    try:
        try:
            conn = _conn(task)
            conn.find_prompt()
        except Exception:
            conn = _fresh_conn(task)
        outcome = rollback(conn, state.running, timeout, flash_file=state.flash_file,
                           owned=owned_tops(state.remediation), reverting=state.reverting)
    except Exception as exc:
        _unfinished(record, state, "could not finish the rollback: " + describe(exc, timeout))
        return
    if outcome.ok:
        record.status = Status.ROLLED_BACK
        if state.reverting:
            state.reverting, record.revert = False, Revert.REVERTED
        record.rollback = f"{outcome.method}: running config equals backup"
        _drop_flash(conn, state, options)
    else:
        record.rollback, record.manual_diff = f"{outcome.method}: {outcome.detail}", list(outcome.diff)
        pending = _timer(conn, options.timeout) if state.reverting else None
        if pending is not None:  # the device's own timer still takes it back to the pre-push config
            record.status, record.revert, record.revert_at = Status.PENDING_REVERT, Revert.PENDING, pending.fires
        else:
            record.status, state.reverting = Status.ROLLBACK_FAILED, False
            record.revert = Revert.REVERTED if record.revert == Revert.ARMED else record.revert
    _emit(options, "done", name)


def _unfinished(record: HostDeploy, state: HostState, why: str) -> None:
    """The rollback did not finish: with a revert timer the device still goes back by itself (not a failure)."""
    record.rollback = why
    if state.reverting:
        record.status, record.revert = Status.PENDING_REVERT, Revert.PENDING
        record.revert_at = record.revert_at or f"~ the revert timer armed at {state.armed_local} (local)"
        record.rollback += "; the device's revert timer returns it to the backup"
    else:
        record.status = Status.ROLLBACK_FAILED
