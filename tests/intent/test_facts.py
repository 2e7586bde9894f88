"""Each DMVPN fact is answered once; every reader agrees with the answer on a table of edge cases.

Facts of the intent (behind NAT, fixed NBMA, phase defaults) are read by lint, render, clab,
verify and the emulator; facts of parsed records (registered, NHS responding, IKE up) by the
deploy gate, verify and health. A reader that derives its own answer fails here.
"""
from __future__ import annotations

from ipaddress import IPv4Network
from pathlib import Path
from typing import Any

import pytest
import yaml

from dmvpn_ops.clab.kinds import KINDS
from dmvpn_ops.clab.plan import build_plan
from dmvpn_ops.clab.startup import frr_files
from dmvpn_ops.deploy.confirm import responding_nhs, up_peers
from dmvpn_ops.health.record import _up_row_time
from dmvpn_ops.intent import Design, load_design
from dmvpn_ops.lab.cloud.underlay import nbma
from dmvpn_ops.lab.cloud.world import World
from dmvpn_ops.lint import run_rules
from dmvpn_ops.parse.facts import DmvpnPeer, Ikev2Sa, IsakmpSa, NhsRecord
from dmvpn_ops.render import render_config
from dmvpn_ops.verify.checks import check_registration
from dmvpn_ops.verify.observed import Edge, IkeSa, Side, edge_intent
from scripts.make_broken_examples import base, merge

GW = {"gateway": "203.0.113.254"}
# spoke name -> underlay, member fields, expected behind_nat
NAT_CASES: dict[str, tuple[dict[str, Any], dict[str, Any], bool]] = {
    "plain": ({"address": "203.0.113.21/24", **GW}, {}, False),
    "underlay-nat-public": ({"address": "192.168.1.10/24", "gateway": "192.168.1.1",
                             "nat_public": "192.0.2.22"}, {}, True),
    "member-nat-public": ({"address": "192.168.2.10/24", "gateway": "192.168.2.1"},
                          {"nat_public": "192.0.2.23"}, True),
    "nat-true-no-public": ({"address": "192.168.3.10/24", "gateway": "192.168.3.1"}, {"nat": True}, True),
    "dhcp": ({"address": "dhcp"}, {}, False),
    "dhcp-nat-public": ({"address": "dhcp", "nat_public": "192.0.2.26"}, {}, True),
    "nat-false": ({"address": "203.0.113.27/24", **GW}, {"nat": False}, False),
}


def _write(tmp: Path, inventory: dict[str, Any]) -> Design:
    for part in ("hosts", "groups", "defaults"):
        (tmp / f"{part}.yaml").write_text(yaml.safe_dump(inventory[part], sort_keys=False))
    return load_design(tmp, require_secrets=False)


@pytest.fixture(scope="module")
def nat_design(tmp_path_factory: pytest.TempPathFactory) -> Design:
    inventory = base()
    for index, (name, (underlay, member, _)) in enumerate(NAT_CASES.items()):
        inventory["hosts"][name] = {"port": 12500 + index, "groups": ["cloud"], "data": {"dmvpn": {
            "role": "spoke", "underlay": {"interface": "GigabitEthernet1", **underlay},
            "lan": [{"interface": "GigabitEthernet2", "address": f"10.9.{index}.1/24"}],
            "clouds": {"C1": {"tunnel_ip": f"172.16.100.{30 + index}", **member}}}}}
    return _write(tmp_path_factory.mktemp("nat"), inventory)


def _world(design: Design) -> World:
    configs = {h: render_config(design, h) for h in design.hosts}
    return World(design, configs.__getitem__)


@pytest.mark.parametrize("name", list(NAT_CASES))
def test_behind_nat_every_reader_agrees(nat_design: Design, name: str) -> None:
    expected = NAT_CASES[name][2]
    host = nat_design.hosts[name]
    (tunnel,) = host.tunnels
    assert tunnel.behind_nat is expected  # the answer
    hub, hub_t = nat_design.hubs("C1")[0]
    assert edge_intent(hub_t, tunnel).nat is expected  # verify
    dmv401 = {f.host for f in run_rules(nat_design) if f.code == "DMV401"}
    assert (name in dmv401) is expected  # lint (the cloud runs transport mode)
    assert ("encap = yes" in frr_files(nat_design, host)["swanctl.conf"]) is expected  # clab FRR spoke
    assert nbma(_world(nat_design), name, tunnel.interface).nat is expected  # emulator
    plan = build_plan(nat_design, KINDS["cisco_iol"], None, name="facts", mgmt_subnet=IPv4Network("172.20.0.0/16"))
    known = host.nat_public_for(tunnel.source) is not None  # a containerlab NAT box needs the public address
    assert (f"{name}-nat" in plan.topology.to_dict()["topology"]["nodes"]) is (expected and known)  # clab plan


