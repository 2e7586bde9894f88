"""Output layouts from real IOS where the emulator used to differ: NHRP flags and groups, NATed peers."""
from __future__ import annotations

import re
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


def _demo(unprotected: str = "") -> Cloud:
    design = load_design(str(EXAMPLE.parents[1]))
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    if unprotected:
        configs[unprotected] = re.sub(r"^ tunnel protection .*\n", "", configs[unprotected], flags=re.M)
    return Cloud(design, configs.__getitem__)


HEADER = "Tunnel-id Local                 Remote                fvrf/ivrf            Status "


def test_ikev2_sa_repeats_the_header_per_sa_and_has_none_without_sas() -> None:
    cloud = _demo()
    text = cloud.execute("spoke1", "show crypto ikev2 sa") or ""
    assert text.count(HEADER) == text.count(" READY") == 2
    assert text.split(HEADER)[2].startswith("\n2         203.0.113.11/500")
    bare = _demo(unprotected="spoke1").execute("spoke1", "show crypto ikev2 sa") or ""
    assert bare == " IPv4 Crypto IKEv2  SA \n\n IPv6 Crypto IKEv2  SA \n\n"   # no SA: no header


def test_nhs_detail_counters_grow_with_the_clock() -> None:
    cloud = _demo()

    def counters() -> list[tuple[int, int, int]]:
        text = cloud.execute("spoke1", "show ip nhrp nhs detail") or ""
        return [(int(a), int(b), int(c)) for a, b, c in
                re.findall(r"req-sent (\d+)  req-failed (\d+)  repl-recv (\d+)", text)]

    first = counters()
    assert len(first) == 2 and all(sent >= 1 and failed == 0 and recv == sent for sent, failed, recv in first)
    cloud.clock.advance(1000)                   # hold time 300 s: a registration every 100 s
    later = counters()
    assert all(b[0] == a[0] + 10 and b[2] == a[2] + 10 for a, b in zip(first, later))


def test_ipsec_sa_plaintext_mtu_of_a_tunnel_protection_sa() -> None:
    cloud = _demo()
    # esp-256-aes esp-sha256-hmac: 1500 - 20 - 8 - 16 - 16 = 1440 (a 16-byte multiple) - 2
    assert "plaintext mtu 1438, path mtu 1500, ip mtu 1500, ip mtu idb GigabitEthernet1" in \
        (cloud.execute("spoke1", "show crypto ipsec sa") or "")
    # behind NAT the UDP encapsulation costs 8 more: 1424 - 2, as the real NAT-T transport capture
    assert "plaintext mtu 1422, path mtu 1500" in (cloud.execute("spoke4", "show crypto ipsec sa") or "")
