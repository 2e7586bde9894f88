"""Designs that need IOS-correct rendering, on the emulator over real SSH: deploy, re-deploy 0, verify clean."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from dmvpn_ops.deploy import DeployOptions, deploy
from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.nornir import load_nornir
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.lab.cloud.crypto import negotiate
from dmvpn_ops.lab.cloud.world import World
from dmvpn_ops.render import render_config
from dmvpn_ops.verify import verify
from tests.conftest import EXAMPLES, TEST_SECRETS
from tests.deploy.helpers import INVENTORIES

DUAL = EXAMPLES / "dual-cloud-per-cloud-psk"


def _run(inventory: Path, lab: Lab, state: Path):  # type: ignore[no-untyped-def]
    design = load_design(inventory)
    nornir = load_nornir(inventory, design, ports=lab.ports(), extras={"conn_timeout": 10})
    return design, nornir, deploy(design, nornir, DeployOptions(state_dir=state, timeout=10))


@pytest.mark.lab
def test_dual_cloud_shared_protection_with_a_psk_per_cloud() -> None:
    """Both clouds come up although they share one IKE profile and each has its own key."""
    assert TEST_SECRETS["DMVPN_PSK"] != TEST_SECRETS["DMVPN_OTHER_PSK"] == os.environ["DMVPN_OTHER_PSK"]
    design = load_design(DUAL)
    state = Path(tempfile.mkdtemp())
    with Lab(design, ports="free") as lab:
        design, nornir, first = _run(DUAL, lab, state)
        assert first.exit_code == 0, {h: (r.status, r.reason) for h, r in first.hosts.items()}
        _, _, second = _run(DUAL, lab, state)
        assert second.exit_code == 0 and second.lines_pushed == 0
        lab.advance(30)
        result = verify(design, nornir, mode="full", read_timeout=10)
        assert result.exit_code == 0, [f.to_dict() for f in result.findings]
        edges = {(e.cloud, e.hub, e.spoke) for e in result.edges}
        assert ("SILVER", "hub-silver", "branch1") in edges and ("GOLD", "hub-gold", "branch1") in edges
        nornir.close_connections()


@pytest.mark.parametrize("keyring,silver_ok", [("per-peer", True), ("wildcard-gold-key", False)])
def test_emulator_picks_the_key_by_peer_address(keyring: str, silver_ok: bool) -> None:
    """With only a 0.0.0.0 entry holding the GOLD key (what the renderer used to emit), SILVER fails."""
    design = load_design(DUAL)
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    if keyring == "wildcard-gold-key":
        start = configs["branch1"].index("crypto ikev2 keyring")
        end = configs["branch1"].index("crypto ikev2 profile")
        configs["branch1"] = (configs["branch1"][:start] + "crypto ikev2 keyring DMVPN-SHARED-KR\n peer ANY\n"
                              f"  address 0.0.0.0 0.0.0.0\n  pre-shared-key {TEST_SECRETS['DMVPN_PSK']}\n !\n!\n"
                              + configs["branch1"][end:])
    world = World(design, configs.__getitem__)
    gold = negotiate(world, "branch1", "Tunnel111", "hub-gold", "Tunnel111")
    silver = negotiate(world, "branch1", "Tunnel112", "hub-silver", "Tunnel112")
    assert gold.ok
    assert silver.ok is silver_ok and (silver_ok or silver.reason == "psk")


@pytest.mark.lab
@pytest.mark.parametrize("name", list(INVENTORIES))
def test_every_example_deploys_and_verifies_clean(name: str) -> None:
    inventory = INVENTORIES[name]
    design = load_design(inventory)
    state = Path(tempfile.mkdtemp())
    with Lab(design, ports="free") as lab:
        design, nornir, first = _run(inventory, lab, state)
        assert first.exit_code == 0, {h: (r.status, r.reason) for h, r in first.hosts.items()}
        lab.advance(30)
        result = verify(design, nornir, mode="full", read_timeout=10)
        nornir.close_connections()
        assert result.exit_code == 0, [f.to_dict() for f in result.findings]
        # the running config as IOS prints it (defaults hidden/shown, IOS order) still matches the intent
        _, again_nr, again = _run(inventory, lab, state)
        again_nr.close_connections()
        assert again.exit_code == 0 and again.lines_pushed == 0, {h: r.status for h, r in again.hosts.items()}
