"""`dmvpn-ops deploy`: backup, diff, push hubs then spokes, confirm, roll back; exit 0/1/2/3, 130/143 on a signal."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dmvpn_ops.cli._common import (
    DEFAULT_HOST_KEYS,
    DEFAULT_INVENTORY,
    DEFAULT_STATE_DIR,
    HostKeysOption,
    InventoryOption,
    KnownHostsOption,
    NornirConfigOption,
    SessionLogOption,
    StateDirOption,
    TargetOption,
    VerboseOption,
    check_format,
    connect_settings,
    console,
    err_console,
    exit_with,
)
from dmvpn_ops.cli._load import design_for, intent_source
from dmvpn_ops.deploy import DeployOptions, deploy
from dmvpn_ops.deploy.deploy import audit_abandoned, new_run_id
from dmvpn_ops.deploy.interrupt import EXIT_CODES, StopFlag, handle_signals
from dmvpn_ops.deploy.model import PENDING_CHOICES, Event, HostDeploy, Revert, Status
from dmvpn_ops.errors import InputError
from dmvpn_ops.intent import IntentSource
from dmvpn_ops.intent.select import inventory_groups, select_hosts
from dmvpn_ops.locks import InventoryLocks
from dmvpn_ops.report.deploy import deploy_json, render_deploy
from dmvpn_ops.report.progress import HostProgress


@contextmanager
def _progress(total: int, enabled: bool) -> Iterator[Event]:
    """Two bars (prepare, push/confirm) on stderr; the callback is thread-safe."""
    bars = Progress(TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[host]}"), TimeElapsedColumn(), console=err_console,
                    transient=True, disable=not enabled)
    prepare = bars.add_task("backup + diff", total=total, host="")
    push = bars.add_task("push + confirm", total=total, host="")

    def on_event(stage: str, host: str) -> None:
        if stage == "prepare":
            bars.update(prepare, advance=1, host=host)
        elif stage == "done":
            bars.update(push, advance=1, host=host)
        else:
            bars.update(push, host=f"{stage} {host}")

    with bars:
        yield on_event


def _limit(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    if not names:
        raise InputError("--limit needs host names, e.g. --limit hub1,spoke2", field="--limit")
    return names


def register(app: typer.Typer) -> None:
    @app.command("deploy")
    def _deploy(
        inventory: InventoryOption = DEFAULT_INVENTORY,
        nornir_config: NornirConfigOption = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the per-host diff; push nothing.")] = False,
        limit: Annotated[str | None, typer.Option("--limit", help="Only these hosts (H1,H2,...).")] = None,
        batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Spokes per batch after the canary.")] = 5,
        allow_disruptive: Annotated[bool, typer.Option(
            "--allow-disruptive", help="Push changes that bounce tunnels (key, source, protection, NHRP auth).")] = False,
        prune: Annotated[bool, typer.Option(
            "--prune", help="Remove DMVPN objects (tunnels, crypto, routing) the intent no longer has.")] = False,
        output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
        timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds per device command.")] = 30.0,
        confirm_timeout: Annotated[float, typer.Option(
            "--confirm-timeout", min=0, help="Seconds to wait for the DMVPN gate.")] = 60.0,
        revert_minutes: Annotated[int, typer.Option(
            "--revert-minutes", help="Push under `configure terminal revert timer N` (IOS: 1-120).")] = 5,
        no_revert_timer: Annotated[bool, typer.Option(
            "--no-revert-timer", help="Push without a revert timer (plain `configure terminal`).")] = False,
        on_pending_revert: Annotated[str, typer.Option(
            "--on-pending-revert", help="A revert timer already pending on a host: report (leave it, push "
                                        "nothing there), confirm (keep that config) or revert (go back now).")] = "report",
        rotate_secrets: Annotated[bool, typer.Option(
            "--rotate-secrets", help="A secret rotation step (docs/secret-rotation.md): re-push secrets the device "
                                     "shows as type 6; a hub's gate asks for its spokes, not the other hubs.")] = False,
        line_timeout: Annotated[float, typer.Option(
            "--line-timeout", min=0, help="Extra seconds allowed per pushed line (slow devices).")] = 2.0,
        state_dir: StateDirOption = DEFAULT_STATE_DIR,
        host_keys: HostKeysOption = DEFAULT_HOST_KEYS,
        known_hosts: KnownHostsOption = None,
        target: TargetOption = None,
        verbose: VerboseOption = False,
        session_log: SessionLogOption = None,
    ) -> None:
        """Deploy the intent: hubs first, a canary spoke, then spoke batches; roll back on failure."""
        check_format(output)
        _check_revert(revert_minutes, no_revert_timer, on_pending_revert)
        options = DeployOptions(
            dry_run=dry_run, limit=_limit(limit), batch_size=batch_size, allow_disruptive=allow_disruptive,
            prune=prune, timeout=timeout, confirm_timeout=confirm_timeout,
            revert_minutes=0 if no_revert_timer else revert_minutes, no_revert_timer=no_revert_timer,
            on_pending_revert=on_pending_revert, rotate_secrets=rotate_secrets, line_timeout=line_timeout,
            state_dir=state_dir, stop=StopFlag(), run_id=new_run_id())
        # One deploy per state dir; a dry run changes nothing and may preview while another runs.
        lock = InventoryLocks(nornir_config or inventory, state_dir, "deploy", what="deploy")
        if not dry_run:
            lock.acquire()
        try:
            _run(intent_source(inventory, nornir_config), options, output, (host_keys, known_hosts, target, verbose, session_log))
        finally:
            lock.release()


def _check_revert(minutes: int, no_timer: bool, pending: str) -> None:
    """IOS takes `revert timer <1-120>`; no timer at all is an explicit choice, never a silent fallback."""
    if pending not in PENDING_CHOICES:
        raise InputError(f"--on-pending-revert must be one of {', '.join(PENDING_CHOICES)}, not {pending!r}",
                         field="--on-pending-revert")
    if no_timer:
        return
    if minutes == 0:
        raise InputError("--revert-minutes 0 means no revert timer; say so with --no-revert-timer",
                         field="--revert-minutes")
    if not 1 <= minutes <= 120:
        raise InputError(f"--revert-minutes must be 1-120 (IOS `configure terminal revert timer <1-120>`), "
                         f"not {minutes}", field="--revert-minutes")


def _run(source: IntentSource, options: DeployOptions, output: str,
         connect: tuple[str, Path | None, str | None, bool, Path | None]) -> None:
    """Load the intent, deploy it under the signal handlers, print the report and set the exit code."""
    assert options.stop is not None
    live = LiveRun(options)
    with handle_signals(options.stop, live.first_signal, live.abandon):
        design = design_for(source)
        settings = connect_settings(source.location, options.state_dir, *connect)
        # No read_timeout_override: a push's read timeout scales with its size (a slow device is slow, not failed).
        extras = {"conn_timeout": options.timeout, "auth_timeout": options.timeout,
                  "banner_timeout": options.timeout}
        nornir = source.nornir(design, extras=extras, connect=settings)
        if not err_console.is_terminal:  # cron, CI: a line per step (prepare, push...) every 10 s on stderr
            nornir = nornir.with_processors([HostProgress(err_console, "deploy")])
        # the bar counts the hosts --limit really selects (groups and globs expand; intent.select)
        hosts = len(select_hosts(",".join(options.limit), inventory_groups(nornir)) if options.limit
                    else design.hosts)
        with _progress(hosts, err_console.is_terminal) as on_event:
            result = deploy(design, nornir, replace(options, on_event=on_event, on_records=live.watch))
    if output == "json":
        typer.echo(deploy_json(result, target=settings.target.describe()))
    else:
        render_deploy(result, console, show_diff=options.dry_run)
    if options.stop.reason:
        live.final(result.hosts)
        raise typer.Exit(EXIT_CODES[options.stop.reason])
    exit_with(result.exit_code)


class LiveRun:
    """What stderr says on a signal: the first asks to stop, the second names what it abandons."""

    def __init__(self, options: DeployOptions) -> None:
        self.options = options
        self.records: dict[str, HostDeploy] = {}

    def watch(self, records: dict[str, HostDeploy]) -> None:
        self.records = records

    def first_signal(self, name: str) -> None:
        err_console.print(f"{name}: stopping - no new host starts; hosts in flight finish or roll back "
                          f"(again to abandon them)", highlight=False, soft_wrap=True)

    def abandon(self, name: str) -> None:
        """Second signal: say what each host is left with, write the audit, exit now (the kernel frees the lock)."""
        err_console.print(f"{name} again: abandoning the run now; end state of every host:", highlight=False)
        for host, record in self.records.items():
            err_console.print(f"  {host}: {_abandoned(record)}", highlight=False, soft_wrap=True)
        if self.records and not self.options.dry_run:
            audit_abandoned(self.options, self.records, name)
        first = self.options.stop.reason if self.options.stop and self.options.stop.reason else name
        os._exit(EXIT_CODES[first])

    def final(self, hosts: dict[str, HostDeploy]) -> None:
        reason = self.options.stop.reason if self.options.stop else None
        err_console.print(f"interrupted by {reason}; end state of every host:", highlight=False)
        for host, record in hosts.items():
            err_console.print(f"  {host}: {record.end_state()}", highlight=False, soft_wrap=True)


def _abandoned(record: HostDeploy) -> str:
    """A host's state when the run is abandoned mid-way (its task may still be running)."""
    if record.status == Status.PLANNED and record.revert == Revert.ARMED:
        return f"pending revert at {record.revert_at or 'unknown time'} (abandoned in flight; the device reverts itself)"
    if record.status == Status.PLANNED and record.pushed:
        return "abandoned in flight without a revert timer: state unknown, check the device"
    if record.status == Status.PLANNED:
        return "untouched (abandoned before its push)"
    return record.end_state()