def test_nat_false_with_nat_public_is_refused(tmp_path: Path) -> None:
    inventory = base()
    merge(inventory, {"hosts": {"spoke1": {"data": {"dmvpn": {
        "underlay": {"nat_public": "192.0.2.9"}, "clouds": {"C1": {"nat": False}}}}}}})
    with pytest.raises(Exception, match="contradicts nat_public"):
        _write(tmp_path, inventory)


HUB_CASES: dict[str, tuple[dict[str, Any], str | None]] = {
    "fixed": ({"address": "198.51.100.1/24", "gateway": "198.51.100.254"}, "198.51.100.1"),
    "static-nat": ({"address": "10.0.0.1/24", "gateway": "10.0.0.254", "nat_public": "198.51.100.99"},
                   "198.51.100.99"),
    "dhcp": ({"address": "dhcp"}, None),
}


@pytest.mark.parametrize("case", list(HUB_CASES))
def test_fixed_nbma_every_reader_agrees(tmp_path: Path, case: str) -> None:
    underlay, expected = HUB_CASES[case]
    inventory = base()
    merge(inventory, {"hosts": {"hub1": {"data": {"dmvpn": {"underlay": {"gateway": None, **underlay}}}}}})
    design = _write(tmp_path, inventory)
    hub_t = design.hosts["hub1"].tunnels[0]
    assert (str(hub_t.fixed_nbma) if hub_t.fixed_nbma else None) == expected  # the answer
    spoke = design.hosts["spoke1"]
    nhs = {str(m.nbma) for m in design.nhs_for(spoke, spoke.tunnels[0])}
    assert (expected in nhs) if expected else len(nhs) == 1  # render's NHS list (hub2 only when dhcp)
    spoke_cfg = render_config(design, "spoke1")
    assert (f"nbma {expected} multicast" in spoke_cfg) is (expected is not None)  # rendered NHS line
    assert ("hub1" in {f.host for f in run_rules(design) if f.code == "DMV205"}) is (expected is None)  # lint
    hub_end = nbma(_world(design), "hub1", hub_t.interface)
    if expected is not None:
        assert str(hub_end.public) == expected  # emulator: peers reach the hub at that address
        assert edge_intent(hub_t, spoke.tunnels[0]).hub_nbma == expected  # verify


@pytest.mark.parametrize("phase", [1, 2, 3])
@pytest.mark.parametrize("override", [None, True, False])
def test_phase_defaults_every_reader_agrees(tmp_path: Path, phase: int, override: bool | None) -> None:
    inventory = base()
    merge(inventory, {"groups": {"cloud": {"data": {"dmvpn": {"clouds": {"C1": {
        "phase": phase, "nhrp_redirect": override, "nhrp_shortcut": override}}}}}}})
    design = _write(tmp_path, inventory)
    spec = design.hosts["hub1"].tunnels[0].spec
    redirect, shortcut = spec.redirect(True), spec.shortcut(False)
    assert redirect is (override if override is not None else phase == 3)
    assert not spec.redirect(False) and not spec.shortcut(True)  # never on the other role
    assert ("ip nhrp redirect" in render_config(design, "hub1")) is redirect  # render
    assert ("ip nhrp shortcut" in render_config(design, "spoke1")) is shortcut
    spoke = design.hosts["spoke1"]
    assert ("ip nhrp shortcut" in frr_files(design, spoke)["frr.conf"]) is shortcut  # clab
    codes = {f.code for f in run_rules(design)}
    assert ("DMV201" in codes) is (phase == 3 and not redirect)  # lint
    assert ("DMV202" in codes) is (phase == 3 and not shortcut)


# ---------------------------------------------------------------- parsed-record facts

DMVPN = """Legend: Attrb --> S - Static, D - Dynamic, I - Incomplete
        N - NATed, L - Local, X - No Socket
        T1 - Route Installed, T2 - Nexthop-override
        C - CTS Capable, I2 - Temporary
        # Ent --> Number of NHRP entries with same NBMA peer
        NHS Status: E --> Expecting Replies, R --> Responding, W --> Waiting
        UpDn Time --> Up or Down Time for a Tunnel
==========================================================================

Interface: Tunnel100, IPv4 NHRP Details
Type:Hub, NHRP Peers:1,

 # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb
 ----- --------------- --------------- ----- -------- -----
     1 203.0.113.11      172.16.100.11 {state} 00:01:02     D
"""

NHS = """IPv4 Registration Timer: 10 seconds

Tunnel100:
172.16.100.1  {flags:>3}  priority = 0 cluster = 0
"""


