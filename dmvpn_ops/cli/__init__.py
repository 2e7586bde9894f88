"""The ``dmvpn-ops`` typer app: one module per verb, each a thin layer over a stage."""
from __future__ import annotations

import sys

import typer

from dmvpn_ops.cli import _common, clab, demo, deploy, health, lab, lint, parse, render, verify

app = typer.Typer(
    name="dmvpn-ops",
    help="Intent-driven Cisco DMVPN operations: render, lint, deploy, verify, health.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _verb in (demo, lint, render, lab, deploy, verify, health, parse, clab):
    _verb.register(app)


def main() -> None:
    """Console entry point: maps dmvpn-ops errors to exit codes, never a traceback."""
    sys.exit(_common.run_app(app))


__all__ = ["app", "main"]
