"""Verify against the lab emulator: clean cloud, every fault kind, probes per phase, the CLI.

One lab per inventory (module scope), deployed once; each fault test injects, verifies, clears
and lets the clock run past the NHRP hold time so the next test starts from a clean cloud.
"""
from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from dmvpn_ops.intent import Design, load_design
from dmvpn_ops.intent.nornir import load_nornir
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.verify import VerifyResult, verify

pytestmark = pytest.mark.lab
ROOT = Path(__file__).resolve().parents[2]
HOLD = 300
REKEY = 86400  # IKE SA lifetime of the rendered profiles (IOS default): when a changed key is checked


class Cloud:
    def __init__(self, inventory: Path, design: Design, lab: Any) -> None:
        self.inventory, self.design, self.lab = inventory, design, lab

    def nornir(self, timeout: float = 10.0):
        extras = {"conn_timeout": timeout, "auth_timeout": timeout, "banner_timeout": timeout,
                  "read_timeout_override": timeout}
        return load_nornir(self.inventory, self.design, ports=self.lab.ports(), extras=extras)

    def verify(self, mode: str = "full", timeout: float = 10.0, **kw: Any) -> VerifyResult:
        return verify(self.design, self.nornir(timeout), mode=mode, read_timeout=timeout, **kw)

    def configure(self, host: str, lines: list[str]) -> None:
        nr = self.nornir()
        conn = nr.inventory.hosts[host].get_connection("netmiko", nr.config)
        try:
            conn.send_config_set(lines)
        finally:
            nr.close_connections()

    def settle(self) -> None:
        """Clear every fault and let stale registrations expire."""
        self.lab.clear()
        self.lab.advance(HOLD + 30)


def _start(inventory: Path) -> Iterator[Cloud]:
    from dmvpn_ops.deploy import DeployOptions, deploy

    design = load_design(inventory)
    with Lab(design, ports="free") as lab:
        cloud = Cloud(inventory, design, lab)
        result = deploy(design, cloud.nornir(), DeployOptions(state_dir=Path(tempfile.mkdtemp()), timeout=10))
        assert all(h.ok for h in result.hosts.values()), {n: h.status for n, h in result.hosts.items()}
        lab.advance(30)
        yield cloud


@pytest.fixture(scope="module")
def demo() -> Iterator[Cloud]:
    yield from _start(ROOT / "inventory")


def codes(result: VerifyResult) -> set[tuple[str, str | None]]:
    return {(f.code, f.host) for f in result.findings}


def test_clean_deploy_verifies_clean_fast_and_full(demo):
    for mode in ("fast", "full"):
        result = demo.verify(mode)
        assert result.findings == [], [f.to_dict() for f in result.findings]
        assert result.exit_code == 0
        assert len(result.edges) == 8 and all(e.status == "up" for e in result.edges)
    fast = demo.verify("fast")
    assert fast.summary()["hosts_collected"] == 2  # fast asks only the hubs


def test_wrong_psk_shows_at_the_rekey_not_before(demo):
    """IOS keeps the established SA across a key change until the IKE SA authenticates again (86400 s, its
    lifetime; child SAs re-key inside it without the key): right after the fault the cloud still verifies
    clean, as production would; at that new authentication it breaks."""
    demo.lab.fault("wrong-psk", "spoke2")
    try:
        first = demo.verify("full")
        assert ("IKE_NOT_ESTABLISHED", "spoke2") not in codes(first), [f.to_dict() for f in first.findings]
        demo.lab.advance(REKEY)
        result = demo.verify("full")
        assert ("IKE_NOT_ESTABLISHED", "spoke2") in codes(result), [f.to_dict() for f in result.findings]
        assert {f.host for f in result.findings} <= {"spoke2", "hub1", "hub2"}
        assert result.exit_code == 1
    finally:
        demo.settle()


@pytest.mark.parametrize("kind,host,immediate,later", [
    ("link-loss", "spoke1", ("INTERFACE_DOWN", "spoke1"), ("SPOKE_NOT_REGISTERED", "spoke1")),
    ("nbma-change", "spoke3", ("IKE_NOT_ESTABLISHED", "spoke3"), ("WRONG_NBMA", "spoke3")),
    ("rogue-spoke", "hub1", ("UNKNOWN_PEER", "hub1"), ("UNKNOWN_PEER", "hub1")),
])
def test_cloud_fault_is_reported_on_the_right_host(demo, kind, host, immediate, later):
    """Right after the fault (hub caches still hold the old registration) and after the hold time."""
    demo.lab.fault(kind, host)
    try:
        first = demo.verify("full")
        assert immediate in codes(first), [f.to_dict() for f in first.findings]
        demo.lab.advance(HOLD + 30)
        result = demo.verify("full")
        assert later in codes(result), [f.to_dict() for f in result.findings]
        assert {f.host for f in result.findings} <= {host, "hub1", "hub2"} | ({"hub1"} if kind == "rogue-spoke" else set())
        assert result.exit_code == 1
    finally:
        demo.settle()