@pytest.mark.parametrize("state,registered", [("UP", True), ("IKE", False), ("NHRP", False),
                                              ("DOWN", False)])
def test_registered_every_reader_agrees(state: str, registered: bool) -> None:
    row = {"interface": "Tunnel100", "peer_tunnel": "172.16.100.11", "state": state, "updn_time": "00:01:02",
           "attributes": ["D"], "peer_nbma": "203.0.113.11"}
    assert DmvpnPeer(row).registered is registered  # the answer
    text = DMVPN.format(state=state.ljust(5))
    assert (("Tunnel100", "172.16.100.11") in up_peers(text)) is registered  # deploy gate (parses text)
    design = load_design(Path(__file__).resolve().parents[2] / "inventory", require_secrets=False)
    hub_t, spoke_t = design.hosts["hub1"].tunnels[0], design.hosts["spoke1"].tunnels[0]
    edge = Edge("DMVPN1", "hub1", "spoke1", "Tunnel100", "Tunnel100", edge_intent(hub_t, spoke_t),
                hub_side=Side(peer=row, tables=("dmvpn",)))
    assert edge.registered is registered  # verify
    assert (check_registration(edge) == []) is (registered or state == "IKE")  # IKE: check_ike's
    assert (_up_row_time(edge.hub_side) is not None) is registered  # health


@pytest.mark.parametrize("flags,responding", [("RE", True), ("E", False), ("W", False), ("R", True)])
def test_nhs_responding_every_reader_agrees(flags: str, responding: bool) -> None:
    assert NhsRecord({"flags": list(flags)}).responding is responding
    assert (("Tunnel100", "172.16.100.1") in responding_nhs(NHS.format(flags=flags))) is responding  # gate


@pytest.mark.parametrize("record,established", [
    ({"dst": "1.1.1.1", "src": "2.2.2.2", "state": "QM_IDLE", "status": "ACTIVE"}, True),
    ({"dst": "1.1.1.1", "src": "2.2.2.2", "state": "MM_NO_STATE", "status": "ACTIVE"}, False),
    ({"dst": "1.1.1.1", "src": "2.2.2.2", "state": "QM_IDLE", "status": "ACTIVE (deleted)"}, False),
])
def test_isakmp_established_every_reader_agrees(record: dict[str, Any], established: bool) -> None:
    assert IsakmpSa(record).established is established
    assert all(sa.established is established for sa in IkeSa.from_isakmp(record))  # verify


@pytest.mark.parametrize("status,established", [("READY", True), ("IN-NEG", False), ("DELETE", False)])
def test_ikev2_established_every_reader_agrees(status: str, established: bool) -> None:
    record = {"local": "1.1.1.1/500", "remote": "2.2.2.2/500", "status": status}
    assert Ikev2Sa(record).established is established
    assert all(sa.established is established for sa in IkeSa.from_ikev2(record))  # verify


@pytest.mark.lab
@pytest.mark.parametrize("fault", [None, "wrong-psk"])
def test_emulator_outputs_agree_on_the_parsed_facts(fault: str | None) -> None:
    """The emulator's show dmvpn / show ip nhrp nhs / show crypto ikev2 sa tell one story per edge."""
    from dmvpn_ops.lab.api import Lab
    from dmvpn_ops.parse import parse

    design = load_design(Path(__file__).resolve().parents[2] / "inventory")
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    with Lab(design, ports="free") as lab:
        assert lab.configure_many(configs) == {h: [] for h in design.hosts}
        lab.advance(30)
        if fault:
            lab.fault(fault, "spoke1")
            lab.advance(86400)  # the IKE SA authenticates again (its lifetime) with the wrong key: it fails
            assert "IN-NEG" in lab.run("spoke1", "show crypto ikev2 sa")
            lab.advance(301)  # then the hub's entry ages out (hold time 300)
        hub_rows = parse("show dmvpn", lab.run("hub1", "show dmvpn"))
        nhs_rows = parse("show ip nhrp nhs", lab.run("spoke1", "show ip nhrp nhs"))
        sas = parse("show crypto ikev2 sa", lab.run("spoke1", "show crypto ikev2 sa"))
    healthy = fault is None
    registered = [DmvpnPeer(r).registered for r in hub_rows if r["peer_tunnel"] == "172.16.100.11"]
    responding = [NhsRecord(r).responding for r in nhs_rows if r["nhs"] == "172.16.100.1"]
    established = [Ikev2Sa(r).established for r in sas if r["remote"] == "198.51.100.1"]
    assert registered == [True] if healthy else registered in ([], [False])
    assert responding == [healthy]
    assert established == [True] if healthy else established in ([], [False])
