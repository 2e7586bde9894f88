"""The ``dmvpn-ops`` typer app: one module per verb, each a thin layer over a stage.

A verb's module is imported only when that verb runs (or its own ``--help`` is asked), so ``dmvpn-ops --help``,
``lint``, ``render`` and ``parse`` start without loading the SSH and Nornir stacks (netmiko, paramiko, asyncssh).
"""
from __future__ import annotations

import importlib
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from dmvpn_ops import __version__
from dmvpn_ops.cli import _common

# Add a verb: a module dmvpn_ops/cli/<module>.py with ``register(app)``, and one line here:
#   "verb name": ("module", "one line for dmvpn-ops --help (the verb's docstring says the same)"),
VERBS: dict[str, tuple[str, str]] = {
    "demo": ("demo", "Run the whole product on the embedded lab: emulator, deploy, verify, report."),
    "init": ("init", "Write a starter inventory (the demo cloud or an example) into a new directory."),
    "lint": ("lint", "Check the DMVPN design in the inventory against the DMVPN rules."),
    "render": ("render", "Render the IOS configuration of every host (stdout, or files with --out)."),
    "lab": ("lab", "The embedded IOS lab emulator (background process)."),
    "deploy": ("deploy", "Deploy the intent: hubs first, a canary spoke, then spoke batches; roll back on failure."),
    "audit": ("audit", "Show the deploy audit trail: one line per host per deploy (masked)."),
    "rollback": ("rollback", "Return a host to one of its kept backups (configure replace from flash, else owned objects; running == backup checked)."),
    "verify": ("verify", "Compare the observed DMVPN cloud with the intent."),
    "health": ("health", "Nightly health check: verify, append to history, report what changed since the last run."),
    "parse": ("parse", "Parse a saved capture offline; print the records (JSON list or a table)."),
    "clab": ("clab", "containerlab lab generated from the intent."),
    "known-hosts": ("known_hosts", "The SSH host keys dmvpn-ops trusts (<state-dir>/known_hosts)."),
}


class LazyVerbs(TyperGroup):
    """A typer group whose verbs are loaded from VERBS on first use; help lists them without importing them."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.commands, *(name for name in VERBS if name not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in VERBS:
            return self.commands.get(cmd_name)
        # listing (help, completion of verb names): a stand-in with the one-line help, nothing imported
        return typer.core.TyperCommand(cmd_name, short_help=VERBS[cmd_name][1], help=VERBS[cmd_name][1])

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] in VERBS and args[0] not in self.commands:
            self.add_command(load_verb(args[0]), args[0])
        return super().resolve_command(ctx, args)


def load_verb(name: str) -> Any:
    """The click command of one verb: its module's ``register`` run on a scratch app."""
    module = importlib.import_module(f"dmvpn_ops.cli.{VERBS[name][0]}")
    scratch = typer.Typer()
    module.register(scratch)
    return typer.main.get_group(scratch).commands[name]


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"dmvpn-ops {__version__}")
        raise typer.Exit()


app = typer.Typer(
    name="dmvpn-ops",
    cls=LazyVerbs,
    help="Intent-driven Cisco DMVPN operations: render, lint, deploy, verify, health.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="Print the version (from the installed package) and exit.")] = False,
) -> None:
    """Intent-driven Cisco DMVPN operations: render, lint, deploy, verify, health."""


def main() -> None:
    """Console entry point: maps dmvpn-ops errors to exit codes, never a traceback."""
    sys.exit(_common.run_app(app))


__all__ = ["VERBS", "app", "load_verb", "main"]
