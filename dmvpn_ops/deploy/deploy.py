"""The deploy stage: prepare every host, then push wave by wave behind the DMVPN gate, rolling back failures."""
from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from nornir.core import Nornir
from nornir.plugins.runners import ThreadedRunner

from dmvpn_ops.deploy import audit, tasks
from dmvpn_ops.deploy.confirm import Expect, expectations, hub_gate, spoke_gate
from dmvpn_ops.deploy.model import DeployOptions, DeployResult, HostDeploy, Revert, Status
from dmvpn_ops.deploy.plan import Wave, plan_waves, spoke_blocked
from dmvpn_ops.errors import InputError
from dmvpn_ops.intent import Design
from dmvpn_ops.intent.select import inventory_groups, select_hosts
from dmvpn_ops.render import render_config
from dmvpn_ops.secrets import install_log_masking

__all__ = ["deploy", "new_run_id"]

_POLL = 0.3  # seconds between two looks at the DMVPN state


def _selected(design: Design, nornir: Nornir, limit: Iterable[str] | None) -> list[str]:
    """The run's hosts: the ``--limit`` terms (names, groups, globs, ``!`` excludes: intent.select) over the
    Nornir inventory, and only hosts that Nornir holds (a Nornir the caller filtered is a selection too)."""
    terms = list(limit or ())
    names = select_hosts(",".join(terms), inventory_groups(nornir)) if terms else list(nornir.inventory.hosts)
    chosen = set(names)
    return [name for name in design.hosts if name in chosen]


def _only(nornir: Nornir, names: Iterable[str]) -> Nornir:
    wanted = set(names)
    return nornir.filter(filter_func=lambda host: host.name in wanted)


def _block_disruptive(records: dict[str, HostDeploy], allow: bool) -> None:
    for record in records.values():
        if record.status == Status.PLANNED and record.disruptions and not allow:
            affected = sorted({a for d in record.disruptions for a in d.affected})
            record.status = Status.BLOCKED
            record.reason = (f"{len(record.disruptions)} disruptive change(s) would bounce "
                             f"{', '.join(affected)}; re-run with --allow-disruptive")


def _gate(nornir: Nornir, design: Design, pushed: list[str], usable_hubs: set[str],
          states: dict[str, tasks.HostState], options: DeployOptions) -> dict[str, str]:
    """Poll until every pushed host passes the DMVPN gate or the confirm timeout ends."""
    spokes = [h for h in pushed if not design.hosts[h].is_hub]
    expects: list[Expect] = expectations(design, spokes, usable_hubs)
    # Rotating a cloud's secrets hub by hub (docs/secret-rotation.md) breaks the hub-to-hub tunnel until the
    # last hub has the new values: the gate then asks a hub for its spokes only, never for the other hubs.
    hub_ips = {str(t.tunnel_ip) for name in design.hosts if design.hosts[name].is_hub
               for t in design.hosts[name].tunnels}
    for hub in (h for h in pushed if design.hosts[h].is_hub):
        expects += [e for e in states[hub].baseline if not (options.rotate_secrets and e.tunnel_ip in hub_ips)]
    watchers = set(pushed) | {e.hub for e in expects}
    deadline = time.monotonic() + options.confirm_timeout
    while True:
        seen = _only(nornir, watchers).run(task=tasks.observe, design=design, options=options)
        problems: dict[str, str] = {}
        for spoke in spokes:
            why = spoke_gate(design, spoke, seen[spoke][0].result.get("show ip nhrp nhs", ""))
            if why:
                problems[spoke] = why
        for miss in hub_gate_all(seen, expects):
            owner = miss.spoke or miss.hub
            problems.setdefault(owner, f"{miss.hub} does not list {miss.tunnel_ip} UP on {miss.interface}")
        if options.stopping() and problems:  # interrupted: unconfirmed hosts are rolled back, within a bound
            return {h: f"interrupted during the DMVPN gate: {why}" for h, why in problems.items()}
        if not problems or time.monotonic() >= deadline:
            return {h: f"DMVPN gate failed after {options.confirm_timeout:g}s: {why}" for h, why in problems.items()}
        time.sleep(_POLL)


def hub_gate_all(seen: object, expects: list[Expect]) -> list[Expect]:
    missing: list[Expect] = []
    for hub in sorted({e.hub for e in expects}):
        text = seen[hub][0].result.get("show dmvpn", "")  # type: ignore[index]
        missing += hub_gate(text, [e for e in expects if e.hub == hub])
    return missing


