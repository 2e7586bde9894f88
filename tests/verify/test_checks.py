"""Verify checks on saved real-format outputs: one scenario (or hand edit) per finding code."""
from __future__ import annotations

from pathlib import Path

import pytest

from dmvpn_ops.results import Severity

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "verify"


def text(scenario: str, host: str, command: str) -> str:
    return (FIX / scenario / host / ("_".join(command.split()) + ".txt")).read_text()


def codes(result) -> set[tuple[str, str | None]]:
    return {(f.code, f.host) for f in result.findings}


@pytest.mark.parametrize("name", ["demo_clean", "ikev1_ospf_clean", "bgp_dual_cloud_clean",
                                  "phase1_ospf_clean"])
@pytest.mark.parametrize("mode", ["fast", "full"])
def test_clean_cloud_has_no_findings(scenario, name, mode):
    design, result = scenario(name, mode)
    assert result.findings == []
    assert result.exit_code == 0 and result.ok
    assert all(e.status == "up" for e in result.edges)
    hubs = len(design.hub_names)
    assert result.summary()["hosts_collected"] == (hubs if mode == "fast" else len(design.hosts))


def test_edges_join_hub_and_spoke_views_nat_spoke_matched_by_tunnel_ip(scenario):
    _, result = scenario("demo_clean", "full")
    assert len(result.edges) == 8  # 2 hubs x 4 spokes: every spoke up on every hub
    edge = next(e for e in result.edges if e.hub == "hub1" and e.spoke == "spoke4")
    assert edge.registered and edge.observed_nbma == "192.0.2.44"
    assert edge.hub_side.nhrp["claimed_nbma"] == "192.168.6.10"  # private NBMA kept beside the public
    assert edge.hub_side.ike.version == 2 and edge.hub_side.ike.established
    assert edge.ipsec.mode == "tunnel" and edge.ipsec.nat_t
    assert edge.spoke_side.nhs["flags"] == ["R", "E"]
    assert edge.hub_side.neighbor.up and edge.spoke_side.neighbor.up


def test_ikev1_qm_idle_and_v2_ready_are_one_model(scenario):
    _, v1 = scenario("ikev1_ospf_clean", "full")
    _, v2 = scenario("demo_clean", "full")
    assert {e.hub_side.ike.version for e in v1.edges} == {1}
    assert {e.hub_side.ike.version for e in v2.edges} == {2}
    assert all(e.hub_side.ike.established for e in v1.edges + v2.edges)


def test_ikev1_mm_no_state_is_ike_not_established(scenario):
    edit = {("hub1", "show crypto isakmp sa"): text("ikev1_ospf_clean", "hub1", "show crypto isakmp sa")
            .replace("203.0.113.52    QM_IDLE           1470 ACTIVE",
                     "203.0.113.52    MM_NO_STATE       1470 ACTIVE (deleted)")}
    _, result = scenario("ikev1_ospf_clean", "fast", edit=edit)
    assert codes(result) == {("IKE_NOT_ESTABLISHED", "spoke2")}
    assert result.findings[0].observed == {"hub": "IKEv1 MM_NO_STATE"}


@pytest.mark.parametrize("mode", ["fast", "full"])
def test_wrong_psk_names_the_spoke(scenario, mode):
    _, result = scenario("demo_wrong_psk_spoke2", mode)
    assert codes(result) == {("IKE_NOT_ESTABLISHED", "spoke2")}
    assert {f.peer for f in result.findings} == {"hub1", "hub2"}
    assert result.exit_code == 1


@pytest.mark.parametrize("mode", ["fast", "full"])
def test_link_loss_spoke_not_registered(scenario, mode):
    _, result = scenario("demo_link_loss_spoke1", mode)
    expected = {("SPOKE_NOT_REGISTERED", "spoke1")}
    if mode == "full":
        expected.add(("INTERFACE_DOWN", "spoke1"))  # the root cause, and IKE/NHS noise is dropped
    assert codes(result) == expected
    edge = next(e for e in result.edges if e.spoke == "spoke1")
    assert edge.status == "down"


