"""The deploy stage: prepare every host, then push wave by wave behind the DMVPN gate, rolling back failures.

Each host of a wave goes through ``host.roll_out`` (the same steps ``host.deploy_host`` runs for one host from
``nr.run``); this module adds what needs the whole run: the selection, the hubs-canary-batches order, the
background backups of the later spokes, the stop on a failed canary or batch, interruption and the audit.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from nornir.core import Nornir
from nornir.plugins.runners import ThreadedRunner

from dmvpn_ops.deploy import audit, tasks
from dmvpn_ops.deploy.host import HubWatch, audit_records, block_disruptive, check_error_patterns, new_run_id, roll_out
from dmvpn_ops.deploy.model import DeployOptions, DeployResult, HostDeploy, Revert, Status
from dmvpn_ops.deploy.plan import Wave, plan_waves
from dmvpn_ops.intent import Design
from dmvpn_ops.intent.select import inventory_groups, select_hosts
from dmvpn_ops.render import render_config
from dmvpn_ops.secrets import install_log_masking

__all__ = ["deploy", "new_run_id"]


def _selected(design: Design, nornir: Nornir, limit: Iterable[str] | None) -> list[str]:
    """The run's hosts: the ``--limit`` terms (names, groups, globs, ``!`` excludes: intent.select) over the
    Nornir inventory, and only hosts that Nornir holds (a Nornir the caller filtered is a selection too)."""
    terms = list(limit or ())
    names = select_hosts(",".join(terms), inventory_groups(nornir)) if terms else list(nornir.inventory.hosts)
    chosen = set(names)
    return [name for name in design.hosts if name in chosen]


def _only(nornir: Nornir, names: Iterable[str]) -> Nornir:
    """Those hosts of the run. Every ``run`` over it passes ``on_failed=True``: a host an earlier task of the
    caller's script marked failed (``nr.data.failed_hosts``) is still this run's host, never silently skipped."""
    wanted = set(names)
    return nornir.filter(filter_func=lambda host: host.name in wanted)


def _rollout(nornir: Nornir, design: Design, waves: list[Wave], selected: list[str],
             records: dict[str, HostDeploy], states: dict[str, tasks.HostState], options: DeployOptions,
             before_batches: Callable[[], None]) -> None:
    stopped: str | None = None
    for wave in waves:
        if wave.kind == "batch":
            before_batches()
        if options.stopping():
            break  # no new host starts; _untouched() names the rest
        todo = []
        hubs = HubWatch(design, records, selected, hosts=nornir.inventory.hosts, config=nornir.config,
                        timeout=options.timeout)  # the hubs' outcomes so far
        for host in wave.hosts:
            record = records[host]
            if record.status != Status.PLANNED:
                continue
            refused = f"rollout stopped: {stopped} failed" if stopped else hubs.refusal(host)
            if refused:
                record.status, record.reason = Status.SKIPPED, refused
                continue
            todo.append(host)
        if todo:
            # every host of the wave at once: push, gate, confirm + save or roll back (host.roll_out)
            _only(nornir, todo).run(task=roll_out, design=design, options=options, records=records,
                                    states=states, watch=hubs, on_failed=True)
        if wave.stops_rollout and any(not records[h].ok for h in todo) and not stopped:
            stopped = wave.name


def _preparer(nornir: Nornir, design: Design, names: list[str], workers: int,
              **kwargs: Any) -> Callable[[], None]:
    """Prepare ``names`` in the background with one worker less (the waves use the other).

    Backing up the later spokes overlaps the hub and canary waves, as an operator would do it;
    the returned callable waits for it and applies the disruptive-change gate to those hosts.
    """
    def work() -> None:
        if names:
            runner = ThreadedRunner(num_workers=max(1, workers - 1))
            _only(nornir, names).with_runner(runner).run(task=tasks.prepare, design=design, on_failed=True,
                                                         **kwargs)

    thread = threading.Thread(target=work, name="dmvpn-deploy-prepare", daemon=True)
    thread.start()

    def wait() -> None:
        thread.join()
        block_disruptive([kwargs["records"][h] for h in names], kwargs["options"].allow_disruptive)

    return wait


def _workers(nornir: Nornir) -> int:
    return int(getattr(nornir.runner, "num_workers", 20))


def deploy(design: Design, nornir: Nornir, options: DeployOptions | None = None) -> DeployResult:
    """Back up, diff, push hubs first then a canary and spoke batches, confirm, or roll back.

    Args:
        design: the intent (``load_design``).
        nornir: Nornir over the same inventory (``load_nornir``), secrets resolved.
        options: what to do (dry-run, limit, batch size, timeouts, ...).

    Returns:
        Per-host outcomes in plan order; every text in it is masked.

    Raises:
        InputError: a ``--limit`` term names no host or group of the inventory (intent.select).
    """
    options = options or DeployOptions()
    if not options.run_id:
        options = replace(options, run_id=new_run_id())
    install_log_masking()  # netmiko logs every command it sends at DEBUG
    selected = _selected(design, nornir, options.limit)
    check_error_patterns(design, nornir, selected)
    waves = plan_waves(design, selected, options.batch_size)
    order = [h for wave in waves for h in wave.hosts]
    records = {h: HostDeploy(h, design.hosts[h].role, wave=w.name) for w in waves for h in w.hosts}
    states = {h: tasks.HostState() for h in order}
    if options.on_records is not None:
        options.on_records(records)
    intended = {h: render_config(design, h, reveal_secrets=True) for h in order}
    common: dict[str, Any] = {"intended": intended, "options": options, "records": records, "states": states}
    first = order if options.dry_run else [h for w in waves if w.kind != "batch" for h in w.hosts]
    try:
        _only(nornir, first).run(task=tasks.prepare, design=design, on_failed=True, **common)
        block_disruptive([records[h] for h in first], options.allow_disruptive)
        later = [h for h in order if h not in set(first)]
        wait = _preparer(nornir, design, later, _workers(nornir), **common)
        try:
            if not options.dry_run:
                _rollout(nornir, design, waves, selected, records, states, options, wait)
        finally:
            wait()
    finally:
        nornir.close_connections()
        if options.stopping() and not options.dry_run:
            _untouched(records)
        if not options.dry_run:
            audit_records(design, records, options)
    return DeployResult(hosts=records, waves=waves, dry_run=options.dry_run,
                        interrupted=options.stop_reason() if options.stopping() else None)


def _untouched(records: dict[str, HostDeploy]) -> None:
    """Hosts prepared but never pushed because the run stopped: nothing reached them."""
    for record in records.values():
        if record.status == Status.PLANNED and record.pushed == 0 and record.revert == Revert.NONE:
            record.status = Status.UNTOUCHED
            record.reason = record.reason or "interrupted before this host started"


def audit_abandoned(options: DeployOptions, records: dict[str, HostDeploy], signal_name: str) -> None:
    """Audit lines for a run abandoned by a second signal (no intent hash: the run stops mid-way)."""
    lines = [audit.entry(r, run_id=options.run_id, intent="", interrupted=f"{signal_name} (abandoned)")
             for r in list(records.values())]
    audit.append(options.state_dir, lines)
