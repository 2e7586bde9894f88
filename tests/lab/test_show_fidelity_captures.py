"""Emulator layouts checked against real captures (tests/fixtures/lab/<command>/*.raw, each with a .source
naming the repository, path and commit) and read by the real parsers: Genie's IOS-XE parsers (given a device
whose `execute` asks the same emulated router, as Genie asks a real one for `show running-config | section
router ospf N`), ntc-templates and NAPALM's ios templates. Parsed values are compared with the cloud model's
(other show commands of the same router, the design), never just "non-empty"; where a parser refuses a real
capture, the test asserts it refuses the emulator's output the same way.
"""
from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from genie.conf.base import Device
from ntc_templates.parse import parse_output
from textfsm import TextFSMError

from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
REPO = Path(__file__).resolve().parents[2]
CAPTURES = REPO / "tests/fixtures/lab"


def capture(command: str, name: str) -> str:
    """A stored real capture; Genie's test files indent theirs, so their common indent is removed."""
    assert (CAPTURES / command / name).with_suffix(".source").read_text().strip()
    text = (CAPTURES / command / name).read_text()
    return textwrap.dedent(text) if name.startswith("genieparser") else text


def _lab(example: str) -> Iterator[tuple[Lab, Design]]:
    for name, value in {"DMVPN_SSH_PASSWORD": "lab-pw-1", "DMVPN_ENABLE_SECRET": "lab-en-1",
                        "DMVPN_NHRP_AUTH": "nhrpkey", "DMVPN_PSK": "lab-psk-1"}.items():
        os.environ.setdefault(name, value)
    design = load_design(str(REPO / example))
    with Lab(design, ports="free") as lab:
        lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
        lab.advance(60)
        yield lab, design


@pytest.fixture(scope="module")
def ospf() -> Iterator[tuple[Lab, Design]]:
    yield from _lab("inventory/examples/phase1-ospf-single-hub")


@pytest.fixture(scope="module")
def bgp() -> Iterator[tuple[Lab, Design]]:
    yield from _lab("inventory/examples/phase3-bgp-dual-cloud")


def genie(lab: Lab, host: str, command: str) -> Any:
    device = Device(host, os="iosxe")
    device.custom.setdefault("abstraction", {})["order"] = ["os"]
    device.execute = lambda cmd, **_: lab.run(host, cmd)     # Genie's follow-up commands go to the same router
    return device.parse(command, output=lab.run(host, command))


def ntc(command: str, text: str) -> list[dict[str, Any]]:
    return list(parse_output(platform="cisco_ios", command=command, data=text))


def _ospf_table(lab: Lab, host: str) -> dict[str, list[str]]:
    """`show ip ospf neighbor` rows by neighbour ID: the model's own view to compare the detail with."""
    rows = [ln.split() for ln in lab.run(host, "show ip ospf neighbor").splitlines() if ln[:1].isdigit()]
    return {r[0]: r for r in rows}


# --- show ip ospf neighbor detail -------------------------------------------------------------------------

def test_ospf_neighbor_detail_matches_the_table_and_parses_as_the_iosxe_capture(ospf: tuple[Lab, Design]) -> None:
    lab, _ = ospf
    table = _ospf_table(lab, "hub")
    parsed = genie(lab, "hub", "show ip ospf neighbor detail")
    area = parsed["vrf"]["default"]["address_family"]["ipv4"]["instance"]["1"]["areas"]["0.0.0.0"]
    nbrs = {n: v for i in area["interfaces"].values() for n, v in i["neighbors"].items()}
    assert set(nbrs) == set(table) and len(nbrs) == 2
    for rid, n in nbrs.items():
        assert n["address"] == table[rid][-2] and n["state"] == "full" and n["dr_ip_addr"] == "0.0.0.0"
        for dead in (n["dead_timer"], table[rid][-3]):    # p2mp: dead 120 restarted by a hello every 30 s
            h, m, sec = (int(x) for x in dead.split(":"))
            assert 90 < h * 3600 + m * 60 + sec <= 120, dead
    real = capture("show_ip_ospf_neighbor_detail", "genieparser_iosxe_3.raw").split("\n", 1)[1]
    ours = lab.run("hub", "show ip ospf neighbor detail")
    # ntc-templates' template is for classic IOS: it refuses the IOS-XE capture and ours alike (the
    # Hello/DBD options lines), and reads its own classic capture
    for text in (real, ours):
        with pytest.raises(TextFSMError):
            ntc("show ip ospf neighbor detail", text)
    assert ntc("show ip ospf neighbor detail", capture("show_ip_ospf_neighbor_detail", "ntc-templates_1.raw"))
    def shape(line: str) -> str:       # a line with its values (addresses, times, counters) blanked
        line = re.sub(r"via interface \S+", "via interface X", line)
        return re.sub(r"\d[\w.:/()]*", "N", line).split(", interface-id")[0]
    shapes = {shape(ln) for ln in real.splitlines()}
    assert [ln for ln in ours.splitlines() if ln and shape(ln) not in shapes] == []


# --- show ip ospf interface [brief] -------------------------------------------------------------------------

