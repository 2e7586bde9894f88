"""`dmvpn-ops verify`: collect, compare with the intent, report; exit 0 clean, 1 findings, 3 unreachable."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dmvpn_ops.cli._common import (
    DEFAULT_HOST_KEYS,
    DEFAULT_INVENTORY,
    DEFAULT_STATE_DIR,
    HostKeysOption,
    InventoryOption,
    KnownHostsOption,
    LimitOption,
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
from dmvpn_ops.cli._load import design_for, intent_source, writable_dir, writable_file, write_output
from dmvpn_ops.errors import InputError
from dmvpn_ops.intent.select import select_nornir

FORMATS = ("table", "json", "junit", "prom")


def register(app: typer.Typer) -> None:
    @app.command("verify")
    def verify_cmd(
        inventory: InventoryOption = DEFAULT_INVENTORY,
        nornir_config: NornirConfigOption = None,
        mode: Annotated[str, typer.Option("--mode", help="fast: hubs only; full: every device, "
                                          "hub and spoke views cross-checked.")] = "fast",
        probe: Annotated[bool, typer.Option("--probe", help="Spoke-to-spoke probes (phase-aware).")] = False,
        probe_pairs: Annotated[int | None, typer.Option(
            "--probe-pairs", min=1, help="Sample N spoke pairs per cloud (default: all up to 10 spokes).")
        ] = None,
        output: Annotated[str, typer.Option("--format", help="table, json, junit or prom.")] = "table",
        save_raw: Annotated[Path | None, typer.Option(
            "--save-raw", help="Write every raw output to DIR/<host>/<command>.txt.")] = None,
        out_file: Annotated[Path | None, typer.Option(
            "--output", "-o", help="Write the json/junit/prom report to this file.")] = None,
        timeout: Annotated[float, typer.Option("--timeout", min=0.5,
                                               help="Seconds per command and per connection.")] = 20.0,
        workers: Annotated[int, typer.Option("--workers", min=1, help="Parallel SSH sessions.")] = 20,
        limit: LimitOption = None,
        show_all: Annotated[bool, typer.Option("--all", help="The whole cloud -> hub -> spoke tree, "
                                               "even on a big cloud.")] = False,
        failed_only: Annotated[bool, typer.Option("--failed-only", help="Only the edges that are not up "
                                                  "(and failed probes).")] = False,
        state_dir: StateDirOption = DEFAULT_STATE_DIR,
        host_keys: HostKeysOption = DEFAULT_HOST_KEYS,
        known_hosts: KnownHostsOption = None,
        target: TargetOption = None,
        verbose: VerboseOption = False,
        session_log: SessionLogOption = None,
    ) -> None:
        """Compare the observed DMVPN cloud with the intent."""
        from dmvpn_ops.report import print_verify, render_verify
        from dmvpn_ops.report.json import verify_json
        from dmvpn_ops.report.progress import HostProgress
        from dmvpn_ops.verify import verify

        check_format(output, FORMATS)
        if mode not in ("fast", "full"):
            raise InputError(f"unknown mode {mode!r}; use fast or full", field="--mode")
        writable_file(out_file, "--output")
        writable_dir(save_raw, "--save-raw")
        source = intent_source(inventory, nornir_config)
        design = design_for(source)
        settings = connect_settings(source.location, state_dir, host_keys, known_hosts, target, verbose, session_log)
        nornir = source.nornir(design, num_workers=workers, connect=settings,
                             extras={"conn_timeout": timeout, "auth_timeout": timeout,
                                     "banner_timeout": timeout,
                                     # netmiko's session setup ignores conn_timeout: bound it too
                                     "read_timeout_override": timeout})
        nornir = select_nornir(nornir, limit)  # outside --limit: "not selected", never contacted
        progress = HostProgress(err_console, "verify")  # counts the hosts Nornir really asks
        with progress:
            result = verify(design, nornir.with_processors([progress]), mode=mode, probe=probe,
                            probe_pairs=probe_pairs, read_timeout=timeout, save_raw=save_raw)
        if output == "table":
            print_verify(result, console, show_all=show_all or None, failed_only=failed_only)
        else:
            text = verify_json(result, target=settings.target.describe()) if output == "json" \
                else render_verify(result, output)
            if out_file is not None:
                write_output(out_file, text, "--output")
            else:
                typer.echo(text)
        exit_with(result.exit_code)
