"""Every getter of NAPALM's `ios` driver, unchanged, against the lab (issue 16: users point their own tools at it).

The sweep calls each `get_*` the driver implements (found by introspection, so a NAPALM upgrade that adds one is
swept too) plus `is_alive`, `cli`, `ping` and `traceroute`: none may raise, and no answer may carry an IOS
error the lab gave where IOS would have answered. The DMVPN-relevant getters are then checked value by value
against the lab's own running config and show output.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from napalm.base.base import NetworkDriver
from napalm.ios import IOSDriver

from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from tests.support.napalm_lab import configured_lab as _lab
from tests.support.napalm_lab import napalm_driver as _driver

pytestmark = pytest.mark.lab
REPO = Path(__file__).resolve().parents[2]
FVRF_EXAMPLE = "inventory/examples/fvrf-nat-spoke"
# getters whose argument NAPALM cannot default
ARGS: dict[str, tuple[Any, ...]] = {"get_route_to": ("10.1.1.0/24",)}


@pytest.fixture(scope="module")
def demo(design: Design) -> Iterator[tuple[Lab, Any]]:
    lab = _lab(design)
    driver = _driver(lab, design, "hub1")
    yield lab, driver
    driver.close()
    lab.stop()


def _implemented() -> list[str]:
    """The getters IOSDriver overrides (the base class's raise NotImplementedError)."""
    return sorted(m for m in dir(IOSDriver) if m.startswith("get_")
                  and getattr(IOSDriver, m) is not getattr(NetworkDriver, m, None))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def test_the_sweep_covers_what_operators_call() -> None:
    wanted = {"get_config", "get_route_to", "get_network_instances", "get_environment", "get_users",
              "get_ntp_servers", "get_ntp_peers", "get_snmp_information", "get_lldp_neighbors",
              "get_lldp_neighbors_detail", "get_mac_address_table", "get_optics", "get_interfaces_counters",
              "get_ipv6_neighbors_table", "get_probes_config", "get_vlans", "get_facts", "get_interfaces",
              "get_interfaces_ip", "get_arp_table", "get_bgp_neighbors", "get_bgp_neighbors_detail"}
    assert wanted <= set(_implemented())


def test_every_getter_answers_without_an_ios_error(demo: tuple[Lab, Any]) -> None:
    assert _sweep(demo[1]) == {}


def _sweep(driver: Any) -> dict[str, str]:
    """getter -> what went wrong: an exception, or an IOS error the lab printed inside the answer."""
    failures: dict[str, str] = {}
    for name in [*_implemented(), "is_alive"]:
        try:
            result = getattr(driver, name)(*ARGS.get(name, ()))
        except Exception as exc:                     # the sweep reports every getter, not just the first
            failures[name] = f"{type(exc).__name__}: {exc}"
            continue
        bad = [s for s in _strings(result) if "Invalid input" in s or "Incomplete command" in s]
        if bad:
            failures[name] = bad[0]
    return failures


def test_getters_ios_does_not_implement_say_so(demo: tuple[Lab, Any]) -> None:
    """NAPALM's ios driver has no get_firewall_policies / get_probes_results: NotImplementedError, not a
    parse of the lab's output."""
    _, driver = demo
    for name in ("get_firewall_policies", "get_probes_results"):
        assert name not in _implemented()
        with pytest.raises(NotImplementedError):
            getattr(driver, name)()


def test_get_facts_fqdn_from_ip_domain_name(demo: tuple[Lab, Any]) -> None:
    lab, driver = demo
    domain = re.search(r"(?m)^ip domain name (\S+)$", lab.running_config("hub1"))
    assert domain is not None
    assert driver.get_facts()["fqdn"] == f"hub1.{domain.group(1)}"


def _body(config: str) -> list[str]:
    """From `version` to `end`: the part of a config that running and startup share."""
    lines = config.splitlines()
    return lines[next(i for i, ln in enumerate(lines) if ln.startswith("version ")):]


def test_get_config_running_and_startup_after_write_memory(demo: tuple[Lab, Any]) -> None:
    lab, driver = demo
    running = driver.get_config(retrieve="running")["running"]
    assert _body(running) == _body(lab.running_config("hub1").strip())
    assert "Building configuration" not in running and "Current configuration" not in running
    assert driver.cli(["write memory"])["write memory"].strip().endswith("[OK]")
    startup = driver.get_config(retrieve="startup")["startup"]
    assert _body(startup) == _body(running)


def test_get_route_to_a_spoke_lan_goes_through_the_tunnel(demo: tuple[Lab, Any], design: Design) -> None:
    lab, driver = demo
    lan = design.hosts["spoke1"].lan[0].address.network
    spoke_ip = str(design.hosts["spoke1"].tunnels[0].tunnel_ip)
    routes = driver.get_route_to(str(lan))[str(lan)]
    best = [r for r in routes if r["current_active"]]
    protocol = re.search(r"(?m)^router (\w+) ", lab.running_config("hub1"))    # the demo routes with EIGRP
    assert protocol is not None and len(best) == 1 and best[0]["protocol"] == protocol.group(1)
    assert best[0]["next_hop"] == spoke_ip and best[0]["outgoing_interface"] == design.hosts["hub1"].tunnels[0].interface
    entry = lab.run("hub1", f"show ip route {lan.network_address}")
    metric = re.search(r"metric (\d+)", entry)
    assert f"* {spoke_ip}, from {spoke_ip}," in entry and metric is not None
    assert best[0]["preference"] == int(metric.group(1))     # NAPALM files the route's metric as preference


def test_get_users_is_the_inventory_user_at_level_15(demo: tuple[Lab, Any], design: Design) -> None:
    lab, driver = demo
    users = driver.get_users()
    user = design.hosts["hub1"].username
    assert set(users) == set(re.findall(r"(?m)^username (\S+)", lab.running_config("hub1"))) == {user}
    assert users[user]["level"] == 15 and users[user]["password"].startswith("$9$")


def test_get_interfaces_counters_are_show_interfaces(demo: tuple[Lab, Any]) -> None:
    """Octets and packets are `show interfaces`' figures; discards come from `show interfaces summary`
    (IQD/OQD, 0 in the lab). rx/tx broadcast and multicast stay -1: NAPALM's loop lets the later
    `Output 0 broadcasts (0 IP multicasts)` line (real IOS-XE layout) overwrite the `Received` values, and it
    never reads output broadcasts; that is NAPALM's parser, not the emulator."""
    lab, driver = demo
    got = driver.get_interfaces_counters()
    text = lab.run("hub1", "show interfaces")
    blocks = dict(re.findall(r"(?m)^(\S+) is .*line protocol is .*\n((?:[ ].*\n?)*)", text))
    assert set(got) == set(blocks) and len(got) == 3
    for name, body in blocks.items():
        rx = re.search(r"(\d+) packets input, (\d+) bytes", body)
        tx = re.search(r"(\d+) packets output, (\d+) bytes", body)
        assert rx is not None and tx is not None
        c = got[name]
        assert (c["rx_unicast_packets"], c["rx_octets"]) == (int(rx.group(1)), int(rx.group(2)))
        assert (c["tx_unicast_packets"], c["tx_octets"]) == (int(tx.group(1)), int(tx.group(2)))
        assert c["rx_discards"] == c["tx_discards"] == c["rx_errors"] == c["tx_errors"] == 0
        assert c["rx_broadcast_packets"] == -1


def test_ping_and_traceroute_reach_a_tunnel_address_and_not_an_unknown_one(demo: tuple[Lab, Any],
                                                                            design: Design) -> None:
    _, driver = demo
    spoke_ip = str(design.hosts["spoke1"].tunnels[0].tunnel_ip)
    ok = driver.ping(spoke_ip)["success"]
    assert ok["probes_sent"] == 5 and ok["packet_loss"] == 0 and len(ok["results"]) == 5
    lost = driver.ping("192.0.2.77")["success"]        # TEST-NET-1: no router of the lab owns it
    assert lost["probes_sent"] == 5 and lost["packet_loss"] == 5 and lost["results"] == []
    hops = driver.traceroute(spoke_ip)["success"]      # sent as `traceroute X ttl 0 255 timeout 2`
    assert list(hops) == [1] and {p["ip_address"] for p in hops[1]["probes"].values()} == {spoke_ip}
    dark = driver.traceroute("192.0.2.77")["success"]
    assert dark and all(p["ip_address"] == "" for hop in dark.values() for p in hop["probes"].values())


def test_cli_returns_each_command_as_the_router_prints_it(demo: tuple[Lab, Any]) -> None:
    lab, driver = demo
    commands = ["show ip nhrp", "show dmvpn", "show lldp neighbors"]
    got = driver.cli(commands)
    assert set(got) == set(commands)
    def untimed(text: str) -> str:      # the lab clock runs on between the two reads
        return re.sub(r"\d+[:dwhm]\d+[:dhms]?\d*[:s]?\d*", "T", text).strip()
    for command in commands[:2]:
        assert untimed(got[command]) == untimed(lab.run("hub1", command)) != ""
    assert got["show lldp neighbors"].strip() == "% LLDP is not enabled"


def test_empty_getters_are_what_ios_has_without_the_feature(demo: tuple[Lab, Any]) -> None:
    """No LLDP (`% LLDP is not enabled`), NTP, IPv6, SLA probes, VLANs, switch ports or optics in the lab's
    config: empty, as on an IOS-XE router with this config."""
    _, driver = demo
    assert driver.get_lldp_neighbors() == {} and driver.get_lldp_neighbors_detail() == {}
    assert driver.get_ntp_servers() == {} and driver.get_ntp_peers() == {} and driver.get_ntp_stats() == []
    assert driver.get_ipv6_neighbors_table() == [] and driver.get_probes_config() == {}
    assert driver.get_vlans() == {} and driver.get_mac_address_table() == [] and driver.get_optics() == {}


def test_get_snmp_information_with_and_without_the_agent(demo: tuple[Lab, Any]) -> None:
    """Without any snmp-server line IOS answers `show snmp chassis` with `%SNMP agent not enabled`, which
    NAPALM passes through as the chassis_id (its parser, not the emulator); with one, the chassis ID is the
    serial number of `show version`."""
    lab, driver = demo
    assert driver.get_snmp_information()["chassis_id"].strip() == "%SNMP agent not enabled"
    lab.configure("hub1", "snmp-server community lab-ro ro\n")
    try:
        got = driver.get_snmp_information()
    finally:
        lab.configure("hub1", "no snmp-server community lab-ro ro\n")
    serial = re.search(r"(?m)^Processor board ID (\S+)", lab.run("hub1", "show version"))
    assert serial is not None and got["chassis_id"].strip() == serial.group(1)
    assert got["community"] == {"lab-ro": {"mode": "ro", "acl": "N/A"}}


@pytest.fixture(scope="module")
def fvrf() -> Iterator[tuple[Lab, Design]]:
    for name, value in {"DMVPN_SSH_PASSWORD": "lab-pw-1", "DMVPN_ENABLE_SECRET": "lab-en-1",
                        "DMVPN_NHRP_AUTH": "nhrpkey", "DMVPN_PSK": "lab-psk-1"}.items():
        os.environ.setdefault(name, value)
    design = load_design(str(REPO / FVRF_EXAMPLE))
    lab = _lab(design)
    yield lab, design
    lab.stop()


def test_get_network_instances_on_the_front_door_vrf_example(fvrf: tuple[Lab, Design]) -> None:
    """NAPALM reads `show vrf detail`: each VRF of the running config with the interfaces that forward in it;
    the default instance keeps the rest of `show ip interface brief`."""
    lab, design = fvrf
    host = next(h for h in design.hosts
                if re.search(r"(?m)^ vrf forwarding ", lab.running_config(h)))
    running = lab.running_config(host)
    members: dict[str, set[str]] = {}
    for name, body in re.findall(r"(?m)^interface (\S+)\n((?: .*\n)*)", running):
        m = re.search(r"(?m)^ vrf forwarding (\S+)$", body)
        members.setdefault(m.group(1) if m else "default", set()).add(name)
    assert set(members) - {"default"} == set(re.findall(r"(?m)^vrf definition (\S+)$", running)) != set()
    driver = _driver(lab, design, host)
    try:
        got = driver.get_network_instances()
        one = driver.get_network_instances(name=next(iter(set(members) - {"default"})))
    finally:
        driver.close()
    assert {n: set(v["interfaces"]["interface"]) for n, v in got.items()} == members
    assert all(v["type"] == "L3VRF" and v["state"]["route_distinguisher"] == "" for n, v in got.items()
               if n != "default")
    assert got["default"]["type"] == "DEFAULT_INSTANCE" and one["type"] == "L3VRF"


def test_show_vrf_detail_layout_is_the_captures(fvrf: tuple[Lab, Design]) -> None:
    """The block of a VRF without RD or route targets, line by line against the Mgmt-vrf block of the
    genieparser capture (tests/fixtures/lab/show_vrf_detail/), and Genie's own ShowVrfDetail parser reads it."""
    from genie.conf.base import Device
    lab, design = fvrf
    host = next(h for h in design.hosts if re.search(r"(?m)^ vrf forwarding ", lab.running_config(h)))
    vrf, iface = re.findall(r"(?m)^interface (\S+)\n(?: .*\n)*? vrf forwarding (\S+)$", lab.running_config(host))[0][::-1]
    out = lab.run(host, "show vrf detail")
    capture = (REPO / "tests/fixtures/lab/show_vrf_detail/genieparser_iosxe_1.raw").read_text()
    mgmt = capture.split("\n\n")[1].rstrip().splitlines()
    ours = out.rstrip("\n").splitlines()
    assert ours[0] == mgmt[0].replace("Mgmt-vrf", vrf)
    assert ours[1:4] == mgmt[1:4] and ours[4].strip() == "Gi" + iface[len("GigabitEthernet"):]
    assert ours[5:14] == mgmt[5:14]                   # the IPv4 family: table 0x1, no RT, no maps
    assert ours[-3:] == ["Address family ipv6 unicast not active", *mgmt[-2:]]   # the lab has no IPv6
    parsed = Device(host, os="iosxe").parse("show vrf detail", output=out)
    assert parsed[vrf]["interfaces"] == [iface] and parsed[vrf]["vrf_id"] == 1


def test_show_interfaces_summary_rows(demo: tuple[Lab, Any]) -> None:
    """One row per interface, `*` where `show ip interface brief` says up; Genie's ShowInterfacesSummary
    reads every interface back."""
    from genie.conf.base import Device
    lab, _ = demo
    out = lab.run("hub1", "show interfaces summary")
    assert out.startswith("\n *: interface is up\n") and "-" * 113 in out
    brief = [ln.split() for ln in lab.run("hub1", "show ip interface brief").splitlines()[1:] if ln.strip()]
    rows = {ln[2:28].strip(): ln for ln in out.splitlines() if ln[:2] in ("* ", "  ") and ln[2:3].isupper()
            and not ln.startswith("  Interface")}
    assert set(rows) == {b[0] for b in brief}
    for b in brief:
        assert rows[b[0]].startswith("*" if b[4] == "up" else " ") and len(rows[b[0]]) == 113
    parsed = Device("hub1", os="iosxe").parse("show interfaces summary", output=out)
    assert set(parsed["interfaces"]) == set(rows)


def test_get_route_to_reads_the_front_door_vrf_too(fvrf: tuple[Lab, Design]) -> None:
    """NAPALM asks `show ip route vrf V P M` for every VRF of `show vrf`: the front-door VRF's default route
    (the ISP gateway of `ip route vrf V 0.0.0.0 0.0.0.0 GW`) comes back with routing_table V, next to the
    global table's answer for the same prefix."""
    lab, design = fvrf
    host = next(h for h in design.hosts if re.search(r"(?m)^ vrf forwarding ", lab.running_config(h)))
    static = re.search(r"(?m)^ip route vrf (\S+) 0\.0\.0\.0 0\.0\.0\.0 (\S+)$", lab.running_config(host))
    assert static is not None
    driver = _driver(lab, design, host)
    try:
        routes = driver.get_route_to("0.0.0.0/0")["0.0.0.0/0"]
    finally:
        driver.close()
    in_vrf = [r for r in routes if r["routing_table"] == static.group(1)]
    assert len(in_vrf) == 1 and in_vrf[0]["protocol"] == "static" and in_vrf[0]["next_hop"] == static.group(2)
    assert {r["routing_table"] for r in routes} <= {static.group(1), "default"}


@pytest.mark.parametrize("example", [FVRF_EXAMPLE, "inventory/examples/phase3-bgp-dual-cloud"])
def test_the_sweep_on_every_router_of_the_vrf_and_bgp_examples(example: str) -> None:
    """Front-door VRF (get_route_to and get_network_instances per VRF) and BGP (get_bgp_config,
    get_bgp_neighbors[_detail]): every router answers every getter, except NAPALM's two BGP neighbour getters
    on a hub with `bgp listen range`: IOS lists dynamic peers as `*A.B.C.D` in `show ip bgp all summary`
    (Cisco BGP configuration guide, BGP Dynamic Neighbors), which NAPALM's ios driver does not match, so it
    raises on a real hub too. That is NAPALM's parser; the emulator prints what IOS prints."""
    for name, value in {"DMVPN_SSH_PASSWORD": "lab-pw-1", "DMVPN_ENABLE_SECRET": "lab-en-1",
                        "DMVPN_NHRP_AUTH": "nhrpkey", "DMVPN_PSK": "lab-psk-1"}.items():
        os.environ.setdefault(name, value)
    design = load_design(str(REPO / example))
    lab = _lab(design)
    failures: dict[str, str] = {}
    dynamic: set[str] = set()
    try:
        for host in design.hosts:
            if re.search(r"(?m)^ bgp listen range ", lab.running_config(host)):
                assert re.search(r"(?m)^\*\d+\.", lab.run(host, "show ip bgp all summary"))
                dynamic.add(host)
            driver = _driver(lab, design, host)
            try:
                failures.update({f"{host} {k}": v for k, v in _sweep(driver).items()})
                bgp = re.search(r"(?m)^router bgp (\d+)", lab.running_config(host))
                if bgp and host not in dynamic:         # a spoke: its neighbours are the hubs it peers with
                    config = driver.get_bgp_config()
                    peers = {ip: p for group in config.values() for ip, p in group["neighbors"].items()}
                    want = re.findall(r"(?m)^ neighbor (\d\S+) remote-as (\d+)", lab.running_config(host))
                    assert {ip: p["remote_as"] for ip, p in peers.items()} == {ip: int(a) for ip, a in want} != {}
                    assert {p["local_as"] for p in peers.values()} == {int(bgp.group(1))}
            finally:
                driver.close()
    finally:
        lab.stop()
    assert set(failures) == {f"{h} {g}" for h in dynamic for g in ("get_bgp_neighbors", "get_bgp_neighbors_detail")}
    assert ("bgp" in example) == bool(dynamic)


def test_a_vrf_without_interfaces_and_with_an_rd(fvrf: tuple[Lab, Design]) -> None:
    """`show vrf` lists every defined VRF (ntc-templates show_vrf no_interface capture), `show vrf detail` says
    `No interfaces` and the RD; NAPALM reads both into get_network_instances."""
    lab, design = fvrf
    host = next(h for h in design.hosts if re.search(r"(?m)^ vrf forwarding ", lab.running_config(h)))
    assert lab.configure(host, "vrf definition SPARE\n rd 65000:9\n address-family ipv4\n exit-address-family\n") == []
    try:
        assert re.search(r"(?m)^  SPARE {28}65000:9 {15}ipv4 {8}$", lab.run(host, "show vrf"))
        detail = lab.run(host, "show vrf detail").split("\n\n")
        spare = next(b for b in detail if b.startswith("VRF SPARE "))
        assert spare.startswith("VRF SPARE (VRF Id = 2); default RD 65000:9; default VPNID <not set>\n")
        assert "\n  No interfaces\n" in spare and "(Table ID = 0x2):" in spare
        driver = _driver(lab, design, host)
        try:
            got = driver.get_network_instances()
        finally:
            driver.close()
        assert got["SPARE"]["state"]["route_distinguisher"] == "65000:9"
        assert got["SPARE"]["interfaces"]["interface"] == {}
    finally:
        assert lab.configure(host, "no vrf definition SPARE\n") == []


def test_ntp_getters_with_an_unreachable_server(demo: tuple[Lab, Any]) -> None:
    """Without NTP, `show ntp associations` is `%NTP is not enabled.`; with `ntp server X` the lab lists it
    as IOS does a server it never heard from (.INIT., stratum 16, reach 0), and NAPALM reads that row."""
    lab, driver = demo
    assert lab.run("hub1", "show ntp associations").strip() == "%NTP is not enabled."
    lab.configure("hub1", "ntp server 192.0.2.123\n")
    try:
        servers, stats = driver.get_ntp_servers(), driver.get_ntp_stats()
    finally:
        lab.configure("hub1", "no ntp server 192.0.2.123\n")
    assert servers == {"192.0.2.123": {}}
    assert [(s["remote"], s["stratum"], s["reachability"], s["synchronized"], s["referenceid"])
            for s in stats] == [("192.0.2.123", 16, 0, False, ".INIT.")]


def test_ping_lan_to_lan_with_source_and_traceroute_in_the_front_door_vrf(demo: tuple[Lab, Any], design: Design,
                                                                          fvrf: tuple[Lab, Design]) -> None:
    """ping(source=...) from the hub's LAN to a spoke's LAN crosses the tunnel; traceroute(vrf=...) from a
    front-door-VRF router to a hub's NBMA address goes via the ISP gateway (NAPALM: `traceroute vrf V X
    ttl 0 255 timeout 2`)."""
    _, driver = demo
    src, dst = design.hosts["hub1"].lan[0].address.ip, design.hosts["spoke1"].lan[0].address.ip
    ok = driver.ping(str(dst), source=str(src))["success"]
    assert ok["packet_loss"] == 0 and {r["ip_address"] for r in ok["results"]} == {str(dst)}
    lab, fdesign = fvrf
    host = next(h for h in fdesign.hosts if re.search(r"(?m)^ vrf forwarding ", lab.running_config(h))
                and not fdesign.hosts[h].is_hub)
    static = re.search(r"(?m)^ip route vrf (\S+) 0\.0\.0\.0 0\.0\.0\.0 (\S+)$", lab.running_config(host))
    nbma = re.search(r"(?m)^ ip nhrp nhs \S+ nbma (\S+)", lab.running_config(host))
    assert static is not None and nbma is not None
    fdriver = _driver(lab, fdesign, host)
    try:
        hops = fdriver.traceroute(nbma.group(1), vrf=static.group(1))["success"]
    finally:
        fdriver.close()
    seen = [{p["ip_address"] for p in hops[n]["probes"].values()} for n in sorted(hops)]
    assert seen == [{static.group(2)}, {nbma.group(1)}]