def test_ospf_interface_values_and_layout(ospf: tuple[Lab, Design]) -> None:
    lab, design = ospf
    tunnel = design.hosts["hub"].tunnels[0]
    parsed = genie(lab, "hub", "show ip ospf interface")
    intfs = parsed["vrf"]["default"]["address_family"]["ipv4"]["instance"]["1"]["areas"]["0.0.0.0"]["interfaces"]
    tun = intfs[tunnel.interface]
    assert tun["ip_address"] == f"{tunnel.tunnel_ip}/{tunnel.spec.subnet.prefixlen}"
    assert tun["interface_type"] == "point-to-multipoint" and tun["hello_interval"] == 30
    assert tun["dead_interval"] == 120              # p2mp timers, as the neighbour table's dead time counts
    assert tun["statistics"]["nbr_count"] == tun["statistics"]["adj_nbr_count"] == len(_ospf_table(lab, "hub"))
    adjacent = re.findall(r"(?m)^    Adjacent with neighbor (\S+)$", lab.run("hub", f"show ip ospf interface {tunnel.interface}"))
    assert set(adjacent) == set(_ospf_table(lab, "hub"))     # Genie keeps only DR/BDR neighbours, so read them
    assert intfs["Loopback1"]["interface_type"] == "loopback"
    ours = lab.run("hub", "show ip ospf interface")
    assert _ospf_interface_strays(ours) == []
    assert "        0           1000      no          no            Base" in ours    # the capture's columns


def _ospf_interface_strays(text: str) -> list[str]:
    """Lines of ``text`` whose shape (interface name, network type/state and values blanked) no IOS-XE capture
    of `show ip ospf interface` has (loopback + point-to-point capture, broadcast DR/BDR capture)."""
    real = capture("show_ip_ospf_interface", "genieparser_iosxe_2.raw") + \
        capture("show_ip_ospf_interface", "genieparser_iosxe_1.raw")

    def shape(line: str) -> str:
        line = re.sub(r"^\S+ is (up|administratively down|down)", "IF is UP", line.rstrip())
        line = re.sub(r"Network Type \w+|State \w+", "TYPE", line)
        return " ".join(re.sub(r"\d[\w.:/()]*", "N", line).split())
    shapes = {shape(ln) for ln in real.splitlines()}
    return [ln for ln in text.splitlines() if ln.strip() and shape(ln) not in shapes]


def test_ospf_interface_brief_columns_as_the_captures(ospf: tuple[Lab, Design]) -> None:
    lab, design = ospf
    tunnel = design.hosts["hub"].tunnels[0]
    text = lab.run("hub", "show ip ospf interface brief")
    real = capture("show_ip_ospf_interface_brief", "genieparser_iosxe_1.raw")
    header = next(ln for ln in real.splitlines() if ln.startswith("Interface"))
    assert text.splitlines()[0] == header
    rows = {r["interface"]: r for r in ntc("show ip ospf interface brief", text)}
    tu = rows[f"Tu{tunnel.interface.removeprefix('Tunnel')}"]
    assert (tu["ip_address"], tu["prefix_length"]) == (str(tunnel.tunnel_ip), str(tunnel.spec.subnet.prefixlen))
    assert tu["state"] == "P2MP" and tu["cost"] == "1000"
    assert tu["neighbors_fc"] == f"{len(_ospf_table(lab, 'hub'))}/{len(_ospf_table(lab, 'hub'))}"
    assert rows["Lo1"]["cost"] == "1" and rows["Lo1"]["state"] == "LOOP"
    brief = genie(lab, "hub", "show ip ospf interface brief")
    cost = brief["instance"]["1"]["areas"]["0.0.0.0"]["interfaces"][tunnel.interface]["cost"]
    full = genie(lab, "hub", "show ip ospf interface")
    assert cost == full["vrf"]["default"]["address_family"]["ipv4"]["instance"]["1"]["areas"]["0.0.0.0"][
        "interfaces"][tunnel.interface]["cost"] == 1000           # tunnel bandwidth 100 kbit/s: 10^8/10^5


# --- show ip protocols ------------------------------------------------------------------------------------

def test_ip_protocols_ospf_sources_are_router_ids(ospf: tuple[Lab, Design]) -> None:
    lab, _ = ospf
    parsed = genie(lab, "hub", "show ip protocols")
    ospf_ = parsed["protocols"]["ospf"]["vrf"]["default"]["address_family"]["ipv4"]["instance"]["1"]
    assert set(ospf_["routing_information_sources"]["gateway"]) == set(_ospf_table(lab, "hub"))
    assert ospf_["router_id"] == lab.run("hub", "show ip ospf interface").split("Router ID ")[1].split(",")[0]
    assert "application" in parsed["protocols"]

    def rid(host: str) -> str:
        return lab.run(host, "show ip ospf interface").split("Router ID ")[1].split(",")[0]
    spoke = genie(lab, "spoke1", "show ip protocols")["protocols"]["ospf"]["vrf"]["default"]["address_family"][
        "ipv4"]["instance"]["1"]
    others = {rid(h) for h in ("hub", "spoke2")}          # the area's routers: the hub's LSA and spoke2's
    assert set(spoke["routing_information_sources"]["gateway"]) == others and len(others) == 2
    real = capture("show_ip_protocols", "genieparser_iosxe_7.raw")
    app = real.split('Routing Protocol is "application"')[1].split("\n\n")[0]
    assert 'Routing Protocol is "application"' + app in lab.run("hub", "show ip protocols")


def test_ip_protocols_bgp_neighbors_and_sources(bgp: tuple[Lab, Design]) -> None:
    lab, _ = bgp
    parsed = genie(lab, "spoke1", "show ip protocols")
    inst = parsed["protocols"]["bgp"]["instance"]["default"]["vrf"]["default"]["address_family"]["ipv4"]
    summary = _summary(lab, "spoke1")
    assert set(inst["neighbors"]) == set(summary)
    sent = {ip for ip, r in summary.items() if r[-1].isdigit() and int(r[-1]) > 0}
    assert set(inst["routing_information_sources"]) == sent and sent
    assert all(v["distance"] == 200 for v in inst["routing_information_sources"].values())   # iBGP


# --- show ip bgp neighbors --------------------------------------------------------------------------------