def test_nbma_change_wrong_nbma_with_both_addresses(scenario):
    _, result = scenario("demo_nbma_change_spoke3", "fast")
    assert codes(result) == {("WRONG_NBMA", "spoke3")}
    f = result.findings[0]
    assert f.expected["nbma"] == "203.0.113.13" and f.observed["nbma"] == "203.0.113.113"


def test_rogue_spoke_is_unknown_peer_on_the_hub(scenario):
    _, result = scenario("demo_rogue_hub1", "fast")
    assert codes(result) == {("UNKNOWN_PEER", "hub1")}
    assert result.findings[0].observed["peer_nbma"] == "100.66.66.66"


def test_hub_down_unreachable_and_nhs_down_collapsed_on_the_hub(scenario):
    _, result = scenario("demo_hub1_down", "full")
    assert codes(result) == {("DEVICE_UNREACHABLE", "hub1"), ("NHS_DOWN", "hub1")}
    assert result.exit_code == 3 and result.unreachable == ["hub1"]
    nhs = next(f for f in result.findings if f.code == "NHS_DOWN")
    assert set(nhs.observed) == {"spoke1", "spoke2", "spoke3", "spoke4"}
    assert result.hosts["hub1"].status == "unreachable"


def test_single_spoke_nhs_down_stays_on_the_spoke(scenario):
    edit = {("spoke3", "show ip nhrp nhs"): text("demo_clean", "spoke3", "show ip nhrp nhs")
            .replace("172.16.100.2 RE", "172.16.100.2 E ")}
    _, result = scenario("demo_clean", "full", edit=edit)
    assert codes(result) == {("NHS_DOWN", "spoke3"), ("VIEWS_DISAGREE", "spoke3")}
    assert {f.peer for f in result.findings} == {"hub2"}


def test_stuck_state_on_hub(scenario):
    edit = {("hub2", "show dmvpn"): text("demo_clean", "hub2", "show dmvpn")
            .replace("172.16.100.12    UP 00:01:05     D", "172.16.100.12  NHRP    never    IX")}
    _, result = scenario("demo_clean", "fast", edit=edit)
    assert codes(result) == {("STUCK_STATE", "spoke2")}


def test_wrong_tunnel_ip_replaces_unknown_peer_and_not_registered(scenario):
    edit = {("hub1", "show dmvpn"): text("demo_clean", "hub1", "show dmvpn")
            .replace("172.16.100.12    UP", "172.16.100.42    UP")}
    _, result = scenario("demo_clean", "fast", edit=edit)
    assert codes(result) == {("WRONG_TUNNEL_IP", "spoke2")}
    assert result.findings[0].expected == "172.16.100.12"


def test_ipsec_mode_mismatch(scenario):
    edit = {("hub1", "show crypto ipsec sa"): text("demo_clean", "hub1", "show crypto ipsec sa")
            .replace("{Tunnel UDP-Encaps, }", "{Transport UDP-Encaps, }")}
    _, result = scenario("demo_clean", "fast", edit=edit)
    assert codes(result) == {("IPSEC_MODE_MISMATCH", "spoke4")}
    assert result.findings[0].expected == "tunnel"


def test_ipsec_counters_frozen_between_polls(scenario):
    _, first = scenario("demo_clean", "fast")
    _, second = scenario("demo_clean", "fast", previous=first.ipsec_counters())
    assert {f.code for f in second.findings} == {"IPSEC_NO_TRAFFIC"}
    assert {f.host for f in second.findings} == {"hub1", "hub2"}  # all spokes: collapsed per hub


def test_ipsec_one_way_traffic_is_a_warning(scenario):
    raw = text("demo_clean", "hub2", "show crypto ipsec sa")
    first_decaps = raw.index("#pkts decaps: ")
    line_end = raw.index(",", first_decaps)
    edit = {("hub2", "show crypto ipsec sa"): raw[:first_decaps] + "#pkts decaps: 0" + raw[line_end:]}
    _, result = scenario("demo_clean", "fast", edit=edit)
    assert [(f.code, f.severity) for f in result.findings] == [("IPSEC_NO_TRAFFIC", Severity.WARNING)]


