"""A lab target always connects to loopback, even when the caller brings its own ports.

Safety: the inventory's hostnames are real routers; a rehearsal on the lab must never reach them.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.nornir import ConnectSettings, Target, load_nornir
from tests.conftest import INVENTORY


def _real_addresses(tmp_path: Path) -> Path:
    """The demo inventory with a documentation address (192.0.2.10) as hostname: loaded, never contacted."""
    inventory = tmp_path / "inventory"
    shutil.copytree(INVENTORY, inventory, symlinks=True)
    defaults = inventory / "defaults.yaml"
    defaults.write_text(defaults.read_text().replace("hostname: 127.0.0.1", "hostname: 192.0.2.10"))
    return inventory


def _settings(kind: str, inventory: Path, tmp_path: Path) -> ConnectSettings:
    target = Target(kind, str(inventory), {"hub1": 40001}, pid=None)
    return ConnectSettings.build(target=target, state_dir=tmp_path / "state")


@pytest.mark.parametrize("ports", [None, {"hub1": 40002}])
def test_lab_target_is_loopback_whoever_gives_the_ports(tmp_path: Path, ports: dict[str, int] | None) -> None:
    inventory = _real_addresses(tmp_path)
    design = load_design(inventory)
    assert design.hosts["hub1"].hostname.startswith("192.0.2.")
    nr = load_nornir(inventory, design, ports=ports, connect=_settings("lab", inventory, tmp_path))
    hub1 = nr.inventory.hosts["hub1"]
    assert hub1.hostname == "127.0.0.1"
    assert hub1.get_connection_parameters("netmiko").hostname == "127.0.0.1"
    assert hub1.port == (ports or {"hub1": 40001})["hub1"]


def test_devices_target_keeps_the_inventory_address(tmp_path: Path) -> None:
    inventory = _real_addresses(tmp_path)
    design = load_design(inventory)
    nr = load_nornir(inventory, design, connect=_settings("devices", inventory, tmp_path))
    assert nr.inventory.hosts["hub1"].hostname == design.hosts["hub1"].hostname.strip()
    assert nr.inventory.hosts["hub1"].hostname.startswith("192.0.2.")