def _summary(lab: Lab, host: str) -> dict[str, list[str]]:
    """`show ip bgp summary` neighbour rows by address (listen-range `*` dropped)."""
    rows = lab.run(host, "show ip bgp summary").split("State/PfxRcd\n", 1)[1].splitlines()
    return {r[0].lstrip("*"): r for r in (ln.split() for ln in rows) if len(r) > 8 and r[0].lstrip("*")[:1].isdigit()}


def test_bgp_neighbors_values_match_the_summary_and_both_ends(bgp: tuple[Lab, Design]) -> None:
    """Genie keeps IOS's `*` on a listen-range neighbour (as in the summary); the values are both ends'."""
    lab, design = bgp
    for host in ("hub-red", "spoke1"):
        summary = _summary(lab, host)
        raw = genie(lab, host, "show ip bgp neighbors")["vrf"]["default"]["neighbor"]
        marked = {ip.lstrip("*") for ip in raw if ip.startswith("*")}
        assert marked == (set(summary) if host == "hub-red" else set())    # the hub's come from its listen range
        nbrs = {ip.lstrip("*"): n for ip, n in raw.items()}
        assert set(nbrs) == set(summary)
        for ip, n in nbrs.items():
            row = summary[ip]
            assert n["remote_as"] == int(row[2]) and n["session_state"] == "Established"
            msgs = n["bgp_neighbor_counters"]["messages"]
            assert (msgs["received"]["total"], msgs["sent"]["total"]) == (int(row[3]), int(row[4]))
            pfx = n["address_family"]["ipv4 unicast"]["prefix_activity_counters"]["received"]["prefixes_current"]
            assert pfx == int(row[-1])
            peer = next(h for h, s in design.hosts.items() if any(str(t.tunnel_ip) == ip for t in s.tunnels))
            assert f"BGP router identifier {n['router_id']}," in lab.run(peer, "show ip bgp summary")
            transport = n["bgp_session_transport"]["transport"]
            theirs = genie(lab, peer, f"show ip bgp neighbors {transport['local_host']}")["vrf"]["default"]["neighbor"]
            (back,) = (v["bgp_session_transport"] for k, v in theirs.items() if k.lstrip("*") == transport["local_host"])
            assert back["transport"]["local_port"] == transport["foreign_port"]       # one TCP connection
            assert "179" in (transport["local_port"], transport["foreign_port"])
    hub_text = lab.run("hub-red", "show ip bgp neighbors")
    hub_ports = ntc("show ip bgp neighbors", hub_text)
    assert {r["localhost_port"] for r in hub_ports} == {"179"}            # listen range: the spokes connect
    listen = re.findall(r"(?m)^ bgp listen range (\S+) peer-group (\S+)$", lab.running_config("hub-red"))
    (rng, group), = listen
    for ip in _summary(lab, "hub-red"):      # Cisco BGP configuration guide, BGP Dynamic Neighbors example
        assert (f"BGP neighbor is *{ip},  remote AS 65000, internal link\n Member of peer-group {group} for "
                f"session parameters\n Belongs to the subnet range group: {rng}\n") in hub_text


def test_bgp_neighbors_layout_as_the_capture(bgp: tuple[Lab, Design]) -> None:
    lab, _ = bgp
    real = capture("show_ip_bgp_neighbors", "ntc-templates_1.raw").splitlines()
    ours = lab.run("spoke1", "show ip bgp neighbors").splitlines()
    for fixed in ("                         Sent       Rcvd", "  Prefix activity:               ----       ----",
                  "                                   Outbound    Inbound",
                  "  Local Policy Denied Prefixes:    --------    -------",
                  " For address family: IPv4 Unicast", "Connection tableid (VRF): 0"):
        assert fixed in real and fixed in ours
    first = ours[:ours.index(" For address family: IPv4 Unicast")]
    captured = real + (capture("show_ip_bgp_neighbors", "genieparser_iosxe_ipv4_unicast.raw")
                       + capture("show_ip_bgp_neighbors", "genieparser_iosxe_idle.raw")).splitlines()

    def shape(line: str) -> str:        # indent kept, values blanked, inner runs of blanks as one
        indent = line[:len(line) - len(line.lstrip())]
        return indent + " ".join(re.sub(r"\d[\w.:/()*]*", "N", line).split())
    shapes = {shape(ln) for ln in captured}
    for host in ("spoke1", "hub-red"):   # the hub's listen-range head lines are checked against the guide above
        text = lab.run(host, "show ip bgp neighbors")
        assert [ln for ln in text.splitlines() if ln.strip() and shape(ln) not in shapes
                and not re.match(r"BGP neighbor is \*| Member of peer-group | Belongs to the subnet", ln)] == []
    counters = [ln for ln in first if re.match(r"    (Opens|Notifications|Updates|Keepalives|Route Refresh|Total):", ln)]
    assert len(counters) == 6 and {len(ln) for ln in counters} == {len(real[17])}     # right-aligned columns
    assert lab.run("spoke1", "show ip bgp neighbors 192.0.2.99") == "% No such neighbor or address family\n"


