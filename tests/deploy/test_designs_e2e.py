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
from dmvpn_ops.verify import verify
from tests.conftest import EXAMPLES, TEST_SECRETS

pytestmark = pytest.mark.lab
DUAL = EXAMPLES / "dual-cloud-per-cloud-psk"


def _run(inventory: Path, lab: Lab, state: Path):  # type: ignore[no-untyped-def]
    design = load_design(inventory)
    nornir = load_nornir(inventory, design, ports=lab.ports(), extras={"conn_timeout": 10})
    return design, nornir, deploy(design, nornir, DeployOptions(state_dir=state, timeout=10))


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
        # The emulator picks keys by peer address as IOS does: with only a 0.0.0.0 entry holding the
        # GOLD key (what the renderer used to emit), SILVER's IKE no longer comes up.
        running = lab.running_config("branch1")
        assert "peer hub-silver" in running
        rejected = lab.configure("branch1", "crypto ikev2 keyring DMVPN-SHARED-KR\n no peer hub-silver\n"
                                 " no peer hub-gold\n peer ANY\n  address 0.0.0.0 0.0.0.0\n"
                                 f"  pre-shared-key {TEST_SECRETS['DMVPN_PSK']}\n")
        assert rejected == []
        lab.advance(400)
        broken = verify(design, nornir, mode="full", read_timeout=10)
        bad = {(f.code, f.cloud) for f in broken.findings if f.host == "branch1" or f.peer == "branch1"}
        assert any(cloud == "SILVER" for _, cloud in bad), bad
        assert not any(cloud == "GOLD" for _, cloud in bad), bad
        nornir.close_connections()
