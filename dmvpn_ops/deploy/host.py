"""One host's deploy: the steps ``deploy()`` runs wave by wave, callable for a single host from ``nr.run``.

``deploy_host`` is the public per-host entry point (``dmvpn_ops.nornir_tasks.push`` is a thin wrapper):
refusal of a spoke whose hubs are not usable, the backup that is proof, the owned diff, then ``roll_out``:
push under a revert timer, the DMVPN gate (``confirm.gate_host``: the host's own view; with a ``HubWatch``
also the hubs listing the spoke UP), confirm + ``write memory``, or roll back to exactly the backup.
``deploy()`` calls ``roll_out`` for every host of a wave, with one ``HubWatch`` shared by the wave.
"""
from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timezone

from nornir.core import Nornir
from nornir.core.configuration import Config
from nornir.core.inventory import Host
from nornir.core.task import Task

from dmvpn_ops.collect import connection
from dmvpn_ops.deploy import audit, push, tasks
from dmvpn_ops.deploy.confirm import gate_command, gate_host, hubs_gate
from dmvpn_ops.deploy.model import DeployOptions, HostDeploy, Status
from dmvpn_ops.deploy.plan import spoke_blocked
from dmvpn_ops.errors import InputError
from dmvpn_ops.intent import Design
from dmvpn_ops.render import render_config
from dmvpn_ops.secrets import install_log_masking

__all__ = ["deploy_host", "roll_out", "await_gate", "HubWatch", "block_disruptive", "check_error_patterns",
           "audit_records", "new_run_id", "POLL"]

POLL = 0.3  # seconds between two looks at the DMVPN state


_SESSIONS = threading.Lock()
_SESSION_LOCKS: dict[int, threading.Lock] = {}  # id(Host) -> lock: one thread at a time on a hub's session


def _session_lock(host: Host) -> threading.Lock:
    """The lock of ``host``'s session, shared by every HubWatch (a netmiko session is not thread-safe)."""
    with _SESSIONS:
        return _SESSION_LOCKS.setdefault(id(host), threading.Lock())


class HubWatch:
    """What a wave of spokes knows about the hubs of the run: which failed, which are usable, what they list.

    ``usable`` hubs ended unchanged or deployed; a spoke whose every hub of one cloud failed is refused
    (``refusal``). With the hubs' Nornir ``hosts`` (and the Nornir ``config``) the gate also asks each usable
    hub's ``show dmvpn`` whether it lists the spoke UP; one look per poll interval is shared by the spokes
    using this watch, and a hub's session is used by one thread at a time.
    """

    def __init__(self, design: Design, records: Mapping[str, HostDeploy], selected: Collection[str] | None = None,
                 *, hosts: Mapping[str, Host] | None = None, config: Config | None = None,
                 timeout: float = 30.0) -> None:
        self.design, self.timeout = design, timeout
        hubs = {h: r for h, r in records.items() if h in design.hosts and design.hosts[h].is_hub}
        self.selected = set(selected) if selected is not None else set(hubs)
        self.usable = {h for h, r in hubs.items() if r.status in (Status.UNCHANGED, Status.DEPLOYED)}
        self.failed = {h for h, r in hubs.items() if not r.ok}
        self._hosts = {h: hosts[h] for h in self.usable if h in hosts} if hosts is not None and config else {}
        self._config = config
        self._seen: dict[str, tuple[float, str]] = {}

    def refusal(self, spoke: str) -> str | None:
        """Why ``spoke`` must not be pushed (every hub of one of its clouds failed in this run), or None."""
        if self.design.hosts[spoke].is_hub:
            return None
        cloud = spoke_blocked(self.design, spoke, self.selected, self.failed)
        if cloud is None:
            return None
        failed = sorted(h.name for h, _ in self.design.hubs(cloud) if h.name in self.failed)
        return f"every hub of {cloud} failed ({', '.join(failed)}); spoke left untouched"

    def missing(self, spoke: str) -> str | None:
        """The cross-hub half of the spoke's gate (None when the watch has no hub sessions to look through)."""
        if not self._hosts:
            return None
        return hubs_gate(self.design, spoke, self._hosts, self.show_dmvpn)

    def show_dmvpn(self, hub: str) -> str:
        """The hub's ``show dmvpn``, at most one POLL old; "" when it cannot be read (it then lists nobody)."""
        host = self._hosts[hub]
        with _session_lock(host):
            cached = self._seen.get(hub)
            if cached is not None and time.monotonic() - cached[0] < POLL:
                return cached[1]
            try:
                assert self._config is not None
                text = push.show(connection(host, self._config), "show dmvpn", self.timeout)
            except Exception:
                text = ""
            self._seen[hub] = (time.monotonic(), text)
            return text


