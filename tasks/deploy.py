#!/usr/bin/env python3
"""Playbook: deploy the intent (what `dmvpn-ops deploy` runs): backup, diff, hubs then spokes, roll back."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from dmvpn_ops.deploy import DeployOptions, deploy
from dmvpn_ops.errors import DmvpnOpsError
from dmvpn_ops.intent import IntentSource
from dmvpn_ops.lint import ensure_addressing
from dmvpn_ops.report.deploy import render_deploy

console = Console()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-i", "--inventory", type=Path, default=Path("inventory"))
    parser.add_argument("--nornir-config", type=Path, default=None,
                        help="a Nornir config.yaml (any inventory plugin) instead of -i DIR")
    parser.add_argument("--dry-run", action="store_true", help="show the per-host diff, push nothing")
    parser.add_argument("--limit", help="host names, group names or globs, comma separated; !term excludes")
    parser.add_argument("--state-dir", type=Path, default=Path(".dmvpn-ops"), help="backups go under DIR/backups")
    args = parser.parse_args(argv)
    limit = tuple(h.strip() for h in args.limit.split(",") if h.strip()) if args.limit else None
    try:
        source = IntentSource(args.inventory, args.nornir_config) # -i DIR, or a Nornir config.yaml (any plugin)
        design = source.design()                                 # -> typed intent (secrets from env:/file:/keyring:)
        ensure_addressing(design)                                # bad addressing is bad input (exit 2), as in the CLI
        nr = source.nornir(design)                                # the Nornir object deploy pushes through
        options = DeployOptions(dry_run=args.dry_run, limit=limit, state_dir=args.state_dir)
        result = deploy(design, nr, options)                     # backup, diff, push, confirm or roll back
    except DmvpnOpsError as exc:
        console.print(f"[bold red]error:[/] {exc.render()}")
        return exc.exit_code
    render_deploy(result, console, show_diff=args.dry_run)
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
