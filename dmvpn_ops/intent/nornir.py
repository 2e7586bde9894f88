"""Nornir objects for the deploy/collect stages, with ``env:`` secrets resolved in memory only."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.inventory import ConnectionOptions

from dmvpn_ops.intent.model import Design


def load_nornir(inventory_dir: str | Path, design: Design, *, num_workers: int = 20,
                ports: Mapping[str, int] | None = None,
                extras: Mapping[str, Any] | None = None) -> Nornir:
    """InitNornir over the inventory; credentials come from the validated design.

    ``ports`` overrides SSH ports per host (a lab started on free ports); ``extras`` are
    netmiko connection arguments for every host (timeouts, ``fast_cli``...). When no ports
    are given and ``dmvpn-ops lab up`` runs for this inventory, the hosts are its emulated
    routers on 127.0.0.1 (so a containerlab inventory can be rehearsed without Docker).

    ``design`` has already resolved and checked every secret, so a missing variable was
    reported (exit 2) before any connection is attempted.
    """
    directory = Path(inventory_dir)
    options: dict[str, Any] = {"host_file": str(directory / "hosts.yaml")}
    for key, name in (("group_file", "groups.yaml"), ("defaults_file", "defaults.yaml")):
        if (directory / name).exists():
            options[key] = str(directory / name)
    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": num_workers}},
        inventory={"plugin": "SimpleInventory", "options": options},
        logging={"enabled": False},
    )
    extras_override = extras or {}
    lab_ports = _running_lab_ports(directory) if ports is None else None
    if lab_ports:
        ports = lab_ports
    for name, host in nr.inventory.hosts.items():
        intent = design.hosts[name]
        host.hostname = "127.0.0.1" if lab_ports else intent.hostname
        host.port = (ports or {}).get(name, intent.port)
        host.platform = intent.platform
        host.username = intent.username
        host.password = intent.password.reveal() if intent.password else None
        params = host.get_connection_parameters("netmiko")
        extras = {**dict(params.extras or {}), **dict(extras_override)}
        if intent.enable_secret is not None:
            extras["secret"] = intent.enable_secret.reveal()
        host.connection_options["netmiko"] = ConnectionOptions(
            hostname=host.hostname, port=host.port, username=params.username,
            password=params.password, platform=params.platform, extras=extras)
    return nr


def _running_lab_ports(inventory: Path) -> dict[str, int] | None:
    """Ports of the background lab serving this inventory, if one is running."""
    from dmvpn_ops.lab.runtime import read_state

    state = read_state(inventory)
    return {str(k): int(v) for k, v in state["ports"].items()} if state else None
