"""Show commands with arguments: one interface, one peer, one prefix, one protocol of the routing table.

Each narrows what the plain command prints (same layout, Cisco command references for the argument forms:
`show dmvpn [interface tunnel N | peer {nbma|tunnel} A.B.C.D] [detail]`, `show ip nhrp [A.B.C.D | tunnel N]
[brief | detail]`, `show crypto ipsec sa [interface X | peer A.B.C.D] [detail]`, `show ip route [protocol |
A.B.C.D [mask]]`), and the dispatcher the cloud's command table falls back to.
"""
from __future__ import annotations

from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.entries import entries
from dmvpn_ops.lab.cloud.sessions import sessions
from dmvpn_ops.lab.cloud.show import (
    bgp,
    bgp_neighbors,
    bgp_table,
    dmvpn,
    logging,
    nhrp,
    nhrp_traffic,
    ospf,
    ospf_process,
    route_entry,
    routes,
    routing,
    system,
)
from dmvpn_ops.lab.cloud.show.ifsummary import show_interfaces_summary
from dmvpn_ops.lab.cloud.show.ipsec import _peer_block as ipsec_peer_block
from dmvpn_ops.lab.cloud.show.ntp import show_ntp_associations
from dmvpn_ops.lab.cloud.show.routing import short
from dmvpn_ops.lab.cloud.show.snmp import show_snmp_chassis
from dmvpn_ops.lab.cloud.show.vrf import show_vrf_detail

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.route import Route
    from dmvpn_ops.lab.cloud.sessions import Session
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

INVALID = "% Invalid input detected at '^' marker.\n"


def _blocks(text: str, head: str) -> tuple[str, list[str]]:
    """Split a show output into its preamble and the blocks that start with ``head``."""
    parts = text.split("\n" + head)
    return parts[0], [head + p for p in parts[1:]]


def dmvpn_view(world: World, snap: Snapshot, host: str, words: list[str]) -> str:
    detail = "detail" in words
    text = (dmvpn.show_dmvpn_detail if detail else dmvpn.show_dmvpn)(world, snap, host)
    if "interface" in words:
        name = words[words.index("interface") + 1]
        pre, blocks = _blocks(text, "Interface: " if not detail else "Interface ")
        keep = [b for b in blocks if b.split()[1].rstrip(",") == name]
        tail = "" if not detail else "\n" + text.split("\n\n\n", 1)[-1] if "\n\n\n" in text else ""
        return pre + "\n" + "\n".join(keep) + tail if keep else pre + "\n"
    if "peer" in words:
        addr = words[words.index("peer") + 2]
        col = 1 if words[words.index("peer") + 1] == "nbma" else 2
        out = []
        for line in text.split("\n"):
            cells = line.split()
            is_row = len(cells) >= 5 and cells[0].isdigit() and cells[-1][:1].isalpha() and "." in line
            if not is_row or (len(cells) > col and cells[col] == addr):
                out.append(line)
        return "\n".join(out)
    return text


def nhrp_view(world: World, snap: Snapshot, host: str, words: list[str]) -> str:
    """`show ip nhrp [A.B.C.D | TunnelN] [brief|detail]`; brief in the IOS 15.x/16.x table layout."""
    target = next((w for w in words[3:] if w[0].isdigit()), None)
    tunnel = next((w for w in words[3:] if w.startswith("Tunnel")), None)
    found = []
    for tun in world.conf(host).tunnels():
        if tunnel is not None and tun.name != tunnel:
            continue
        for e in entries(world, snap, host, tun.name):
            if target is None or IPv4Address(target) in e.prefix:
                found.append((tun.name, e))
    if "brief" in words:
        out = ["*" * 76, "    NOTE: Link-Local, No-socket and Incomplete entries are not displayed", "*" * 76,
               "Legend: Type --> S - Static, D - Dynamic",
               "        Flags --> u - unique, r - registered, e - temporary, c - claimed",
               "        a - authoritative, t - route", "=" * 76, "", "Intf     NextHop Address                                    NBMA Address",
               "         Target Network                              T/Flag",
               "-------- ------------------------------------------- ------ ----------------"]
        letters = {"unique": "u", "registered": "r", "temporary": "e", "claimed": "c", "authoritative": "a"}
        for tun_name, e in found:   # IOSv/IOS-XE capture: `Tu0  10.0.0.11 ... 203.0.113.11` / `10.0.0.11/32  D/r`
            flags = "".join(letters[f] for f in e.flags if f in letters)
            kind = f"{e.type[0].upper()}/{flags}"
            out += [f"{short(tun_name):<8} {str(e.via):<43}        {e.nbma}",
                    f"         {str(e.prefix):<43} {kind:<6}"]
        return "\n".join(out) + "\n"
    lines: list[str] = []
    for tun_name, e in found:
        lines += nhrp._entry(world, tun_name, e, "detail" in words)
    return "\n".join(lines) + ("\n" if lines else "")


