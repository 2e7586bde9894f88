"""NAPALM's `ios` driver, unchanged, against the lab: getters and the merge / compare / commit / rollback cycle.

The driver talks netmiko over real SSH, copies its merge file to flash: over SCP, diffs it with
`show archive config incremental-diffs`, merges with `copy flash:/merge_config.txt running-config`, saves
a rollback file and rolls back with `configure replace ... force`: each a command the emulator must answer
as IOS does.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from tests.support.napalm_lab import configured_lab as _lab
from tests.support.napalm_lab import napalm_driver as _driver

pytestmark = pytest.mark.lab
REPO = Path(__file__).resolve().parents[2]
BGP_EXAMPLE = "inventory/examples/phase3-bgp-dual-cloud"


@pytest.fixture(scope="module")
def demo(design: Design) -> Iterator[tuple[Lab, Any]]:
    lab = _lab(design)
    # NAPALM refuses to copy without SCP, and revert_in needs the archive feature (as on IOS)
    lab.configure("hub1", "ip scp server enable\narchive\n path flash:archive\n")
    driver = _driver(lab, design, "hub1")
    yield lab, driver
    driver.close()
    lab.stop()


def test_get_facts(demo: tuple[Lab, Any], design: Design) -> None:
    _, driver = demo
    facts = driver.get_facts()
    assert facts["hostname"] == "hub1" and facts["vendor"] == "Cisco" and facts["model"] == "CSR1000V"
    tunnel = design.hosts["hub1"].tunnels[0].interface
    assert tunnel in facts["interface_list"] and facts["uptime"] > 0


def test_get_interfaces(demo: tuple[Lab, Any], design: Design) -> None:
    _, driver = demo
    interfaces = driver.get_interfaces()
    source = design.hosts["hub1"].tunnels[0].source
    assert interfaces[source]["is_up"] and interfaces[source]["speed"] == 1000.0
    assert interfaces[source]["mac_address"].startswith("52:54:00:")
    assert interfaces[design.hosts["hub1"].tunnels[0].interface]["is_up"]


def test_get_interfaces_ip(demo: tuple[Lab, Any], design: Design) -> None:
    _, driver = demo
    got = driver.get_interfaces_ip()
    tunnel = design.hosts["hub1"].tunnels[0]
    assert str(tunnel.tunnel_ip) in got[tunnel.interface]["ipv4"]


def test_get_arp_table(demo: tuple[Lab, Any], design: Design) -> None:
    _, driver = demo
    table = driver.get_arp_table()
    source = design.hosts["hub1"].tunnels[0].source
    own = [e for e in table if e["interface"] == source and e["age"] == -1.0]
    learned = [e for e in table if e["interface"] == source and e["age"] >= 0]
    assert own and learned, table       # its own address, and the other hub on the same segment
    assert all(e["mac"].startswith("52:54:00:") for e in table)


def test_merge_compare_commit_rollback(demo: tuple[Lab, Any]) -> None:
    lab, driver = demo
    driver.load_merge_candidate(config="interface Loopback99\n description napalm-merge\nend\n")
    diff = driver.compare_config()
    assert diff.splitlines() == ["+interface Loopback99", "+ description napalm-merge"]
    assert "Loopback99" not in lab.running_config("hub1")        # compare changes nothing
    driver.commit_config()
    assert " description napalm-merge" in lab.run("hub1", "show running-config | section Loopback99")
    assert "Loopback99" in lab.run("hub1", "show startup-config")    # commit saves
    driver.rollback()
    assert "Loopback99" not in lab.running_config("hub1")


def test_merge_of_an_invalid_line_is_rolled_back(demo: tuple[Lab, Any]) -> None:
    from napalm.base.exceptions import MergeConfigException
    lab, driver = demo
    driver.load_merge_candidate(config="interface Loopback98\n description ok\nbogus command here\nend\n")
    with pytest.raises(MergeConfigException, match="Invalid input"):
        driver.commit_config()
    assert "Loopback98" not in lab.running_config("hub1")


def test_commit_with_revert_in_is_pending_until_confirmed(demo: tuple[Lab, Any]) -> None:
    """commit_config(revert_in=...) arms IOS's revert timer; NAPALM reads it back from
    `show archive config rollback timer` and confirm_commit clears it (as on a real router)."""
    lab, driver = demo
    driver.load_merge_candidate(config="interface Loopback97\n description napalm-confirm\nend\n")
    driver.commit_config(revert_in=180)
    assert driver.has_pending_commit()
    assert "Timer value: 3 min" in lab.run("hub1", "show archive config rollback timer")
    assert " description napalm-confirm" in lab.run("hub1", "show running-config | section Loopback97")
    driver.confirm_commit()
    assert not driver.has_pending_commit()
    assert "%No Rollback Confirmed Change pending" in lab.run("hub1", "show archive config rollback timer")
    lab.advance(600)                                               # a confirmed change outlives the timer
    assert " description napalm-confirm" in lab.run("hub1", "show running-config | section Loopback97")
    driver.load_merge_candidate(config="no interface Loopback97\nend\n")
    driver.commit_config()


def test_unconfirmed_commit_reverts_when_the_timer_fires(demo: tuple[Lab, Any]) -> None:
    lab, driver = demo
    driver.load_merge_candidate(config="interface Loopback96\n description napalm-revert\nend\n")
    driver.commit_config(revert_in=60)
    assert driver.has_pending_commit()
    lab.advance(61)
    lab.run("hub1", "show clock")                                  # the timer fires on the lab clock
    assert "Loopback96" not in lab.running_config("hub1")
    assert not driver.has_pending_commit()


@pytest.fixture(scope="module")
def bgp_lab() -> Iterator[tuple[Lab, Design]]:
    for name, value in {"DMVPN_SSH_PASSWORD": "lab-pw-1", "DMVPN_ENABLE_SECRET": "lab-en-1",
                        "DMVPN_NHRP_AUTH": "nhrpkey", "DMVPN_PSK": "lab-psk-1"}.items():
        os.environ.setdefault(name, value)
    design = load_design(str(REPO / BGP_EXAMPLE))
    lab = _lab(design)
    yield lab, design
    lab.stop()


def test_get_bgp_neighbors_on_the_bgp_example(bgp_lab: tuple[Lab, Design]) -> None:
    """Asked on a spoke: its configured neighbours are the hubs. (On a listen-range hub IOS writes `BGP neighbor
    is *A.B.C.D` (Cisco BGP configuration guide, BGP Dynamic Neighbors), which NAPALM's ios driver does not
    match, so it cannot read a real hub either; the emulator prints what IOS prints.)"""
    lab, design = bgp_lab
    spoke = next(h for h, spec in design.hosts.items() if not spec.is_hub)
    driver = _driver(lab, design, spoke)
    try:
        peers = driver.get_bgp_neighbors()["global"]["peers"]
    finally:
        driver.close()
    hubs = {str(t.tunnel_ip) for spec in design.hosts.values() if spec.is_hub for t in spec.tunnels}
    assert set(peers) == set(re.findall(r"(?m)^ neighbor (\S+) remote-as", lab.running_config(spoke))) <= hubs
    asn = re.search(r"(?m)^router bgp (\d+)", lab.running_config(spoke))
    assert asn is not None and len(peers) == 2
    for ip in peers:
        assert peers[ip]["is_up"] and peers[ip]["remote_as"] == peers[ip]["local_as"] == int(asn.group(1))
        assert peers[ip]["address_family"]["ipv4 unicast"]["accepted_prefixes"] >= 1


def test_get_bgp_neighbors_detail_on_the_bgp_example(bgp_lab: tuple[Lab, Design]) -> None:
    """NAPALM sends `show ip bgp all sum`, then `show ip bgp ipv4 unicast neigh X` for each row; the values
    are the spoke's own summary and the hubs' (router IDs, TCP ports of one connection, message totals).
    On a hub NAPALM would send `neigh *172.16.101.11` (its template keeps the listen-range `*`), which IOS
    refuses too, so the spoke is the router asked."""
    lab, design = bgp_lab
    spoke = next(h for h, spec in design.hosts.items() if not spec.is_hub)
    driver = _driver(lab, design, spoke)
    try:
        detail = driver.get_bgp_neighbors_detail()["global"]
    finally:
        driver.close()
    rows = lab.run(spoke, "show ip bgp summary").split("State/PfxRcd\n", 1)[1].splitlines()
    summary = {r[0]: r for r in (ln.split() for ln in rows) if len(r) > 8 and r[0][:1].isdigit()}
    asn = re.search(r"(?m)^router bgp (\d+)", lab.running_config(spoke))
    assert asn is not None
    peers = {p["remote_address"]: p for p in detail[int(asn.group(1))]}
    assert set(peers) == set(summary) and len(peers) == 2
    for ip, p in peers.items():
        hub = next(h for h, spec in design.hosts.items() if any(str(t.tunnel_ip) == ip for t in spec.tunnels))
        assert p["up"] and p["connection_state"] == "Established"
        assert f"BGP router identifier {p['router_id']}," in lab.run(hub, "show ip bgp summary")
        assert (p["input_messages"], p["output_messages"]) == (int(summary[ip][3]), int(summary[ip][4]))
        assert p["received_prefix_count"] == int(summary[ip][-1]) >= 1
        assert p["remote_port"] == 179 and p["local_port"] > 1023
        hub_side = lab.run(hub, f"show ip bgp neighbors {p['local_address']}")
        assert f"Foreign host: {p['local_address']}, Foreign port: {p['local_port']}" in hub_side


def test_get_bgp_neighbors_values_are_both_ends_summaries(bgp_lab: tuple[Lab, Design]) -> None:
    """get_bgp_neighbors reads `show bgp all summary` and `show bgp ipv4 unicast neighbors`: each peer's
    remote_id is that hub's BGP router identifier, received = the spoke's PfxRcd, sent = the hub's PfxRcd
    for the spoke (what the spoke's Adj-RIB-Out holds)."""
    lab, design = bgp_lab
    spoke = next(h for h, spec in design.hosts.items() if not spec.is_hub)
    driver = _driver(lab, design, spoke)
    try:
        got = driver.get_bgp_neighbors()["global"]
    finally:
        driver.close()

    def summary(host: str) -> dict[str, list[str]]:
        rows = lab.run(host, "show ip bgp summary").split("State/PfxRcd\n", 1)[1].splitlines()
        return {r[0].lstrip("*"): r for r in (ln.split() for ln in rows) if len(r) > 8 and r[0].lstrip("*")[:1].isdigit()}
    mine = summary(spoke)
    assert got["router_id"] == lab.run(spoke, "show ip bgp summary").split("identifier ")[1].split(",")[0]
    assert set(got["peers"]) == set(mine)
    for ip, peer in got["peers"].items():
        hub = next(h for h, s in design.hosts.items() if any(str(t.tunnel_ip) == ip for t in s.tunnels))
        spoke_ip = next(str(t.tunnel_ip) for t in design.hosts[spoke].tunnels
                        if t.cloud in {u.cloud for u in design.hosts[hub].tunnels})
        assert f"BGP router identifier {peer['remote_id']}," in lab.run(hub, "show ip bgp summary")
        family = peer["address_family"]["ipv4 unicast"]
        assert family["received_prefixes"] == int(mine[ip][-1]) >= 1
        assert family["sent_prefixes"] == int(summary(hub)[spoke_ip][-1]) >= 1


def test_interfaces_ip_and_arp_on_the_bgp_example(bgp_lab: tuple[Lab, Design]) -> None:
    """On the BGP example too: get_interfaces_ip is every `ip address` of the running config, get_arp_table
    every `show arp` row (own addresses with age -1)."""
    import ipaddress
    lab, design = bgp_lab
    spoke = next(h for h, spec in design.hosts.items() if not spec.is_hub)
    driver = _driver(lab, design, spoke)
    try:
        ips, arp = driver.get_interfaces_ip(), driver.get_arp_table()
    finally:
        driver.close()
    running = lab.running_config(spoke)
    want = {}
    for name, body in re.findall(r"(?m)^interface (\S+)\n((?: .*\n)*)", running):
        m = re.search(r"(?m)^ ip address (\S+) (\S+)$", body)
        if m:
            want[name] = {m.group(1): ipaddress.IPv4Network(f"0.0.0.0/{m.group(2)}").prefixlen}
    assert {n: {a: v["prefix_length"] for a, v in f["ipv4"].items()} for n, f in ips.items()} == want
    rows = [ln.split() for ln in lab.run(spoke, "show arp").splitlines() if ln.startswith("Internet")]
    assert sorted((e["ip"], e["interface"], e["age"]) for e in arp) == sorted(
        (r[1], r[5], -1.0 if r[2] == "-" else float(r[2])) for r in rows)
