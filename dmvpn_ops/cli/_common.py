"""Shared CLI plumbing: options, the error boundary and exit codes."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dmvpn_ops.errors import DmvpnOpsError

try:  # typer >= 0.20 vendors click
    from typer._click.exceptions import ClickException, NoArgsIsHelpError
except ImportError:  # pragma: no cover - older typer with external click
    from click.exceptions import ClickException, NoArgsIsHelpError  # type: ignore[assignment,no-redef,unused-ignore]

# Logs and CI captures are not terminals: rich would wrap tables at 80 columns there.
_WIDTH = None if sys.stdout.isatty() else 140
console = Console(width=_WIDTH)
err_console = Console(stderr=True, width=_WIDTH)

InventoryOption = Annotated[
    Path,
    typer.Option("--inventory", "-i", help="Nornir SimpleInventory directory.", show_default=True),
]
DEFAULT_INVENTORY = Path("inventory")


def run_app(app: typer.Typer, args: list[str] | None = None) -> int:
    """Run the typer app; DmvpnOpsError becomes a one-paragraph message and its exit code."""
    try:
        result = app(args=args, standalone_mode=False, prog_name="dmvpn-ops")
        if isinstance(result, int):  # click returns the exit code of a typer.Exit here
            return result
    except DmvpnOpsError as exc:
        err_console.print(f"[bold red]error:[/] {exc.render()}", highlight=False, soft_wrap=True)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err_console.print("aborted")
        return 130
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    except NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help() if exc.ctx else "")
        return 0
    except ClickException as exc:  # usage errors: bad option, missing argument
        exc.show()
        return 2
    return 0


def exit_with(code: int) -> None:
    if code:
        raise typer.Exit(code)

