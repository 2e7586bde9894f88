#!/usr/bin/env python3
"""Playbook: the nightly health check (what `dmvpn-ops health` runs): verify, history, what changed."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from dmvpn_ops.errors import DmvpnOpsError
from dmvpn_ops.health.nightly import HealthOptions, run_health
from dmvpn_ops.intent import IntentSource
from dmvpn_ops.lint import ensure_addressing
from dmvpn_ops.report.health import print_health

console = Console()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-i", "--inventory", type=Path, default=Path("inventory"))
    parser.add_argument("--nornir-config", type=Path, default=None,
                        help="a Nornir config.yaml (any inventory plugin) instead of -i DIR")
    parser.add_argument("--history", type=Path, required=True, help="directory of run-*.json records")
    parser.add_argument("--prom-file", type=Path, help="Prometheus textfile-collector output")
    parser.add_argument("--junit", type=Path, help="JUnit XML output")
    parser.add_argument("--keep-days", type=int, help="prune records older than N days")
    parser.add_argument("--no-probe", action="store_true", help="skip spoke-to-spoke probes")
    args = parser.parse_args(argv)
    options = HealthOptions(history=args.history, probe=not args.no_probe, keep_days=args.keep_days,
                            prom_file=args.prom_file, junit_file=args.junit)
    try:
        source = IntentSource(args.inventory, args.nornir_config) # -i DIR, or a Nornir config.yaml (any plugin)
        design = source.design()                                 # -> typed intent (secrets from env:/file:/keyring:)
        ensure_addressing(design)                                # bad addressing is bad input (exit 2), as in the CLI
        nr = source.nornir(design)                                # a plain Nornir object (filter, add tasks)
        run = run_health(design, nr, options)                    # lock, verify, record, compare, write
    except DmvpnOpsError as exc:                                 # exit 2: bad input or a run holds the lock
        console.print(f"[bold red]error:[/] {exc.render()}")
        return exc.exit_code
    print_health(run, console)                                   # what changed first, then the cloud
    return run.exit_code


if __name__ == "__main__":
    sys.exit(main())