def await_gate(task: Task, design: Design, options: DeployOptions, state: tasks.HostState,
               watch: HubWatch | None = None) -> str | None:
    """Poll the host's DMVPN gate until it passes (None) or the confirm timeout ends (the reason)."""
    name = task.host.name
    deadline = time.monotonic() + options.confirm_timeout
    while True:
        output = tasks.observe(task, design, options)[gate_command(design, name)]
        why = gate_host(design, name, output, state.baseline, rotate_secrets=options.rotate_secrets)
        if why is None and watch is not None:
            why = watch.missing(name)
        if why is None:
            return None
        if options.stopping():  # interrupted: an unconfirmed host is rolled back, within a bound
            return f"interrupted during the DMVPN gate: {why}"
        if time.monotonic() >= deadline:
            return f"DMVPN gate failed after {options.confirm_timeout:g}s: {why}"
        time.sleep(POLL)


def roll_out(task: Task, design: Design, options: DeployOptions, records: dict[str, HostDeploy],
             states: dict[str, tasks.HostState], watch: HubWatch | None = None) -> None:
    """A prepared (planned) host: push, gate, then confirm + save, or roll back to exactly the backup."""
    name = task.host.name
    record = records[name]
    tasks.push_host(task, options, records, states)
    if record.status != Status.PLANNED:  # refused, failed before change, or already rolled back
        return
    why = await_gate(task, design, options, states[name], watch)
    if why is None:
        tasks.finalize(task, options, records, states)
    else:
        tasks.restore(task, options, records, states, why)


def block_disruptive(records: Iterable[HostDeploy], allow: bool) -> None:
    """A planned change that would bounce a tunnel or neighbour is blocked unless allowed."""
    for record in records:
        if record.status == Status.PLANNED and record.disruptions and not allow:
            affected = sorted({a for d in record.disruptions for a in d.affected})
            record.status = Status.BLOCKED
            record.reason = (f"{len(record.disruptions)} disruptive change(s) would bounce "
                             f"{', '.join(affected)}; re-run with --allow-disruptive")


def deploy_host(task: Task, design: Design, options: DeployOptions | None = None,
                hubs: HubWatch | None = None) -> HostDeploy:
    """Deploy this one host as ``dmvpn-ops deploy`` would (a Nornir task: ``nr.run(task=deploy_host, ...)``).

    A spoke whose hubs are not usable (``hubs.refusal``) is skipped before any connection. Otherwise:
    pending revert timer and archive checks, the backup that is proof, the owned diff; a dry run stops
    there (read-only). Then ``roll_out``, and one audit line. The gate is the host's own (a spoke's NHS
    answers, a hub keeps its spokes); ``hubs`` with the hubs' hosts adds them listing the spoke UP.

    Args:
        task: the Nornir task of the host.
        design: the typed intent.
        options: as for ``deploy`` (``limit``, ``batch_size`` and ``on_records`` do not apply).
        hubs: the outcome of the run's hub wave (``HubWatch``), if the hubs were pushed first.

    Returns:
        The host's record (every text masked).

    Raises:
        InputError: the host has no DMVPN intent, or bad ``data.deploy.error_patterns`` (exit 2).
    """
    name = task.host.name
    if name not in design.hosts:
        raise InputError(f"host {name!r} of the Nornir inventory has no DMVPN intent (data.dmvpn).", host=name)
    options = options or DeployOptions()
    if not options.run_id:
        options = replace(options, run_id=new_run_id())
    check_error_patterns(design, task.nornir, [name])
    install_log_masking()
    records = {name: HostDeploy(name, design.hosts[name].role)}
    states = {name: tasks.HostState()}
    refused = hubs.refusal(name) if hubs is not None else None
    if refused:
        records[name].status, records[name].reason = Status.SKIPPED, refused
    else:
        intended = {name: render_config(design, name, reveal_secrets=True)}
        tasks.prepare(task, design, intended, options, records, states)
        block_disruptive(records.values(), options.allow_disruptive)
        if records[name].status == Status.PLANNED and not options.dry_run:
            roll_out(task, design, options, records, states, hubs)
    if not options.dry_run:
        audit_records(design, records, options)
    return records[name]


def check_error_patterns(design: Design, nornir: Nornir, names: Iterable[str]) -> None:
    """Each host's ``data.deploy.error_patterns`` must be a list of regexes (bad input otherwise, exit 2)."""
    for name in names:
        host = nornir.inventory.hosts.get(name)
        data = host.get("deploy") if host is not None else None
        patterns = data.get("error_patterns") if isinstance(data, dict) else None
        if patterns is None:
            continue
        file = design.host_files.get(name)
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise InputError("must be a list of regular expressions (device text that means an error)",
                             file=file, host=name, field="data.deploy.error_patterns")
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise InputError(f"{pattern!r} is not a regular expression: {exc}", file=file, host=name,
                                 field="data.deploy.error_patterns") from None


def new_run_id() -> str:
    """Unique per run (time + pid): names the flash backup and ties the audit lines of one run together."""
    return f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{os.getpid()}"


def audit_records(design: Design, records: Mapping[str, HostDeploy], options: DeployOptions) -> None:
    """One audit line per host of the run (the intent hash is of the masked rendered config)."""
    interrupted = options.stop_reason() if options.stopping() else None
    lines = [audit.entry(r, run_id=options.run_id, intent=audit.intent_hash(render_config(design, h)),
                         interrupted=interrupted) for h, r in records.items()]
    audit.append(options.state_dir, lines)