def test_napalm_templates_read_bgp_neighbors(bgp: tuple[Lab, Design]) -> None:
    """NAPALM's get_bgp_neighbors_detail parses `show ip bgp all summary` and `show ip bgp ipv4 unicast
    neighbors X` with its own TextFSM templates; the values are the summary's."""
    import napalm.ios
    import textfsm
    lab, _ = bgp
    templates = Path(napalm.ios.__file__).parent / "utils/textfsm_templates"

    def parse(name: str, text: str) -> list[dict[str, str]]:
        with open(templates / f"{name}.tpl") as f:
            fsm = textfsm.TextFSM(f)
        return [dict(zip((h.lower() for h in fsm.header), row)) for row in fsm.ParseText(text)]
    rows = parse("ip_bgp_all_sum", lab.run("spoke1", "show ip bgp all summary"))
    assert {r["neighbor"] for r in rows} == set(_summary(lab, "spoke1")) and rows[0]["addr_family"] == "IPv4 Unicast"
    for r in rows:
        detail = parse("ip_bgp_neigh", lab.run("spoke1", f"show ip bgp ipv4 unicast neighbors {r['neighbor']}"))[0]
        assert detail["bgp_state"] == "Established" and detail["msg_total_in"] == r["msg_recv"]
        assert detail["four_byte_as"] == "advertised and received" and detail["remote_port"] == "179"
        assert detail["local_address"] in lab.run("spoke1", "show ip interface brief")


# --- show hosts, show memory statistics, show vrf ---------------------------------------------------------

def test_hosts_and_memory_statistics_as_the_iosxe_captures(ospf: tuple[Lab, Design]) -> None:
    lab, _ = ospf
    # no `ip name-server`, no names cached; the domain is `ip domain name X` (golden_output_2 prints it)
    domain = re.search(r"(?m)^ip domain name (\S+)$", lab.running_config("hub"))
    assert domain is not None
    assert genie(lab, "hub", "show hosts") == {"name_servers": ["255.255.255.255"], "default_domain": domain.group(1)}
    real = capture("show_hosts", "genieparser_iosxe_3.raw").splitlines()
    assert lab.run("hub", "show hosts").splitlines()[2:] == real[2:4]          # the table head, empty cache
    memory = genie(lab, "hub", "show memory statistics")
    proc = memory["name"]["processor"]
    assert proc["total"] == proc["used"] + proc["free"]
    real_mem = capture("show_memory_statistics", "genieparser_iosxe_1.raw").splitlines()
    ours = lab.run("hub", "show memory statistics").splitlines()
    assert ours[0].startswith("Tracekey : ") and ours[2] == real_mem[2]        # header columns


@pytest.fixture(scope="module")
def vrf() -> Iterator[tuple[Lab, Design]]:
    yield from _lab("inventory/examples/fvrf-nat-spoke")


def test_vrf_as_the_captures(vrf: tuple[Lab, Design]) -> None:
    lab, _ = vrf
    text = lab.run("hub1", "show vrf")
    real = capture("show_vrf", "ntc-templates_no_interface.raw").splitlines()
    assert text.splitlines()[0] == real[0]
    rows = ntc("show vrf", text)
    running = lab.run("hub1", "show running-config")
    names = set(re.findall(r"(?m)^vrf definition (\S+)", running))
    assert {r["name"] for r in rows} == names and names
    blocks = [b.splitlines() for b in running.split("\ninterface ")[1:]]
    for r in rows:
        members = [b[0] for b in blocks if f" vrf forwarding {r['name']}" in b]
        assert r["default_rd"] == "<not set>" and len(r["interfaces"]) == len(members) > 0
    assert genie(lab, "hub1", "show vrf")["vrf"].keys() == names


# --- show ip bgp summary ----------------------------------------------------------------------------------

def test_bgp_summary_read_by_genie_and_ntc_with_the_model_values(bgp: tuple[Lab, Design]) -> None:
    """The hub's neighbours come from a listen range, which IOS marks with a leading `*` (Cisco IP Routing:
    BGP Configuration Guide, "BGP Dynamic Neighbors" example: `*192.168.3.2  4 50000 ...` and `* Dynamically
    created based on a listen range command`). Genie reads those rows; ntc-templates' neighbour regex has no
    `*`, so it drops them on real output as on ours: without the marks it reads the same rows and values."""
    lab, design = bgp
    hub = "hub-red"
    cloud = design.hosts[hub].tunnels[0].cloud
    spokes = {str(t.tunnel_ip) for h, s in design.hosts.items() if not s.is_hub for t in s.tunnels if t.cloud == cloud}
    table = [ln.split() for ln in lab.run(hub, "show ip bgp").splitlines() if ln.startswith(" *")]
    learned = {ip: sum(1 for r in table if ip in r) for ip in spokes}
    text = lab.run(hub, "show ip bgp summary")
    header = "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd"
    assert header in text.splitlines()
    nbrs = genie(lab, hub, "show ip bgp summary")["vrf"]["default"]["neighbor"]
    assert set(nbrs) == spokes
    assert {ip: int(n["address_family"][""]["state_pfxrcd"]) for ip, n in nbrs.items()} == learned
    assert ntc("show ip bgp summary", text) == []
    real = capture("show_ip_bgp_summary", "lab_csr_listen_range.raw")         # a real listen-range hub
    assert ntc("show ip bgp summary", real) == [] and ntc("show ip bgp summary", re.sub(r"(?m)^\*(\d\S*)", r"\1 ", real))
    def shape(line: str) -> str:        # values blanked, runs of blanks as one: widths follow the values
        return " ".join(re.sub(r"\d[\w.:/()]*", "N", line).split())
    for line in text.splitlines():          # the memory block too
        assert shape(line.replace("RED-SPOKES", "calico")) in {shape(ln) for ln in real.splitlines()}, line
    bgp_rows = [ln for ln in lab.run(hub, "show ip bgp").splitlines() if ln.startswith(" *")]
    nets = {ln[5:21].strip() for ln in bgp_rows} - {""}
    assert f"\n{len(nets)} network entries using " in text and f"\n{len(bgp_rows)} path entries using " in text

    def edges(line: str) -> list[int]:
        return [m.end() for m in re.finditer(r"\S+", line)][1:]        # right edges after the neighbour
    assert {tuple(edges(ln)) for ln in text.splitlines() if ln.startswith("*1")} == \
        {tuple(edges(ln)) for ln in real.splitlines() if ln.startswith("*1")}
    unmarked = re.sub(r"(?m)^\*(\d\S*)", r"\1 ", text)
    rows = {r["bgp_neighbor"]: r for r in ntc("show ip bgp summary", unmarked)}
    assert {ip: int(r["state_or_prefixes_received"]) for ip, r in rows.items()} == learned
    spoke_rows = {r["bgp_neighbor"]: r for r in ntc("show ip bgp summary", lab.run("spoke1", "show ip bgp summary"))}
    configured = re.findall(r"(?m)^ neighbor (\S+) remote-as", lab.running_config("spoke1"))
    spoke_table = [ln for ln in lab.run("spoke1", "show ip bgp").splitlines() if ln.startswith(" * i", 0)
                   or ln.startswith(" *>i")]                                  # the paths learned over iBGP
    assert set(spoke_rows) == set(configured) and len(configured) == 2
    assert sum(int(r["state_or_prefixes_received"]) for r in spoke_rows.values()) == len(spoke_table)


