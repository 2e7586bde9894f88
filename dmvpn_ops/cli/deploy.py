"""`dmvpn-ops deploy`: backup, diff, push hubs then spokes, confirm, roll back; exit 0/1/3."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
    SessionLogOption,
    StateDirOption,
    TargetOption,
    VerboseOption,
    connect_settings,
    console,
    err_console,
    exit_with,
)
from dmvpn_ops.cli._load import design_for
from dmvpn_ops.deploy import DeployOptions, deploy
from dmvpn_ops.deploy.model import Event
from dmvpn_ops.errors import InputError
from dmvpn_ops.intent.nornir import load_nornir
from dmvpn_ops.locks import StateLock
from dmvpn_ops.report.deploy import deploy_json, render_deploy


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
            "--revert-minutes", min=0, help="Push under `configure terminal revert timer N` (0: off).")] = 5,
        state_dir: StateDirOption = DEFAULT_STATE_DIR,
        host_keys: HostKeysOption = DEFAULT_HOST_KEYS,
        known_hosts: KnownHostsOption = None,
        target: TargetOption = None,
        verbose: VerboseOption = False,
        session_log: SessionLogOption = None,
    ) -> None:
        """Deploy the intent: hubs first, a canary spoke, then spoke batches; roll back on failure."""
        if output not in ("table", "json"):
            raise InputError(f"--format must be table or json, not {output!r}", field="--format")
        # One deploy per state dir; a dry run changes nothing and may preview while another runs.
        lock = StateLock(state_dir, "deploy", what="deploy")
        if not dry_run:
            lock.acquire()
        try:
            _run(inventory, dry_run, limit, batch_size, allow_disruptive, prune, output, timeout,
                 confirm_timeout, revert_minutes, state_dir,
                 (host_keys, known_hosts, target, verbose, session_log))
        finally:
            lock.release()


def _run(inventory: Path, dry_run: bool, limit: str | None, batch_size: int, allow_disruptive: bool,
         prune: bool, output: str, timeout: float, confirm_timeout: float, revert_minutes: int,
         state_dir: Path, connect: tuple[str, Path | None, str | None, bool, Path | None]) -> None:
    """Load the intent, deploy it, print the report and set the exit code."""
    design = design_for(inventory)
    settings = connect_settings(inventory, state_dir, *connect)
    extras = {"conn_timeout": timeout, "auth_timeout": timeout, "banner_timeout": timeout,
              "read_timeout_override": timeout}
    nornir = load_nornir(inventory, design, extras=extras, connect=settings)
    hosts = len(_limit(limit) or design.hosts)
    with _progress(hosts, err_console.is_terminal) as on_event:
        options = DeployOptions(
            dry_run=dry_run, limit=_limit(limit), batch_size=batch_size, allow_disruptive=allow_disruptive,
            prune=prune, timeout=timeout, confirm_timeout=confirm_timeout, revert_minutes=revert_minutes,
            state_dir=state_dir, on_event=on_event)
        result = deploy(design, nornir, options)
    if output == "json":
        typer.echo(deploy_json(result))
    else:
        render_deploy(result, console, show_diff=dry_run)
    exit_with(result.exit_code)
