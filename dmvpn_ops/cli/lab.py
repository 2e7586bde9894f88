"""`dmvpn-ops lab up|down|status|fault|clear|clock`: the emulator in the background."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from dmvpn_ops.cli._common import DEFAULT_INVENTORY, InventoryOption, NornirConfigOption, console
from dmvpn_ops.errors import InputError

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_PART = re.compile(r"(\d+(?:\.\d+)?)([smhdw]?)")


def parse_duration(text: str) -> float:
    """``90s``, ``2h``, ``1d``, ``1h30m``, ``45`` (seconds) -> seconds."""
    compact = text.strip().lower()
    parts = _PART.findall(compact)
    if not compact or "".join(n + u for n, u in parts) != compact:
        raise InputError(f"bad duration {text!r}", field="ADVANCE",
                         hint="use a number with a unit: 90s, 15m, 2h, 1d, 1w (or combined: 1h30m)")
    return sum(float(n) * _UNITS[u or "s"] for n, u in parts)


def _lab_key(inventory: Path, nornir_config: Path | None) -> Path:
    """What names the lab: the Nornir config when given (it must exist: exit 2 naming it), else the folder.

    The same key the connecting verbs use (``IntentSource.location``), so ``verify --nornir-config F``
    finds the lab ``lab up --nornir-config F`` started.
    """
    if nornir_config is not None and not nornir_config.is_file():
        raise InputError("Nornir config file not found", file=str(nornir_config), field="--nornir-config")
    return nornir_config if nornir_config is not None else inventory


def _targets(inventory: Path, nornir_config: Path | None, term: str) -> list[str]:
    """HOST of `lab fault` / `lab clear`: a host name or ``--limit`` terms (groups, globs, ``!`` excludes).

    Only hosts with DMVPN intent run in the lab: a core switch of a Nornir inventory is no target.
    """
    from dmvpn_ops.intent.select import select_hosts

    if nornir_config is None:
        from dmvpn_ops.intent import read_inventory

        raw = read_inventory(inventory)  # the files only: no secrets needed to name hosts
        return select_hosts(term, {host: set(raw.group_chain(host)) for host in raw.hosts})
    from dmvpn_ops.intent.inventory import has_dmvpn
    from dmvpn_ops.intent.nornir import load_nornir_config
    from dmvpn_ops.intent.select import inventory_groups

    nornir = load_nornir_config(nornir_config).filter(filter_func=has_dmvpn)  # no secrets needed either
    return select_hosts(term, inventory_groups(nornir))


def _print_status(state: dict[str, Any], result: dict[str, Any]) -> None:
    console.print(f"lab running: pid {state['pid']}, clock {result['clock']}, log {state['log']}",
                  highlight=False, soft_wrap=True)
    for name, info in result["hosts"].items():
        flags = ", ".join((["DOWN"] if info["down"] else []) + info["faults"]) or "ok"
        console.print(f"  {name:<12} 127.0.0.1:{info['port']:<6} sessions {info['sessions']:<3} {flags}",
                      highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="The embedded IOS lab emulator (background process).", no_args_is_help=True)
    app.add_typer(sub, name="lab")
    from dmvpn_ops.lab import runtime

    @sub.command("up")
    def _up(inventory: InventoryOption = DEFAULT_INVENTORY, nornir_config: NornirConfigOption = None) -> None:
        """Start one simulated router per inventory host on 127.0.0.1 (ports from the inventory)."""
        state = runtime.up(inventory, nornir_config)
        console.print(f"lab up: pid {state['pid']}, {len(state['ports'])} routers, log {state['log']}",
                      highlight=False, soft_wrap=True)

    @sub.command("down")
    def _down(inventory: InventoryOption = DEFAULT_INVENTORY, nornir_config: NornirConfigOption = None) -> None:
        """Stop the lab started for this inventory (exactly that process)."""
        key = _lab_key(inventory, nornir_config)
        pid = runtime.down(key)
        console.print(f"lab down (pid {pid})" if pid else f"no lab was running for {key}",
                      highlight=False, soft_wrap=True)

    @sub.command("status")
    def _status(inventory: InventoryOption = DEFAULT_INVENTORY, nornir_config: NornirConfigOption = None) -> None:
        """Show whether the lab runs, its routers, ports, faults and emulated clock (exit 1 if down)."""
        key = _lab_key(inventory, nornir_config)
        state = runtime.read_state(key)
        if state is None:
            console.print(f"no lab running for {key}", highlight=False, soft_wrap=True)
            raise typer.Exit(1)
        _print_status(state, runtime.call(key, "status"))

    @sub.command("fault")
    def _fault(kind: Annotated[str, typer.Argument(help="hub-down, wrong-psk, nbma-change, link-loss, slow, "
                                                        "ssh-drop, refuse-login, rogue-spoke")],
               host: Annotated[str, typer.Argument(help="host name, or host/group names and globs, comma-separated; "
                                                        "!term excludes (as --limit)")],
               seconds: Annotated[str | None, typer.Option("--delay", help="slow: reply delay (2s)")] = None,
               inventory: InventoryOption = DEFAULT_INVENTORY, nornir_config: NornirConfigOption = None) -> None:
        """Inject a fault on one router (or on every router HOST selects: 'spoke*', 'spokes,!spoke3')."""
        value = parse_duration(seconds) if seconds else None
        key = _lab_key(inventory, nornir_config)
        targets = _targets(inventory, nornir_config, host)
        for name in targets:
            runtime.call(key, "fault", kind=kind, host=name, value=value)
        console.print(f"fault {kind} injected on {', '.join(targets)}", highlight=False, soft_wrap=True)

    @sub.command("clear")
    def _clear(host: Annotated[str | None, typer.Argument(help="host, or host/group names and globs "
                                                               "(as --limit; default: all)")] = None,
               inventory: InventoryOption = DEFAULT_INVENTORY, nornir_config: NornirConfigOption = None) -> None:
        """Remove faults from one router, from those HOST selects, or from all."""
        key = _lab_key(inventory, nornir_config)
        targets = _targets(inventory, nornir_config, host) if host is not None else [None]
        for name in targets:
            runtime.call(key, "clear", host=name)
        console.print(f"faults cleared on {host and ', '.join(str(t) for t in targets) or 'all routers'}",
                      highlight=False, soft_wrap=True)

    @sub.command("clock")
    def _clock(advance: Annotated[str, typer.Argument(help="how far to move the clock: 90s, 2h, 1d")],
               inventory: InventoryOption = DEFAULT_INVENTORY, nornir_config: NornirConfigOption = None) -> None:
        """Advance the emulated clock (timers, uptimes and expiries move)."""
        result = runtime.call(_lab_key(inventory, nornir_config), "advance", seconds=parse_duration(advance))
        console.print(f"clock now {result['clock']}", highlight=False, soft_wrap=True)


__all__ = ["register", "parse_duration", "Path"]
