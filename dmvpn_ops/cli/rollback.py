"""`dmvpn-ops rollback --host H [--to BACKUP] [--dry-run]`: return a host to one of its kept backups."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.panel import Panel
from rich.text import Text

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
)
from dmvpn_ops.cli._load import design_for, intent_source
from dmvpn_ops.collect import connection
from dmvpn_ops.deploy import audit
from dmvpn_ops.deploy.manual import HostRollback, pick_backup, rollback_host
from dmvpn_ops.deploy.model import HostDeploy, Status
from dmvpn_ops.errors import InputError
from dmvpn_ops.locks import InventoryLocks
from dmvpn_ops.render import render_config
from dmvpn_ops.report.json import versioned
from dmvpn_ops.secrets import mask, mask_data


def _show(result: HostRollback) -> None:
    body = Text()
    for line in result.diff or ["(running config equals the backup)"]:
        style = "red" if line.startswith("-") and not line.startswith("---") else \
            "green" if line.startswith("+") and not line.startswith("+++") else ""
        body.append(mask(line) + "\n", style=style)
    if result.commands:
        replaced = result.commands[0].startswith("configure replace ")
        body.append("commands sent:\n" if replaced else "commands (owned objects only):\n", style="bold")
        body.append("".join(f"  {mask(c)}\n" for c in result.commands))
    console.print(Panel(body, title=f"{result.host}: running -> {result.backup.name}", title_align="left"))
    console.print(f"{result.host}: {result.status}{': ' + result.detail if result.detail else ''}", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("rollback")
    def _rollback(
        host: Annotated[str, typer.Option("--host", help="The host to return to a kept backup.")],
        to: Annotated[Path | None, typer.Option("--to", help="A kept backup (path or file name) [default: newest].")] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the diff and the commands; change nothing.")] = False,
        inventory: InventoryOption = DEFAULT_INVENTORY,
        nornir_config: NornirConfigOption = None,
        output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
        timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds per device command.")] = 60.0,
        state_dir: StateDirOption = DEFAULT_STATE_DIR,
        host_keys: HostKeysOption = DEFAULT_HOST_KEYS,
        known_hosts: KnownHostsOption = None,
        target: TargetOption = None,
        verbose: VerboseOption = False,
        session_log: SessionLogOption = None,
    ) -> None:
        """Return a host to one of its kept backups (configure replace from flash, else owned objects; running == backup checked)."""
        check_format(output)
        source = intent_source(inventory, nornir_config)
        design = design_for(source)
        if host not in design.hosts:
            raise InputError(f"unknown host {host!r}; the inventory has {', '.join(sorted(design.hosts))}",
                             host=host, field="--host")
        backup = pick_backup(state_dir, host, to)
        lock = InventoryLocks(nornir_config or inventory, state_dir, "deploy", what="deploy or rollback")  # one change at a time
        if not dry_run:
            lock.acquire()
        try:
            settings = connect_settings(source.location, state_dir, host_keys, known_hosts, target, verbose, session_log)
            nornir = source.nornir(design, connect=settings,
                                 extras={"conn_timeout": timeout, "auth_timeout": timeout, "banner_timeout": timeout})
            try:
                conn = connection(nornir.inventory.hosts[host], nornir.config)  # host key checked before login
                result = rollback_host(conn, host, backup, render_config(design, host, reveal_secrets=True),
                                       dry_run=dry_run, timeout=timeout)
            finally:
                nornir.close_connections()
            if not dry_run:
                record = HostDeploy(host, design.hosts[host].role, status=result.status, backup=backup,
                                    commands=result.commands, pushed=len(result.commands), rollback=result.detail)
                audit.append(state_dir, [audit.entry(record, run_id="rollback", intent="", interrupted=None)])
        finally:
            lock.release()
        if output == "json":
            typer.echo(json.dumps(mask_data(versioned(result.to_dict())), indent=2))
        else:
            _show(result)
        if result.host_key_refused:  # a changed host key is exit 3 (as verify's HOST_KEY_CHANGED), restored or not
            raise typer.Exit(3)
        if result.status == Status.ROLLBACK_FAILED:
            raise typer.Exit(1)