def test_ip_bgp_lists_every_path_as_the_capture(bgp: tuple[Lab, Design]) -> None:
    """A spoke hears the other spoke's LAN from both hubs: two paths, the best one `*>` and in the RIB."""
    lab, _ = bgp
    text = lab.run("spoke1", "show ip bgp")
    rows = ntc("show ip bgp", text)
    summary = _summary(lab, "spoke1")
    learned = [r for r in rows if r["route_source"] == "i"]
    assert len(learned) == sum(int(r[-1]) for r in summary.values())      # PfxRcd counts every path
    rib = dict(re.findall(r"(?m)^B\s+(\S+) \[200/0\] via (\S+),", lab.run("spoke1", "show ip route bgp")))
    best = {r["network"]: r["next_hop"] for r in learned if r["path_selection"] == ">"}
    assert best == rib and len(best) < len(learned)                        # one prefix with a second path
    real = capture("show_ip_bgp", "ntc-templates_3.raw").splitlines()
    head = next(ln for ln in real if "Network" in ln)
    assert head in text.splitlines()
    weight_end, next_hop = head.index("Path") - 2, head.index("Next Hop")
    rows_real = [ln for ln in real if ln.startswith(" *") and len(ln) > weight_end + 1]   # not a wrapped prefix
    for line in rows_real + [ln for ln in text.splitlines() if ln.startswith(" *")]:
        assert line[weight_end].isdigit() and line[weight_end + 1] == " ", line       # Weight right-aligned
        assert line[next_hop].isdigit() and line[next_hop - 1] == " ", line           # Next Hop column


def test_ip_bgp_prefix_entry_as_the_iosxe_captures(bgp: tuple[Lab, Design]) -> None:
    """`show ip bgp A.B.C.D`: both paths of the other spoke's LAN, each `from` its hub (that hub's router ID)
    with Originator (the spoke that has the `network`) and Cluster list (the reflector); the own LAN sourced."""
    lab, design = bgp
    other = next(h for h, s in design.hosts.items() if not s.is_hub and h != "spoke1")
    lan = next(iter(re.findall(r"(?m)^  network (\S+) mask", lab.running_config(other))))
    entry = genie(lab, "spoke1", f"show ip bgp {lan}")["instance"]["default"]["vrf"]["default"]["address_family"][""]
    (prefix, e), = entry["prefixes"].items()
    current, count = "", 0
    for line in (ln for ln in lab.run("spoke1", "show ip bgp").splitlines() if ln.startswith(" *")):
        current = line[5:21].strip() or current                 # a blank Network column: the prefix above
        count += current == prefix
    assert int(e["available_path"]) == count == 2
    best = e["index"][int(e["best_path"])]
    rib = dict(re.findall(r"(?m)^B\s+(\S+) \[200/0\] via (\S+),", lab.run("spoke1", "show ip route bgp")))
    assert best["next_hop"] == rib[prefix] and best["status_codes"] == "*>"
    other_rid = lab.run(other, "show ip bgp summary").split("identifier ")[1].split(",")[0]
    hubs = {h: lab.run(h, "show ip bgp summary").split("identifier ")[1].split(",")[0]
            for h, s in design.hosts.items() if s.is_hub}
    for path in e["index"].values():
        assert path["cluster_list"] == path["originator"] in hubs.values()        # reflected by that hub
        assert f"Originator: {other_rid}, Cluster list: {path['cluster_list']}" in lab.run("spoke1", f"show ip bgp {lan}")
    own = next(iter(re.findall(r"(?m)^  network (\S+) mask", lab.running_config("spoke1"))))
    mine = genie(lab, "spoke1", f"show ip bgp {own}")["instance"]["default"]["vrf"]["default"]["address_family"][""]
    (_, m), = mine["prefixes"].items()
    assert m["index"][1]["weight"] == "32768" and m["index"][1]["next_hop"] == "0.0.0.0"
    assert lab.run("spoke1", "show ip bgp 192.0.2.1") == "% Network not in table\n"
    real = capture("show_ip_bgp_prefix", "genieparser_iosxe_reflected.raw") + \
        capture("show_ip_bgp_prefix", "genieparser_iosxe_local.raw")

    def shape(line: str) -> str:
        line = re.sub(r" \(via vrf \S+\)| \(metric \d+\) \(via default\)", "", line).strip()
        line = re.sub(r"table \S+\)", "table T)", line)
        return re.sub(r"\d[\w.:/]*", "N", line)
    shapes = {shape(ln) for ln in real.splitlines()}
    for text in (lab.run("spoke1", f"show ip bgp {lan}"), lab.run("spoke1", f"show ip bgp {own}")):
        assert [ln for ln in text.splitlines() if shape(ln) not in shapes] == ["  Not advertised to any peer"] * \
            text.count("Not advertised")


