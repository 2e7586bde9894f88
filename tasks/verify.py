#!/usr/bin/env python3
"""Playbook: verify the DMVPN cloud against the intent (what `dmvpn-ops verify` runs), step by step."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from dmvpn_ops.errors import DmvpnOpsError
from dmvpn_ops.intent import IntentSource
from dmvpn_ops.lint import ensure_addressing
from dmvpn_ops.report import print_verify, render_verify
from dmvpn_ops.verify import verify

console = Console()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-i", "--inventory", type=Path, default=Path("inventory"))
    parser.add_argument("--nornir-config", type=Path, default=None,
                        help="a Nornir config.yaml (any inventory plugin) instead of -i DIR")
    parser.add_argument("--mode", choices=("fast", "full"), default="full")
    parser.add_argument("--probe", action="store_true", help="spoke-to-spoke probes")
    parser.add_argument("--format", choices=("table", "json", "junit", "prom"), default="table")
    args = parser.parse_args(argv)
    try:
        source = IntentSource(args.inventory, args.nornir_config) # -i DIR, or a Nornir config.yaml (any plugin)
        design = source.design()                                 # -> typed intent (secrets from env:/file:/keyring:)
        ensure_addressing(design)                                # bad addressing is bad input (exit 2), as in the CLI
        nr = source.nornir(design, num_workers=20)                # a plain Nornir object: filter it, add tasks
        console.log(f"asking {len(nr.inventory.hosts)} devices: {', '.join(nr.inventory.hosts)}")
        result = verify(design, nr, mode=args.mode, probe=args.probe)  # collect, parse, compare
    except DmvpnOpsError as exc:
        console.print(f"[bold red]error:[/] {exc.render()}")
        return exc.exit_code
    if args.format == "table":
        print_verify(result, console)
    else:
        print(render_verify(result, args.format))
    return result.exit_code                                      # 0 clean, 1 findings, 3 unreachable


if __name__ == "__main__":
    sys.exit(main())
