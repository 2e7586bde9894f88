"""Rehearsal: the generated lab inventory (kind interface names) deploys and verifies clean on the emulator.

The emulator binds 127.0.0.1; the inventory's Nornir hostname is the containerlab management
address, so the rehearsal connects to ``data.lab`` (127.0.0.1 and ``rehearsal_ports``) instead.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import dmvpn_ops.deploy as deploy_mod
import dmvpn_ops.lab.api as lab_api
import dmvpn_ops.verify as verify_mod
from dmvpn_ops.clab import generate_lab, rehearsal_ports
from dmvpn_ops.clab.kinds import KINDS
from dmvpn_ops.intent import load_design
from dmvpn_ops.parse import parse

from .conftest import ROOT

pytestmark = pytest.mark.lab  # every test here starts the lab emulator

CLAB_ENV = {"CLAB_SSH_PASSWORD": "Clab-pw-4e1b", "CLAB_ENABLE_SECRET": "Clab-en-93fa"}


def _nornir(inventory: Path, design, lab):  # type: ignore[no-untyped-def]
    from dmvpn_ops.intent.nornir import load_nornir
    nr = load_nornir(inventory, design, ports=lab.ports(), extras={"fast_cli": False})
    for host in nr.inventory.hosts.values():  # data.lab.hostname: the emulator's address
        host.hostname = host.data["lab"]["hostname"]
        host.connection_options["netmiko"].hostname = host.hostname
    return nr


@pytest.mark.parametrize("kind", ["cisco_iol"])  # c8000v names: covered by test_generate
def test_generated_lab_inventory_deploys_and_verifies_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            kind: str) -> None:
    for key, value in CLAB_ENV.items():
        monkeypatch.setenv(key, value)
    generate_lab(ROOT / "inventory", tmp_path / "lab", kind=kind)
    inventory = tmp_path / "lab" / "inventory"
    design = load_design(inventory)
    assert set(rehearsal_ports(inventory).values()) >= {12201, 12214}  # the demo's ports, kept
    # Free ports here: the demo (same ports) may be running on this machine.
    with lab_api.Lab(design, ports="free") as lab:
        result = deploy_mod.deploy(design, _nornir(inventory, design, lab),
                                   deploy_mod.DeployOptions(state_dir=tmp_path / "state", revert_minutes=0,
                                                            no_revert_timer=True))
        assert result.ok, {h: (r.status, getattr(r, "error", None)) for h, r in result.hosts.items()}
        lab.advance(120)  # registrations, IKE and EIGRP settle on the emulated clock
        verdict = verify_mod.verify(design, _nornir(inventory, design, lab), mode="full")
        assert verdict.exit_code == 0, [f"{f.code} {f.host} {f.message}" for f in verdict.findings]
        dmvpn = lab.run("spoke1", "show dmvpn")
        assert f"interface {KINDS[kind].data_interface(0)}\n" in lab.running_config("spoke1")  # Ethernet0/1 on IOL
        hub_tunnels = {str(t.tunnel_ip) for hub in design.hub_names for t in design.hosts[hub].tunnels}
        up = {r["peer_tunnel"] for r in parse("show dmvpn", dmvpn) if r["state"] == "UP"}
        assert up == hub_tunnels, dmvpn  # spoke1 registered with both hubs


def test_lab_up_serves_generated_inventory_and_nornir_targets_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`dmvpn-ops lab up -i <lab inventory>` binds data.lab ports; load_nornir then targets 127.0.0.1."""
    from dmvpn_ops.intent.nornir import load_nornir
    from dmvpn_ops.lab import runtime

    for key, value in CLAB_ENV.items():
        monkeypatch.setenv(key, value)
    generate_lab(ROOT / "inventory", tmp_path / "lab", kind="cisco_iol")
    inventory = tmp_path / "lab" / "inventory"
    design = load_design(inventory)
    state = runtime.up(inventory)  # binds the data.lab ports, not the management port 22
    try:
        assert state["ports"] == {name: host.emulator_port for name, host in design.hosts.items()}
        nornir = load_nornir(inventory, design)
        hub = nornir.inventory.hosts["hub1"]
        assert (hub.hostname, hub.port) == ("127.0.0.1", state["ports"]["hub1"])
    finally:
        runtime.down(inventory)
    nornir = load_nornir(inventory, design)  # lab down: the containerlab management address again
    assert nornir.inventory.hosts["hub1"].hostname != "127.0.0.1"