def test_routing_neighbor_missing(scenario):
    raw = text("demo_clean", "hub1", "show ip eigrp neighbors")
    edit = {("hub1", "show ip eigrp neighbors"):
            "\n".join(line for line in raw.splitlines() if "172.16.100.13 " not in line) + "\n"}
    _, result = scenario("demo_clean", "fast", edit=edit)
    assert codes(result) == {("ROUTING_NEIGHBOR_MISSING", "spoke3")}


def test_phase1_spoke_to_spoke_entry_is_unexpected_shortcut(scenario):
    raw = text("phase1_ospf_clean", "spoke1", "show dmvpn")
    hub_row = next(line for line in raw.splitlines() if line.strip().startswith("1 ") and " S" in line)
    extra = "     1 203.0.113.22     172.16.10.12    UP 00:00:09     D"  # spoke2: a member, direct
    edit = {("spoke1", "show dmvpn"): raw.replace(hub_row, hub_row + "\n" + extra)}
    design, result = scenario("phase1_ospf_clean", "full", edit=edit)
    assert ("UNEXPECTED_SHORTCUT", "spoke1") in codes(result)


@pytest.mark.parametrize("garbage", ["%&*garbage*&%\nnot an IOS table at all\n",
                                     "Legend: Attrb --> S - Static, D - Dynamic\nInterface: Tunn"])
def test_unparseable_output_for_that_host_run_continues(scenario, garbage):
    _, result = scenario("demo_clean", "full", edit={("spoke2", "show dmvpn"): garbage})
    assert ("UNPARSEABLE_OUTPUT", "spoke2") in codes(result)
    assert all(f.host == "spoke2" for f in result.findings)
    assert result.hosts["spoke2"].unparseable == ["show dmvpn"]
    assert sum(e.status == "up" for e in result.edges) >= 6  # everybody else still verified
    assert result.exit_code == 1


def test_json_shape(scenario):
    _, result = scenario("demo_wrong_psk_spoke2", "full")
    data = result.to_dict()
    assert list(data)[:3] == ["summary", "hosts", "findings"]
    assert data["summary"]["errors"] == 2 and data["summary"]["by_code"] == {"IKE_NOT_ESTABLISHED": 2}
    assert data["hosts"]["spoke2"]["status"] == "findings"
    assert set(data["findings"][0]) >= {"code", "severity", "host", "cloud", "peer", "message",
                                        "expected", "observed"}


def test_unknown_peer_on_a_spoke_view(scenario):
    """A rogue that resolved spoke-to-spoke shows on the spoke only: UNKNOWN_PEER names the spoke."""
    raw = text("phase1_ospf_clean", "spoke1", "show dmvpn")
    hub_row = next(line for line in raw.splitlines() if line.strip().startswith("1 ") and " S" in line)
    extra = "     1 198.51.100.66       10.10.0.99    UP 00:00:09     D"
    _, result = scenario("phase1_ospf_clean", "full",
                         edit={("spoke1", "show dmvpn"): raw.replace(hub_row, hub_row + "\n" + extra)})
    rogue = [f for f in result.findings if f.code == "UNKNOWN_PEER"]
    assert [(f.host, f.peer) for f in rogue] == [("spoke1", "10.10.0.99")]
    assert ("UNEXPECTED_SHORTCUT", "spoke1") not in codes(result)


def test_unknown_peer_flood_on_a_spoke_is_one_finding(scenario):
    from tests.support.hostile_ssh import unknown_peers_dmvpn

    raw = text("phase1_ospf_clean", "spoke1", "show dmvpn")
    interface = next(line.split()[1].rstrip(",") for line in raw.splitlines() if line.startswith("Interface:"))
    rows = [line for line in unknown_peers_dmvpn(10_000, interface=interface).splitlines()
            if line.startswith("     1 ")]
    flooded = raw.rstrip("\n") + "\n" + "\n".join(rows) + "\n"
    _, result = scenario("phase1_ospf_clean", "full", edit={("spoke1", "show dmvpn"): flooded})
    rogue = [f for f in result.findings if f.code == "UNKNOWN_PEER"]
    assert len(rogue) == 1 and rogue[0].host == "spoke1"
    assert rogue[0].observed["count"] == 10_000 and len(rogue[0].observed["sample"]) == 5
    assert "10,000 unknown peers" in rogue[0].message
    assert len(result.findings) < 10
