"""Brownfield: routers that already run a DMVPN, taken to the intent in an order IOS survives.

The remediation must be what an engineer would push: objects created before they are
referenced, what IOS removes on the way re-applied, what the intent replaced removed; then a
re-deploy pushes nothing and verify is clean. All over real SSH into the emulator.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from dmvpn_ops.deploy import DeployOptions, DeployResult, deploy
from dmvpn_ops.intent import Design, load_design
from dmvpn_ops.intent.nornir import load_nornir
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.verify import verify
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.lab


def _deploy(inventory: Path, design: Design, lab: Lab, state: Path, *, disruptive: bool = False) -> DeployResult:
    nornir = load_nornir(inventory, design, ports=lab.ports(), extras={"conn_timeout": 10})
    try:
        return deploy(design, nornir, DeployOptions(state_dir=state, timeout=10, allow_disruptive=disruptive))
    finally:
        nornir.close_connections()


def _verify_clean(inventory: Path, design: Design, lab: Lab) -> None:
    lab.advance(30)
    nornir = load_nornir(inventory, design, ports=lab.ports(), extras={"conn_timeout": 10})
    try:
        result = verify(design, nornir, mode="full", read_timeout=10)
    finally:
        nornir.close_connections()
    assert result.exit_code == 0, [f.to_dict() for f in result.findings]


def _without_fvrf(tmp: Path) -> Path:
    """The fvrf-nat-spoke design as it ran before the front-door VRF: underlay in the global table."""
    before = tmp / "before"
    shutil.copytree(EXAMPLES / "fvrf-nat-spoke", before)
    groups = before / "groups.yaml"
    groups.write_text(groups.read_text().replace("          fvrf: INET\n", ""))
    return before


def _index(commands: list[str], text: str) -> int:
    stripped = [c.strip() for c in commands]
    assert text in stripped, f"{text!r} not pushed: {commands}"
    return stripped.index(text)


def test_underlay_moved_into_a_front_door_vrf(tmp_path: Path) -> None:
    """vrf definition before vrf forwarding, the address re-applied, the global default route removed."""
    before = _without_fvrf(tmp_path)
    after = EXAMPLES / "fvrf-nat-spoke"
    old, new = load_design(before), load_design(after)
    state = Path(tempfile.mkdtemp())
    with Lab(old, ports="free") as lab:
        assert _deploy(before, old, lab, state).exit_code == 0
        assert "ip route 0.0.0.0 0.0.0.0 192.168.1.1" in lab.running_config("branch-nat")
        blocked = _deploy(after, new, lab, state)  # moving the transport bounces every tunnel
        assert {str(r.status) for r in blocked.hosts.values()} == {"blocked"}
        moved = _deploy(after, new, lab, state, disruptive=True)
        assert moved.exit_code == 0, {h: (r.status, r.reason) for h, r in moved.hosts.items()}
        commands = moved.hosts["branch-nat"].commands
        assert _index(commands, "vrf definition INET") < _index(commands, "vrf forwarding INET")
        assert _index(commands, "vrf forwarding INET") < _index(commands, "ip address 192.168.1.10 255.255.255.0")
        assert _index(commands, "ip route vrf INET 0.0.0.0 0.0.0.0 192.168.1.1") \
            < _index(commands, "no ip route 0.0.0.0 0.0.0.0 192.168.1.1")
        assert "shutdown" not in [c.strip() for c in moved.hosts["branch-nat"].commands]
        running = lab.running_config("branch-nat")
        assert "\n ip address 192.168.1.10 255.255.255.0\n" in running
        assert "ip route 0.0.0.0 0.0.0.0 192.168.1.1\n" not in running.replace("vrf INET ", "vrf-INET-")
        again = _deploy(after, new, lab, state)
        assert again.exit_code == 0 and again.lines_pushed == 0, \
            {h: r.commands for h, r in again.hosts.items() if r.commands}
        _verify_clean(after, new, lab)