# --- show ip eigrp interfaces -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def eigrp() -> Iterator[tuple[Lab, Design]]:
    yield from _lab("inventory")


def test_eigrp_interfaces_columns_and_values(eigrp: tuple[Lab, Design]) -> None:
    lab, design = eigrp
    tunnel = design.hosts["hub1"].tunnels[0]
    rows = [ln.split() for ln in lab.run("hub1", "show ip eigrp neighbors").splitlines() if ln[:1].isdigit()]
    parsed = genie(lab, "hub1", "show ip eigrp interfaces")["vrf"]["default"]["eigrp_instance"]
    (asn, inst), = parsed.items()
    tu = inst["address_family"]["ipv4"]["interface"][tunnel.interface]
    assert f"router eigrp {asn}" in lab.running_config("hub1")
    assert tu["peers"] == len(rows) >= 2 and tu["mean_srtt"] == sum(int(r[5]) for r in rows) // len(rows)
    real = capture("show_ip_eigrp_interfaces", "genieparser_iosxe_1.raw").splitlines()
    ours = lab.run("hub1", "show ip eigrp interfaces").splitlines()
    assert ours[1:3] == real[1:3]                                            # the two header lines

    def ends(line: str) -> list[int]:
        return [m.end() for m in re.finditer(r"\S+", line)][1:]               # right edges after the name
    assert {tuple(ends(ln)) for ln in ours[3:]} == {tuple(ends(ln)) for ln in real[3:]}


# --- show ip route [vrf V] A.B.C.D ------------------------------------------------------------------------

def _entry(lab: Lab, host: str, command: str) -> dict[str, Any]:
    (_, e), = genie(lab, host, command)["entry"].items()
    return dict(e)


def _route_lines(lab: Lab, host: str, command: str) -> dict[str, list[str]]:
    """The routing-table rows (`show ip route ...`) by prefix: code and next hops."""
    out: dict[str, list[str]] = {}
    for m in re.finditer(r"(?m)^(\S+)\s+(\d+\.\d+\.\d+\.\d+/\d+) (?:\[\d+/\d+\] via (\S+),|is directly)",
                         lab.run(host, command)):
        out[m.group(2)] = [m.group(1), (m.group(3) or "").rstrip(",")]
    return out


def test_route_entry_eigrp_connected_local_default(eigrp: tuple[Lab, Design]) -> None:
    lab, _ = eigrp
    table = _route_lines(lab, "spoke1", "show ip route")
    lan = next(p for p, (code, _) in table.items() if code == "D")
    e = _entry(lab, "spoke1", f"show ip route {lan.split('/')[0]}")
    asn = re.search(r"(?m)^router eigrp (\d+)", lab.running_config("spoke1"))
    assert asn is not None and e["known_via"] == f"eigrp {asn.group(1)}" and e["type"] == "internal"
    assert e["paths"][1]["nexthop"] == e["update"]["from"] == table[lan][1] and e["distance"] == "90"
    default = _entry(lab, "spoke1", "show ip route 0.0.0.0")
    gw = re.search(r"(?m)^ip route 0\.0\.0\.0 0\.0\.0\.0 (\S+)", lab.running_config("spoke1"))
    assert gw is not None and default["net"] == "supernet" and default["paths"][1]["nexthop"] == gw.group(1)
    assert lab.run("spoke1", "show ip route 192.0.2.200") == "% Network not in table\n"   # only the default
    local = next(p for p, (code, _) in table.items() if code == "L")
    own = _entry(lab, "spoke1", f"show ip route {local.split('/')[0]}")
    assert own["known_via"] == "connected" and own["mask"] == "32"
    assert "metric 0 (connected)" in lab.run("spoke1", f"show ip route {local.split('/')[0]}")
    real = "".join(capture("show_ip_route_entry", f"genieparser_iosxe_{n}.raw")
                   for n in ("eigrp", "local", "vrf_static", "bgp_default", "ospf"))

    def shape(line: str) -> str:
        line = re.sub(r'"(\w+) [\d.]+"', r'"\1 N"', line.strip())
        line = re.sub(r"via \S+| on \S+,", "via X", line)
        return re.sub(r"\d[\w.:/]*", "N", line).replace("* ", "")
    shapes = {shape(ln) for ln in real.splitlines()}
    for addr in (lan.split("/")[0], "0.0.0.0", local.split("/")[0]):
        text = lab.run("spoke1", f"show ip route {addr}")
        assert [ln for ln in text.splitlines() if ln and shape(ln) not in shapes] == [], text


def test_route_entry_ospf_and_bgp(ospf: tuple[Lab, Design], bgp: tuple[Lab, Design]) -> None:
    lab, _ = ospf
    table = _route_lines(lab, "spoke1", "show ip route ospf")
    (prefix, (_, nh)), *_ = table.items()
    e = _entry(lab, "spoke1", f"show ip route {prefix.split('/')[0]}")
    assert e["known_via"] == "ospf 1" and e["type"] == "intra area" and e["paths"][1]["nexthop"] == nh
    hub_rid = _ospf_table(lab, "spoke1")
    assert e["paths"][1]["from"] in hub_rid                    # the neighbour's router ID, as IOS names it
    blab, design = bgp
    other = next(h for h, s in design.hosts.items() if not s.is_hub and h != "spoke1")
    lan = re.findall(r"(?m)^  network (\S+) mask", blab.running_config(other))[0]
    (pfx, b), = genie(blab, "spoke1", f"show ip route {lan}")["entry"].items()
    rib = _route_lines(blab, "spoke1", "show ip route bgp")
    summary = _summary(blab, "spoke1")
    assert b["known_via"] == "bgp 65000" and b["paths"][1]["nexthop"] == rib[pfx][1]
    assert b["paths"][1]["from"] in summary and b["paths"][1]["from"] != b["paths"][1]["nexthop"]  # reflected


