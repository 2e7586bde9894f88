"""`dmvpn-ops health`: nightly verify full + probes, history, trends; exit 0/1/3 (2: a run already holds the lock)."""
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
    connect_settings,
    console,
    err_console,
    exit_with,
)
from dmvpn_ops.cli._load import design_for, intent_source
from dmvpn_ops.intent.select import select_nornir


def register(app: typer.Typer) -> None:
    @app.command("health")
    def _health(
        history: Annotated[Path, typer.Option("--history", help="Directory of run-<epoch-ms>.json records.")],
        inventory: InventoryOption = DEFAULT_INVENTORY,
        nornir_config: NornirConfigOption = None,
        prom_file: Annotated[Path | None, typer.Option(
            "--prom-file", help="Prometheus textfile-collector file (written atomically).")] = None,
        junit: Annotated[Path | None, typer.Option("--junit", help="JUnit XML report.")] = None,
        keep_days: Annotated[int | None, typer.Option(
            "--keep-days", min=1, help="Delete records older than N days.")] = None,
        mode: Annotated[str, typer.Option("--mode", help="full (every device) or fast (hubs).")] = "full",
        probe: Annotated[bool, typer.Option("--probe/--no-probe", help="Spoke-to-spoke probes.")] = True,
        probe_pairs: Annotated[int | None, typer.Option(
            "--probe-pairs", min=1, help="Sample N spoke pairs per cloud.")] = None,
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
        """Nightly health check: verify, append to history, report what changed since the last run."""
        from dmvpn_ops.health.nightly import HealthOptions, run_health
        from dmvpn_ops.report.health import print_health
        from dmvpn_ops.report.progress import HostProgress

        options = HealthOptions(history=history, mode=mode, probe=probe, probe_pairs=probe_pairs,
                                keep_days=keep_days, prom_file=prom_file, junit_file=junit,
                                read_timeout=timeout)
        source = intent_source(inventory, nornir_config)
        design = design_for(source)
        settings = connect_settings(source.location, state_dir, host_keys, known_hosts, target, verbose, session_log)
        nornir = source.nornir(design, num_workers=workers, connect=settings,
                             extras={"conn_timeout": timeout, "auth_timeout": timeout,
                                     "banner_timeout": timeout, "read_timeout_override": timeout})
        nornir = select_nornir(nornir, limit)  # outside --limit: "not selected", never contacted
        progress = HostProgress(err_console, "health")  # counts the hosts Nornir really asks
        with progress:
            run = run_health(design, nornir.with_processors([progress]), options)
        print_health(run, console, show_all=show_all or None, failed_only=failed_only)
        for finding in run.history_findings:  # the clock and corrupt records, named in the summary
            console.print(f"[yellow]warning:[/] {finding.message}. Hint: {finding.hint}", highlight=False,
                          soft_wrap=True)
        exit_with(run.exit_code)