def test_hub_down_unreachable_and_nhs_down_on_the_hub(demo):
    demo.lab.fault("hub-down", "hub1")
    try:
        demo.lab.advance(HOLD + 30)
        result = demo.verify("full", timeout=5)
        assert {("DEVICE_UNREACHABLE", "hub1"), ("NHS_DOWN", "hub1")} <= codes(result)
        assert result.exit_code == 3
        assert all(e.status == "up" for e in result.edges if e.hub == "hub2")  # the rest still verified
    finally:
        demo.settle()


@pytest.mark.parametrize("kind,value", [("refuse-login", None), ("slow", 4.0), ("ssh-drop", None)])
def test_ssh_faults_unreachable_exit_3_others_processed(demo, kind, value):
    demo.lab.fault(kind, "spoke1", value)
    try:
        result = demo.verify("full", timeout=2)
        spoke1 = {c for c, h in codes(result) if h == "spoke1"}
        assert spoke1 & {"DEVICE_UNREACHABLE", "DEVICE_UNRESPONSIVE", "UNPARSEABLE_OUTPUT"}, codes(result)
        assert not {h for _, h in codes(result)} - {"spoke1"}
        assert result.exit_code == (3 if spoke1 & {"DEVICE_UNREACHABLE", "DEVICE_UNRESPONSIVE"} else 1)
        if kind == "slow":  # logged in, then no prompt within the timeout: unresponsive, not unreachable
            assert "DEVICE_UNRESPONSIVE" in spoke1 and "DEVICE_UNREACHABLE" not in spoke1
        if kind != "ssh-drop":
            assert result.exit_code == 3 and result.unreachable == ["spoke1"]
        assert sum(e.hub_side is not None and e.status == "up" for e in result.edges) == 8
    finally:
        demo.settle()


def test_phase3_probe_passes(demo):
    result = demo.verify("full", probe=True)
    assert result.exit_code == 0, [f.to_dict() for f in result.findings]
    assert len(result.probes) == 6 and all(p.ok for p in result.probes)
    assert all(p.shortcut_source and p.shortcut_target and p.route_source for p in result.probes)
    assert all(p.pkts_after > p.pkts_before for p in result.probes)


def test_phase3_spoke_without_shortcut_is_caught(demo):
    demo.configure("spoke1", ["interface Tunnel100", "no ip nhrp shortcut"])
    try:
        result = demo.verify("full", probe=True, probe_pairs=2)
        missing = {(f.host, f.peer) for f in result.findings if f.code == "SHORTCUT_MISSING"}
        assert missing and {h for h, _ in missing} == {"spoke1"}, [f.to_dict() for f in result.findings]
        assert result.exit_code == 1
    finally:
        demo.configure("spoke1", ["interface Tunnel100", "ip nhrp shortcut"])


def test_cli_verify_json_and_prom(demo, tmp_path, cli):
    inv = tmp_path / "inv"
    inv.mkdir()
    for name in ("groups.yaml", "defaults.yaml"):
        (inv / name).write_text((demo.inventory / name).read_text())
    hosts = yaml.safe_load((demo.inventory / "hosts.yaml").read_text())
    for name, port in demo.lab.ports().items():
        hosts[name]["port"] = port
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    out = cli("verify", "-i", str(inv), "--format", "json", "--save-raw", str(tmp_path / "raw"))
    assert out.code == 0, out.text
    data = json.loads(out.out)
    assert list(data)[:5] == ["schema_version", "target", "summary", "hosts", "findings"]
    assert data["target"].startswith("devices from") and data["summary"]["edges_up"] == 8
    assert (tmp_path / "raw" / "hub1" / "show_dmvpn.txt").exists()
    reparsed = cli("parse", "show dmvpn", str(tmp_path / "raw" / "hub1" / "show_dmvpn.txt"))
    assert reparsed.code == 0
    prom = cli("verify", "-i", str(inv), "--format", "prom")
    assert 'dmvpn_spoke_registered{cloud="DMVPN1",hub="hub1",spoke="spoke4"} 1.0' in prom.out
    table = cli("verify", "-i", str(inv), "--mode", "full")
    assert table.code == 0 and "all good" in table.out


@pytest.mark.parametrize("example", ["phase1-ospf-single-hub", "phase2-eigrp"])
def test_example_probe_passes(example):
    for cloud in _start(ROOT / "inventory" / "examples" / example):
        result = cloud.verify("full", probe=True)
        assert result.exit_code == 0, [f.to_dict() for f in result.findings]
        assert result.probes and all(p.ok for p in result.probes)
        phase = result.probes[0].phase
        if phase == 1:
            assert not any(p.shortcut_source for p in result.probes)
        else:
            assert all(p.shortcut_source and p.shortcut_target for p in result.probes)
