"""Dual hub: each hub maps the other statically (`ip nhrp map` + `ip nhrp map multicast`), so the hubs
have an NHRP entry (S) and an IPsec session for each other, become routing neighbours (EIGRP, OSPF,
BGP) and agree on the OSPF DR/BDR of a broadcast cloud."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dmvpn_ops.parse import parse

HUBS = {"hub1": ("172.16.100.2", "198.51.100.2"), "hub2": ("172.16.100.1", "198.51.100.1")}
SPOKES = [f"172.16.100.1{i}" for i in range(1, 5)]


def test_hubs_have_a_static_entry_and_a_session_for_each_other(lab: Any) -> None:
    for hub, (other, other_nbma) in HUBS.items():
        config = lab.configs[hub]
        assert f" ip nhrp map {other} {other_nbma}\n ip nhrp map multicast {other_nbma}\n" in config
        rows = {r["peer_tunnel"]: r for r in parse("show dmvpn", lab.run(hub, "show dmvpn"))}
        assert set(rows) == {other, *SPOKES}
        assert rows[other]["attributes"] == ["S"] and rows[other]["state"] == "UP"
        assert rows[other]["peer_nbma"] == other_nbma
        nhrp = {r["prefix"]: r for r in parse("show ip nhrp", lab.run(hub, "show ip nhrp"))}
        assert nhrp[f"{other}/32"]["type"] == "static" and nhrp[f"{other}/32"]["expire"] == "never"
        assert parse("show ip nhrp nhs", lab.run(hub, "show ip nhrp nhs")) == []    # no NHS, a map
        assert "Type:Hub" in lab.run(hub, "show dmvpn")
        sessions = parse("show crypto session", lab.run(hub, "show crypto session"))
        assert [s["session_status"] for s in sessions if s["peer"] == other_nbma] == ["UP-ACTIVE"]
    ike = [parse("show crypto ikev2 sa", lab.run(h, "show crypto ikev2 sa")) for h in HUBS]
    pair = [next(sa for sa in sas if sa["remote"] in ("198.51.100.1", "198.51.100.2")) for sas in ike]
    assert pair[0]["local"] == pair[1]["remote"] and pair[0]["remote"] == pair[1]["local"]


def test_spokes_do_not_learn_the_hub_map(lab: Any) -> None:
    rows = parse("show dmvpn", lab.run("spoke1", "show dmvpn"))
    assert [(r["peer_tunnel"], r["attributes"]) for r in rows] == [("172.16.100.1", ["S"]), ("172.16.100.2", ["S"])]


def test_eigrp_hubs_are_neighbours_and_exchange_routes(lab: Any) -> None:
    for hub, (other, _) in HUBS.items():
        rows = parse("show ip eigrp neighbors", lab.run(hub, "show ip eigrp neighbors"))
        assert sorted(r["address"] for r in rows) == sorted([other, *SPOKES])
    route = lab.run("hub1", "show ip route")
    assert "D        10.0.2.0/24 [90/" in route and "via 172.16.100.2" in route


def test_ospf_broadcast_hubs_elect_one_dr_and_one_bdr(make: Callable[..., Any]) -> None:
    lab = make(phase=2, routing={"protocol": "ospf"})
    views = {h: {r["address"]: r["state"] for r in parse("show ip ospf neighbor", lab.run(h, "show ip ospf neighbor"))}
             for h in ("hub1", "hub2", "spoke1")}
    # hub2 has the higher router id (10.0.2.1) at the same priority 255: DR; hub1 BDR; everyone agrees
    assert views["hub1"]["172.16.100.2"] == "FULL/DR" and views["hub2"]["172.16.100.1"] == "FULL/BDR"
    assert views["spoke1"] == {"172.16.100.1": "FULL/BDR", "172.16.100.2": "FULL/DR"}
    assert all(views[h][s] == "FULL/DROTHER" for h in ("hub1", "hub2") for s in SPOKES)


def test_bgp_hubs_peer_with_each_other(make: Callable[..., Any]) -> None:
    lab = make(routing={"protocol": "bgp", "as_number": 65000})
    for hub, (other, _) in HUBS.items():
        rows = {r["neighbor"]: r for r in parse("show ip bgp summary", lab.run(hub, "show ip bgp summary"))}
        assert set(rows) == {other, *SPOKES}
        assert rows[other]["state"] == "Established" and not rows[other]["dynamic"]   # configured, not listen
    assert "B        10.0.2.0/24 [200/0] via 172.16.100.2" in lab.run("hub1", "show ip route")


def test_hub_down_leaves_the_other_hubs_map_not_up(lab: Any) -> None:
    lab.cloud.inject("hub-down", "hub1")
    rows = {r["peer_tunnel"]: r for r in parse("show dmvpn", lab.run("hub2", "show dmvpn"))}
    assert rows["172.16.100.1"]["state"] != "UP" and rows["172.16.100.1"]["attributes"] == ["S"]
    eigrp = parse("show ip eigrp neighbors", lab.run("hub2", "show ip eigrp neighbors"))
    assert sorted(r["address"] for r in eigrp) == SPOKES