def test_route_entry_in_a_vrf(vrf: tuple[Lab, Design]) -> None:
    lab, _ = vrf
    gw = re.search(r"(?m)^ip route vrf (\S+) 0\.0\.0\.0 0\.0\.0\.0 (\S+)", lab.running_config("hub1"))
    assert gw is not None
    text = lab.run("hub1", f"show ip route vrf {gw.group(1)} 0.0.0.0")
    assert text.startswith(f"\nRouting Table: {gw.group(1)}\nRouting entry for 0.0.0.0/0, supernet\n")
    assert f"  * {gw.group(2)}\n" in text
    table = lab.run("hub1", f"show ip route vrf {gw.group(1)}")
    assert f"Gateway of last resort is {gw.group(2)} to network 0.0.0.0" in table
    assert re.search(rf"(?m)^S\*\s+0\.0\.0\.0/0 \[1/0\] via {re.escape(gw.group(2))}$", table)
    rows = ntc("show ip route", table)
    assert {(r["protocol"], r["network"]) for r in rows} >= {("S", "0.0.0.0"), ("C", "198.51.100.0")}
    vrf_nets = {f"{r['network']}/{r['prefix_length']}" for r in rows}
    global_nets = {f"{r['network']}/{r['prefix_length']}" for r in ntc("show ip route", lab.run("hub1", "show ip route"))}
    assert vrf_nets and not vrf_nets & global_nets       # a `vrf forwarding` interface is in its VRF's table only


def test_ip_protocols_eigrp_block_as_the_capture(eigrp: tuple[Lab, Design]) -> None:
    """Genie's IOS-XE parser leaves EIGRP `protocol_under_dev`, so the block is held to a real capture line by
    line (values blanked) and its values to the other EIGRP shows."""
    lab, _ = eigrp
    text = lab.run("hub1", "show ip protocols")
    block = text.split('Routing Protocol is "eigrp')[1].split("\n\n\n")[0].split("\nRouting Protocol")[0]
    block = 'Routing Protocol is "eigrp' + block
    real = capture("show_ip_protocols", "lab_eigrp_summary.raw")

    def shape(line: str) -> str:        # indent kept, values blanked, inner runs of blanks as one
        indent = line[:len(line) - len(line.lstrip())]
        return indent + " ".join(re.sub(r"\d[\w.:/()]*", "N", line).split())
    shapes = {shape(ln) for ln in real.splitlines()}
    assert [ln for ln in block.splitlines() if shape(ln) not in shapes] == []
    distance_end = {m.end(1) - m.start(0) for m in re.finditer(r"(?m)^    \S+ +(90) ", real)}   # column of Distance
    assert {m.end(1) - m.start(0) for m in re.finditer(r"(?m)^    \S+ +(90) ", block)} == distance_end
    neighbors = {ln.split()[1] for ln in lab.run("hub1", "show ip eigrp neighbors").splitlines() if ln[:1].isdigit()}
    sources = set(re.findall(r"(?m)^    (\d+\.\d+\.\d+\.\d+) +90 ", block))
    assert sources == neighbors and len(sources) >= 2
    rid = re.search(r"/ID\((\S+)\)", lab.run("hub1", "show ip eigrp topology"))
    assert rid is not None and f"    Router-ID: {rid.group(1)}\n" in block


@pytest.fixture(scope="module")
def ospf_broadcast() -> Iterator[tuple[Lab, Design]]:
    yield from _lab("inventory/examples/ikev1-phase2-ospf")


def test_ospf_broadcast_dr_bdr_agree_across_the_shows(ospf_broadcast: tuple[Lab, Design]) -> None:
    """On a broadcast tunnel the interface's DR/BDR, the neighbour table's roles and the detail's
    `DR is .. BDR is ..` are one election."""
    lab, design = ospf_broadcast
    tunnel = design.hosts["hub1"].tunnels[0]
    pid = re.search(r"(?m)^router ospf (\d+)", lab.running_config("hub1"))
    assert pid is not None
    tu = genie(lab, "hub1", "show ip ospf interface")["vrf"]["default"]["address_family"]["ipv4"]["instance"][
        pid.group(1)]["areas"]["0.0.0.0"]["interfaces"][tunnel.interface]
    assert tu["interface_type"] == "broadcast" and (tu["hello_interval"], tu["dead_interval"]) == (10, 40)
    table = _ospf_table(lab, "hub1")
    roles = {rid: row[2].split("/")[1] for rid, row in table.items()}
    dr = next((rid for rid, r in roles.items() if r == "DR"), tu["router_id"])
    assert tu["dr_router_id"] == dr
    assert tu["state"] == ("dr" if dr == tu["router_id"] else "bdr" if tu["bdr_router_id"] == tu["router_id"]
                           else "drother")
    detail = genie(lab, "hub1", "show ip ospf neighbor detail")["vrf"]["default"]["address_family"]["ipv4"][
        "instance"][pid.group(1)]["areas"]["0.0.0.0"]["interfaces"][tunnel.interface]["neighbors"]
    assert set(detail) == set(table)
    assert {(n["dr_ip_addr"], n["bdr_ip_addr"]) for n in detail.values()} == {(tu["dr_ip_addr"], tu["bdr_ip_addr"])}
    assert _ospf_interface_strays(lab.run("hub1", "show ip ospf interface")) == []
    brief = {r["interface"]: r for r in ntc("show ip ospf interface brief", lab.run("hub1", "show ip ospf interface brief"))}
    assert brief[f"Tu{tunnel.interface.removeprefix('Tunnel')}"]["state"] == tu["state"].upper().replace("DROTHER", "DROTH")


