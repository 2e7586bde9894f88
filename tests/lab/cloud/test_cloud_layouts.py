"""Output layouts from real IOS where the emulator used to differ: NHRP flags and groups, NATed peers."""
from __future__ import annotations

from pathlib import Path

from ntc_templates.parse import parse_output

from dmvpn_ops.intent import load_design
from dmvpn_ops.lab.cloud import Cloud
from dmvpn_ops.render import render_config

EXAMPLE = Path(__file__).resolve().parents[3] / "inventory" / "examples" / "fvrf-nat-spoke"


def _cloud() -> Cloud:
    design = load_design(str(EXAMPLE))
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    return Cloud(design, configs.__getitem__)


def _block(text: str, address: str) -> str:
    return text.split(f"{address}/32 via {address}")[1].split("/32 via")[0]


def test_hub_entry_of_a_natted_spoke_has_the_nat_flag_group_and_dn_attribute() -> None:
    cloud = _cloud()
    nat_ip = str(next(t.address.ip for t in cloud.world.conf("branch-nat").tunnels() if t.address))
    hub = "hub1"
    entry = _block(cloud.execute(hub, "show ip nhrp") or "", nat_ip)
    assert "Flags: unique nat registered used nhop" in entry
    assert "(Claimed NBMA address: 192.168.1.10)" in entry
    assert "   Group: SMALL" in entry                       # the spoke's `ip nhrp group SMALL`
    rows = parse_output(platform="cisco_ios", command="show dmvpn", data=cloud.execute(hub, "show dmvpn"))
    assert {r["peer_tunnel"]: r["attribute"] for r in rows}[nat_ip] == "DN"


def test_entry_of_a_spoke_not_behind_nat_has_no_nat_flag() -> None:
    cloud = _cloud()
    dhcp_ip = str(next(t.address.ip for t in cloud.world.conf("branch-dhcp").tunnels() if t.address))
    entry = _block(cloud.execute("hub1", "show ip nhrp") or "", dhcp_ip)
    assert "Flags: registered used nhop" in entry           # no-unique, not NATed
    rows = parse_output(platform="cisco_ios", command="show dmvpn", data=cloud.execute("hub1", "show dmvpn"))
    assert {r["peer_tunnel"]: r["attribute"] for r in rows}[dhcp_ip] == "D"


def _example(name: str) -> Cloud:
    design = load_design(str(EXAMPLE.parent / name))
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    return Cloud(design, configs.__getitem__)


def test_ospf_route_to_a_loopback_adds_the_loopback_cost() -> None:
    route = _example("phase1-ospf-single-hub").execute("spoke1", "show ip route") or ""
    # the hub's Loopback1 is a /32 stub at cost 1, behind the cost-1000 tunnel
    assert "O        10.10.0.1/32 [110/1001] via 172.16.10.1, 00:00:00, Tunnel10" in route


def test_bgp_routes_name_no_interface() -> None:
    route = _example("phase3-bgp-dual-cloud").execute("spoke1", "show ip route") or ""
    lines = [line for line in route.splitlines() if line.startswith("B ")]
    assert lines and all(line.endswith(", 00:00:00") for line in lines), lines
