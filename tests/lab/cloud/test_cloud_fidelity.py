"""Demo cloud: every spoke registered on both hubs, and ntc-templates parse the outputs."""
from __future__ import annotations

from typing import Any

from ntc_templates.parse import parse_output

Harness = Any   # the conftest harness (a fixture, not imported: conftest is not a module)


def ntc(command: str, text: str) -> list[dict[str, str]]:
    return parse_output(platform="cisco_ios", command=command, data=text)


def test_hubs_see_every_spoke_up(lab: Harness) -> None:
    for hub, other in (("hub1", "172.16.100.2"), ("hub2", "172.16.100.1")):
        rows = ntc("show dmvpn", lab.run(hub, "show dmvpn"))
        assert len(rows) == 5                                       # 4 spokes + the other hub
        assert {r["state"] for r in rows} == {"UP"}
        # the other hub static; spoke4 registered from behind NAT: D + N (NATed)
        assert {r["peer_tunnel"]: r["attribute"] for r in rows if r["attribute"] != "D"} == {
            other: "S", "172.16.100.14": "DN"}
        assert "192.0.2.44" in {r["peer_nbma"] for r in rows}      # spoke4 seen after NAT


def test_spokes_see_both_hubs(lab: Harness) -> None:
    for spoke in ("spoke1", "spoke2", "spoke3", "spoke4"):
        rows = ntc("show dmvpn", lab.run(spoke, "show dmvpn"))
        assert [(r["peer_tunnel"], r["state"], r["attribute"]) for r in rows] == [
            ("172.16.100.1", "UP", "S"), ("172.16.100.2", "UP", "S")]
        assert "Type:Spoke, NHRP Peers:2," in lab.run(spoke, "show dmvpn")


def test_eigrp_neighbors_parse(lab: Harness) -> None:
    rows = ntc("show ip eigrp neighbors", lab.run("hub1", "show ip eigrp neighbors"))
    assert sorted(r["ip_address"] for r in rows) == ["172.16.100.11", "172.16.100.12", "172.16.100.13",
                                                     "172.16.100.14", "172.16.100.2"]   # spokes + hub2
    rows = ntc("show ip eigrp neighbors", lab.run("spoke1", "show ip eigrp neighbors"))
    assert sorted(r["ip_address"] for r in rows) == ["172.16.100.1", "172.16.100.2"]


def test_crypto_session_detail_parse(lab: Harness) -> None:
    rows = ntc("show crypto session detail", lab.run("hub1", "show crypto session detail"))
    assert len(rows) == 5 and {r["session_status"] for r in rows} == {"UP-ACTIVE"}   # 4 spokes + hub2
    assert "198.51.100.2" in {r["peer"] for r in rows}
    nat = [r for r in rows if r["peer"] == "192.0.2.44"]
    assert nat and nat[0]["port"] == "4500"
    spoke = ntc("show crypto session detail", lab.run("spoke1", "show crypto session detail"))
    assert len(spoke) == 2


def test_nhs_and_ikev2(lab: Harness) -> None:
    nhs = lab.run("spoke1", "show ip nhrp nhs")
    # real IOS (tests/fixtures/parse/show_ip_nhrp_nhs): address, 2 spaces, flags right-aligned in 2, 2 spaces
    assert "\n172.16.100.1  RE  NBMA Address: 198.51.100.1 priority = 0 cluster = 0\n" in nhs
    assert lab.run("spoke1", "show crypto ikev2 sa").count("READY") == 2
    assert "Tunnel UDP-Encaps" in lab.run("spoke4", "show crypto ipsec sa")


def test_spoke_routes_and_brief(lab: Harness) -> None:
    rows = ntc("show ip route", lab.run("spoke1", "show ip route"))
    lan2 = [r for r in rows if r["network"] == "10.1.2.0"]
    assert lan2 and lan2[0]["protocol"] == "D"
    brief = ntc("show ip interface brief", lab.run("spoke4", "show ip interface brief"))
    assert {r["interface"]: r["proto"] for r in brief}["Tunnel100"] == "up"


def test_unknown_command_is_none(lab: Harness) -> None:
    assert lab.cloud.execute("hub1", "show version") is None
    assert "show dmvpn" in lab.cloud.SHOW_COMMANDS