def test_bgp_neighbor_shut_down_reads_as_the_summary_says() -> None:
    """`neighbor X shutdown` on a spoke: the summary's `Idle (Admin)` is the neighbours' `Administratively shut
    down` / `BGP state = Idle`, one connection dropped at the shutdown; Genie and NAPALM's template read it."""
    import napalm.ios
    import textfsm
    for lab, _ in _lab("inventory/examples/phase3-bgp-dual-cloud"):
        peer = sorted(_summary(lab, "spoke1"))[-1]
        assert lab.configure("spoke1", f"router bgp 65000\n neighbor {peer} shutdown\n") == []
        lab.advance(5)
        assert _summary(lab, "spoke1")[peer][-2:] == ["Idle", "(Admin)"]
        n = genie(lab, "spoke1", "show ip bgp neighbors")["vrf"]["default"]["neighbor"][peer]
        assert n["shutdown"] is True and n["address_family"]["ipv4 unicast"]["session_state"] == "Idle"
        text = lab.run("spoke1", f"show ip bgp neighbors {peer}")
        assert re.search(r"  Connections established 1; dropped 1\n  Last reset 00:00:(0[5-9]|1\d), due to Admin\. "
                         r"shutdown\n", text), text                 # down 5 s of lab time (plus the wall clock)
        assert text.rstrip().endswith("No active TCP connection")
        with open(Path(napalm.ios.__file__).parent / "utils/textfsm_templates/ip_bgp_neigh.tpl") as f:
            fsm = textfsm.TextFSM(f)
        row = dict(zip(fsm.header, fsm.ParseText(text)[0]))
        assert (row["NEIGHBOR"], row["BGP_STATE"], row["MSG_TOTAL_IN"]) == (peer, "Idle", "0")


def test_bgp_neighbor_advertised_routes_and_routes(bgp: tuple[Lab, Design]) -> None:
    """What the hub advertises to a spoke is what that spoke accepted from the hub (`routes`), as many as the
    spoke's PfxRcd for the hub; ntc-templates' advertised-routes template reads it as its real capture."""
    lab, design = bgp
    hub, hub_ip = "hub-red", str(design.hosts["hub-red"].tunnels[0].tunnel_ip)
    spoke_ip = next(str(t.tunnel_ip) for t in design.hosts["spoke1"].tunnels if t.cloud == design.hosts[hub].tunnels[0].cloud)
    sent = ntc("show ip bgp neighbors 1.1.1.1 advertised-routes",
               lab.run(hub, f"show ip bgp neighbors {spoke_ip} advertised-routes"))
    got = lab.run("spoke1", f"show ip bgp neighbors {hub_ip} routes")
    accepted = {ln[5:21].strip() for ln in got.splitlines() if ln.startswith(" *")}
    assert {r["network"] for r in sent} == accepted and len(accepted) == int(_summary(lab, "spoke1")[hub_ip][-1])
    assert f"Total number of prefixes {len(accepted)} " in got
    real = capture("show_ip_bgp_neighbors_advertised_routes", "ntc-templates_2.raw")
    assert ntc("show ip bgp neighbors 1.1.1.1 advertised-routes", real)
    assert lab.run("spoke1", f"show ip bgp neighbors {hub_ip} received-routes") == \
        f"% Inbound soft reconfiguration not enabled on {hub_ip}\n"


# --- show ip route summary --------------------------------------------------------------------------------

def test_route_summary_counts_the_routing_table(ospf: tuple[Lab, Design], bgp: tuple[Lab, Design]) -> None:
    """Each source's networks + subnets are its routes in `show ip route` (C and L under connected), the
    processes by number with their breakdown lines, read by ntc-templates and Genie as their captures."""
    for (lab, _), host, proto in ((ospf, "spoke1", "ospf"), (bgp, "spoke1", "bgp")):
        table = lab.run(host, "show ip route")
        codes = re.findall(r"(?m)^(\w)\*?\s+\d", table)
        text = lab.run(host, "show ip route summary")
        rows = {r["route_source"]: r for r in ntc("show ip route summary", text)}
        proc = re.search(rf"(?m)^router {proto} (\d+)", lab.running_config(host))
        assert proc is not None
        for source, letters in (("connected", "CL"), ("static", "S"), (f"{proto} {proc.group(1)}", proto[0].upper())):
            r = rows[source]
            assert int(r["networks"]) + int(r["subnets"]) == sum(1 for c in codes if c in letters), source
        total = rows["Total"]
        assert int(total["subnets"]) + int(total["networks"]) - int(rows["internal"]["networks"]) == len(codes)
        parsed = genie(lab, host, "show ip route summary")["vrf"]["default"]
        assert parsed["total_route_source"]["subnets"] == int(total["subnets"])
    real = capture("show_ip_route_summary", "ntc-templates_1.raw").splitlines()
    assert text.splitlines()[:3] == real[:3]
    ibgp = sum(1 for c in codes if c == "B")                  # the last loop's: the BGP spoke, iBGP only
    assert f"  External: 0 Internal: {ibgp} Local: 0" in text.splitlines() and ibgp >= 2
    ntc_real = ntc("show ip route summary", "\n".join(real))
    assert {r["route_source"] for r in ntc_real} >= {"connected", "internal", "Total"}
