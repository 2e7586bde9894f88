"""`dmvpn-ops known-hosts forget HOST`: accept a device's new SSH host key on the next contact."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dmvpn_ops.cli._common import (
    DEFAULT_INVENTORY,
    DEFAULT_STATE_DIR,
    InventoryOption,
    KnownHostsOption,
    StateDirOption,
    console,
)
from dmvpn_ops.errors import InputError


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="The SSH host keys dmvpn-ops trusts (<state-dir>/known_hosts).", no_args_is_help=True)
    app.add_typer(sub, name="known-hosts")

    @sub.command("forget")
    def _forget(
        host: Annotated[str, typer.Argument(help="inventory host name, or a known_hosts name (address, or address:port in brackets)")],
        inventory: InventoryOption = DEFAULT_INVENTORY,
        state_dir: StateDirOption = DEFAULT_STATE_DIR,
        known_hosts: KnownHostsOption = None,
    ) -> None:
        """Remove HOST's recorded keys: the next run records the key it finds (tofu)."""
        from dmvpn_ops.collect.hostkeys import KnownHosts

        path = known_hosts or state_dir / "known_hosts"
        names = {host, *_addresses(inventory, host)}
        removed = KnownHosts(path).forget(names)
        if not removed:
            raise InputError(f"no key recorded for {host}", file=str(path),
                             hint="`--known-hosts FILE` / `--state-dir DIR` if the keys live elsewhere")
        console.print(f"forgot {removed} key(s) of {host} in {path}; the next contact records the key it finds",
                      highlight=False, soft_wrap=True)


def _addresses(inventory: Path, host: str) -> set[str]:
    """The known_hosts names HOST connects as: its inventory address and, if a lab runs, its lab port."""
    from dmvpn_ops.collect.hostkeys import entry_name

    if not (inventory / "hosts.yaml").is_file():
        return set()
    from dmvpn_ops.intent import load_design

    design = load_design(inventory, require_secrets=False)
    if host not in design.hosts:
        return set()
    intent = design.hosts[host]
    return {entry_name(intent.hostname, intent.port), entry_name("127.0.0.1", intent.emulator_port)}


__all__ = ["register"]