def _run_wave(nornir: Nornir, design: Design, wave: Wave, todo: list[str], records: dict[str, HostDeploy],
              states: dict[str, tasks.HostState], options: DeployOptions) -> None:
    """Push, gate, then confirm+save the passing hosts and roll back the others."""
    common: dict[str, Any] = {"options": options, "records": records, "states": states}
    _only(nornir, todo).run(task=tasks.push_host, **common)
    pushed = [h for h in todo if records[h].status == Status.PLANNED]
    usable = {h for h, r in records.items() if design.hosts[h].is_hub and r.status in
              (Status.UNCHANGED, Status.DEPLOYED)}
    failures = _gate(nornir, design, pushed, usable, states, options) if pushed else {}
    for host, why in failures.items():
        if host in pushed:
            records[host].reason = why
    good = [h for h in pushed if h not in failures]
    bad = [h for h in pushed if h in failures]
    if good:
        _only(nornir, good).run(task=tasks.finalize, **common)
    for host in bad:  # one by one: restore() keeps the reason set above
        _only(nornir, [host]).run(task=tasks.restore, reason=records[host].reason or "gate failed", **common)


def _rollout(nornir: Nornir, design: Design, waves: list[Wave], selected: list[str],
             records: dict[str, HostDeploy], states: dict[str, tasks.HostState], options: DeployOptions,
             before_batches: Callable[[], None]) -> None:
    stopped: str | None = None
    failed: set[str] = set()
    for wave in waves:
        if wave.kind == "batch":
            before_batches()
        if options.stopping():
            break  # no new host starts; _untouched() names the rest
        todo = []
        for host in wave.hosts:
            record = records[host]
            if record.status != Status.PLANNED:
                continue
            cloud = spoke_blocked(design, host, selected, failed) if not design.hosts[host].is_hub else None
            if stopped or cloud:
                record.status = Status.SKIPPED
                record.reason = (f"rollout stopped: {stopped} failed" if stopped
                                 else f"every hub of {cloud} failed; spoke left untouched")
                continue
            todo.append(host)
        if todo:
            _run_wave(nornir, design, wave, todo, records, states, options)
        failed |= {h for h in wave.hosts if not records[h].ok}
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
            _only(nornir, names).with_runner(runner).run(task=tasks.prepare, design=design, **kwargs)

    thread = threading.Thread(target=work, name="dmvpn-deploy-prepare", daemon=True)
    thread.start()

    def wait() -> None:
        thread.join()
        _block_disruptive({h: kwargs["records"][h] for h in names}, kwargs["options"].allow_disruptive)

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
    _check_error_patterns(design, nornir, selected)
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
        _only(nornir, first).run(task=tasks.prepare, design=design, **common)
        _block_disruptive({h: records[h] for h in first}, options.allow_disruptive)
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
            _audit(design, records, options)
    return DeployResult(hosts=records, waves=waves, dry_run=options.dry_run,
                        interrupted=options.stop_reason() if options.stopping() else None)


def _check_error_patterns(design: Design, nornir: Nornir, names: list[str]) -> None:
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


def _untouched(records: dict[str, HostDeploy]) -> None:
    """Hosts prepared but never pushed because the run stopped: nothing reached them."""
    for record in records.values():
        if record.status == Status.PLANNED and record.pushed == 0 and record.revert == Revert.NONE:
            record.status = Status.UNTOUCHED
            record.reason = record.reason or "interrupted before this host started"


def _audit(design: Design, records: dict[str, HostDeploy], options: DeployOptions) -> None:
    interrupted = options.stop_reason() if options.stopping() else None
    lines = [audit.entry(r, run_id=options.run_id, intent=audit.intent_hash(render_config(design, h)),
                         interrupted=interrupted) for h, r in records.items()]
    audit.append(options.state_dir, lines)


def audit_abandoned(options: DeployOptions, records: dict[str, HostDeploy], signal_name: str) -> None:
    """Audit lines for a run abandoned by a second signal (no intent hash: the run stops mid-way)."""
    lines = [audit.entry(r, run_id=options.run_id, intent="", interrupted=f"{signal_name} (abandoned)")
             for r in list(records.values())]
    audit.append(options.state_dir, lines)