def nhs_view(world: World, snap: Snapshot, host: str, words: list[str]) -> str:
    text = (nhrp.show_nhs_detail if "detail" in words else nhrp.show_nhs)(world, snap, host)
    name = next(w for w in words if w.startswith("Tunnel"))
    legend, _, rest = text.partition("\n")
    blocks = [b for b in rest.split("\n\n") if b.startswith(f"{name}:") or b.startswith("Pending")]
    return legend + "\n" + "\n\n".join(blocks) + ("\n" if blocks and not blocks[-1].endswith("\n") else "")


def ipsec_view(world: World, snap: Snapshot, host: str, words: list[str]) -> str:
    detail = "detail" in words
    peer = IPv4Address(words[words.index("peer") + 1]) if "peer" in words else None
    name = words[words.index("interface") + 1] if "interface" in words else None
    lines: list[str] = []
    by_tunnel: dict[str, list[Session]] = {}
    for s in sessions(world, snap, host):
        if (peer is None or s.remote == peer) and (name is None or s.tunnel == name):
            by_tunnel.setdefault(s.tunnel, []).append(s)
    for tunnel, group in by_tunnel.items():
        first = group[0]
        lines += [f"interface: {tunnel}", f"    Crypto map tag: {tunnel}-head-0, local addr {first.local}", ""]
        for s in group:
            lines += ipsec_peer_block(world, s, detail)
    return "\n".join(lines) + "\n"


def eigrp_neighbors_view(world: World, snap: Snapshot, host: str, words: list[str]) -> str:
    """`[detail] [interface]`: rows of that interface; detail adds the Version/Retrans/Prefixes line under
    each row (Cisco EIGRP command reference, `show ip eigrp neighbors detail`)."""
    text = routing.show_eigrp_neighbors(world, snap, host)
    name = next((short(w) for w in words[4:] if w != "detail"), None)
    learned = routing._learned_from(snap, host)
    by_ip = {str(a.peer_ip): a.peer for a in snap.adjs_of(host, "eigrp")}
    out: list[str] = []
    for line in text.rstrip("\n").split("\n"):
        cells = line.split()
        is_row = len(cells) > 2 and cells[0].isdigit() and "." in cells[1]
        if is_row and name is not None and cells[2] != name:
            continue
        out.append(line)
        if is_row and "detail" in words:
            out.append(f"   Version 23.0/2.0, Retrans: 0, Retries: 0, Prefixes: {learned.get(by_ip.get(cells[1], ''), 0)}")
            out.append("   Topology-ids from peer - 0 ")
    return "\n".join(out) + ("\n" if out else "")


def ospf_neighbor_view(world: World, snap: Snapshot, host: str, words: list[str]) -> str:
    """`show ip ospf neighbor [X] [detail]`: the table narrowed to an interface, or the detail blocks."""
    text = routing.show_ospf_neighbor(world, snap, host)
    name = next((w for w in words[4:] if w != "detail"), None)
    if not text or "detail" not in words:
        keep = [ln for ln in text.split("\n") if name is None or not ln[:1].isdigit() or ln.endswith(name)]
        return "\n".join(keep)
    return ospf.show_ospf_neighbor_detail(world, snap, host, name)


_ROUTE_CODES = {"eigrp": "D", "ospf": "O", "bgp": "B", "connected": "CL", "static": "S", "nhrp": "H"}


def route_view(world: World, snap: Snapshot, host: str, words: list[str]) -> str:
    arg = words[3]
    rib = snap.ribs.get(host, [])
    if arg == "summary":
        return system.show_ip_route_summary(world, snap, host)
    if arg in _ROUTE_CODES:
        picked = [r for r in rib if r.code in _ROUTE_CODES[arg]]
        body = routes._table(world, picked)
        return routes.CODES + "\n" + routes._gateway(rib) + "\n\n" + "\n".join(body) + ("\n" if body else "")
    return _route_entry(world, snap, host, words)


def _route_entry(world: World, snap: Snapshot, host: str, words: list[str], rib: list[Route] | None = None,
                 vrf: str | None = None) -> str:
    """`show ip route [vrf V] A.B.C.D [mask]`; ``rib`` is the VRF's table, else the global one."""
    return route_entry.route_entry(world, snap, host, snap.ribs.get(host, []) if rib is None else rib, words, vrf)


