"""Shared CLI plumbing: options, the error boundary and exit codes."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from dmvpn_ops.errors import DmvpnOpsError, InputError

if TYPE_CHECKING:
    from dmvpn_ops.intent.nornir import ConnectSettings

try:  # typer >= 0.26 vendors click (checked on the 0.24 and 0.26 wheels)
    from typer._click.exceptions import ClickException, NoArgsIsHelpError
except ImportError:  # pragma: no cover - older typer requires click itself, so it is installed
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
NornirConfigOption = Annotated[Path | None, typer.Option(
    "--nornir-config", help="A Nornir config.yaml instead of -i DIR: its inventory plugin (SimpleInventory, "
                            "nornir-ansible's AnsibleInventory, NetBox...) gives the hosts; hosts without "
                            "data.dmvpn are left alone.")]

# --- options of every verb that connects (one place: add new shared options beside these) ----------
DEFAULT_STATE_DIR = Path(".dmvpn-ops")
StateDirOption = Annotated[
    Path, typer.Option("--state-dir", envvar="DMVPN_OPS_STATE_DIR",
                       help="Backups, audit.jsonl, known_hosts and locks live here.")]
HostKeysOption = Annotated[str, typer.Option(
    "--host-keys", help="SSH host keys: tofu (record on first contact, refuse a changed key), "
                        "strict (refuse unknown keys too) or off.")]
DEFAULT_HOST_KEYS = "tofu"
KnownHostsOption = Annotated[Path | None, typer.Option(
    "--known-hosts", help="OpenSSH known_hosts file (default: <state-dir>/known_hosts).")]
TargetOption = Annotated[str | None, typer.Option(
    "--target", help="lab (the running emulator of this inventory) or devices (hosts.yaml addresses) "
                     "(default: the lab when one runs for the inventory).")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Log connections and commands (masked).")]
LimitOption = Annotated[str | None, typer.Option(
    "--limit", help="Only these hosts: comma-separated host names, group names and globs; !term excludes "
                    "(e.g. 'spokes,!spoke3', 'hub*').")]
SessionLogOption = Annotated[Path | None, typer.Option(
    "--session-log", help="Write one masked netmiko session log per host to DIR/<host>.log (mode 0600).")]


TABLE_OR_JSON = ("table", "json")


def check_format(output: str, formats: tuple[str, ...] = TABLE_OR_JSON) -> None:
    """``--format``: one check and one message for every verb (exit 2 naming the option, never a fallback).

    Raises:
        InputError: ``output`` is not one of ``formats``.
    """
    if output not in formats:
        raise InputError(f"--format must be {', '.join(formats[:-1])} or {formats[-1]}, not {output!r}",
                         field="--format")


def connect_settings(inventory: Path, state_dir: Path, host_keys: str, known_hosts: Path | None,
                     target: str | None, verbose: bool, session_log: Path | None) -> ConnectSettings:
    """Check the shared connection options and resolve the target; prints the target (stderr).

    Raises:
        InputError: a bad choice, or a lab state file whose lab is not running (never a silent fallback).
    """
    from dmvpn_ops.intent.nornir import ConnectSettings, resolve_target

    if verbose:
        enable_verbose_logging()
    settings = ConnectSettings.build(state_dir=state_dir, host_keys=host_keys, known_hosts=known_hosts,
                                     session_log=session_log,
                                     target=resolve_target(inventory, target))
    err_console.print(f"target: {settings.target.describe()}", highlight=False, soft_wrap=True)
    return settings


def enable_verbose_logging() -> None:
    """``-v``: dmvpn_ops and netmiko log lines on stderr, through the secrets mask (installed once)."""
    import logging

    from dmvpn_ops.secrets import MaskingFilter

    class _Stderr(logging.Handler):  # the current sys.stderr at each record (not the one at install time)
        def emit(self, record: logging.LogRecord) -> None:
            try:
                sys.stderr.write(self.format(record) + "\n")
            except Exception:  # logging must never break the run
                self.handleError(record)

    for name in ("dmvpn_ops", "netmiko"):
        logger = logging.getLogger(name)
        if any(h for h, _ in _VERBOSE if h in logger.handlers):
            continue
        handler = _Stderr()
        handler.addFilter(MaskingFilter())
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        _VERBOSE.append((handler, logger.level))
        logger.setLevel(logging.DEBUG if name == "dmvpn_ops" else logging.INFO)
        logger.addHandler(handler)


def disable_verbose_logging() -> None:
    """Undo ``-v`` at the end of a run (in-process callers run many verbs in one interpreter)."""
    import logging

    for (handler, level), name in zip(_VERBOSE, ("dmvpn_ops", "netmiko")):
        logger = logging.getLogger(name)
        logger.removeHandler(handler)
        logger.setLevel(level)
    _VERBOSE.clear()


_VERBOSE: list[tuple[Any, int]] = []  # (handler, the logger's level before) per logger -v touched


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
    finally:
        disable_verbose_logging()
    return 0


def exit_with(code: int) -> None:
    if code:
        raise typer.Exit(code)