def dispatch(world: World, snap: Snapshot, host: str, command: str) -> str | None:
    """The argument forms and the commands without a dedicated entry in the cloud's SHOWS table."""
    words = command.split()
    if command in SIMPLE:
        return SIMPLE[command](world, snap, host)
    head = " ".join(words[:3])
    if head == "show dmvpn detail" or words[:2] == ["show", "dmvpn"]:
        return dmvpn_view(world, snap, host, words)
    if words[:4] == ["show", "ip", "nhrp", "nhs"]:
        return nhs_view(world, snap, host, words)
    if words[:4] == ["show", "ip", "nhrp", "traffic"]:
        only = words[-1] if words[-1].startswith("Tunnel") else None
        return nhrp_traffic.show_ip_nhrp_traffic(world, snap, host, only)
    if head == "show ip nhrp":
        return nhrp_view(world, snap, host, words)
    if words[:4] == ["show", "crypto", "ipsec", "sa"]:
        return ipsec_view(world, snap, host, words)
    if head == "show ip route" and len(words) >= 4 and words[3] != "vrf":
        return route_view(world, snap, host, words)
    if words[:3] == ["show", "ip", "interface"] and len(words) == 4:
        return system.show_ip_interface(world, snap, host, words[3])
    if words[:4] == ["show", "ip", "eigrp", "neighbors"]:
        return eigrp_neighbors_view(world, snap, host, words)
    if words[:4] == ["show", "ip", "ospf", "neighbor"]:
        return ospf_neighbor_view(world, snap, host, words)
    if words[:4] == ["show", "ip", "ospf", "interface"]:
        return ospf.show_ospf_interface(world, snap, host, words)
    # show ip ospf PID (OSPF command reference: show ip ospf [process-id]); an unknown PID prints nothing, as
    # a router without OSPF does (assumed: no capture of that case found)
    if words[:3] == ["show", "ip", "ospf"] and len(words) == 4 and words[3].isdigit():
        return ospf_process.show_ip_ospf(world, snap, host, int(words[3]))
    if words[-1] in ("advertised-routes", "routes", "received-routes") and "neighbors" in words:
        return bgp_table.show_neighbor_routes(world, snap, host, words[-2], words[-1])
    if "neighbors" in words and words[:3] in (["show", "ip", "bgp"], ["show", "bgp", "ipv4"]):
        at = words.index("neighbors") + 1
        return bgp_neighbors.show_bgp_neighbors(world, snap, host, words[at] if len(words) > at else None)
    if words[:3] == ["show", "ip", "bgp"] and len(words) == 4:
        return bgp_table.show_bgp_prefix(world, snap, host, IPv4Address(words[3]))
    if words[:4] == ["show", "ip", "route", "vrf"]:
        rib = system.vrf_rib(world, snap, host, words[4])
        if len(words) > 5 and rib is not None:          # `show ip route vrf V A.B.C.D`: one entry
            return _route_entry(world, snap, host, words[:3] + words[5:], rib, words[4])
        return system.show_route_vrf(world, snap, host, words)
    if words[:3] == ["show", "cdp", "neighbors"] or words[:2] == ["show", "cdp"]:
        return system.show_not_enabled("CDP")
    if words[:2] == ["show", "lldp"]:
        return system.show_not_enabled("LLDP")
    return None


SIMPLE = {
    "show arp": system.show_arp,
    "show logging": logging.show_logging,
    "show ip interface": system.show_ip_interface,
    "show ip protocols": system.show_ip_protocols,
    "show ip eigrp topology": system.show_eigrp_topology,
    "show ip eigrp interfaces": system.show_eigrp_interfaces,
    "show ip ospf interface brief": ospf.show_ospf_interface_brief,
    "show ip ospf": ospf_process.show_ip_ospf,
    "show ip nhrp summary": system.show_nhrp_summary,
    "show crypto session brief": system.show_crypto_session_brief,
    "show crypto isakmp sa detail": system.show_isakmp_sa_detail,
    "show ip bgp": bgp_table.show_ip_bgp,
    "show bgp ipv4 unicast summary": bgp.show_bgp_summary,
    "show bgp all summary": system.show_bgp_all_summary,
    "show ip bgp all summary": system.show_bgp_all_summary,
    "show ip bgp ipv4 unicast summary": bgp.show_bgp_summary,
    "show hosts": system.show_hosts,
    "show ipv6 interface brief": system.show_ipv6_interface_brief,
    "show ipv6 interface": system.show_ipv6_interface,
    "show interfaces description": system.show_interfaces_description,
    "show vrf": system.show_vrf,
    "show vrf detail": show_vrf_detail,
    "show snmp chassis": show_snmp_chassis,
    "show ntp associations": show_ntp_associations,
    "show interfaces summary": show_interfaces_summary,
    "show inventory": system.show_inventory,
    "show memory statistics": system.show_memory_statistics,
    "show processes cpu": system.show_processes_cpu,
}
