"""Read-only shows that were silent or missing: `show ip interface`, `show arp`, `show ip protocols`, EIGRP
topology/interfaces, OSPF interface brief, NHRP summary/traffic, crypto session brief, `show ip bgp`, hosts,
inventory, memory, processes, vrf, interfaces description, ipv6 interface, cdp/lldp.

Layouts follow the real captures in ntc-templates (`tests/cisco_ios/<command>/*.raw`) and Cisco's command
references; values come from the cloud model (configured interfaces, adjacencies, RIBs, sessions).
"""
from __future__ import annotations

import hashlib
from ipaddress import IPv4Address, IPv4Interface
from typing import TYPE_CHECKING

from dmvpn_ops.lab.clock import uptime
from dmvpn_ops.lab.cloud.configview import Iface
from dmvpn_ops.lab.cloud.ospf import rid as ospf_rid
from dmvpn_ops.lab.cloud.rib import best, connected, resolve_iface
from dmvpn_ops.lab.cloud.route import Path, Route, delay_usec, router_id
from dmvpn_ops.lab.cloud.sessions import Session, sessions
from dmvpn_ops.lab.cloud.show.interfaces import _address as address_of
from dmvpn_ops.lab.cloud.show.interfaces import _status as status_of
from dmvpn_ops.lab.cloud.show.routing import short, srtt

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World


def mac(host: str, iface: str) -> str:
    """A stable virtio MAC (CSR1000v vNICs use the 5254.00 KVM prefix, as in the captures)."""
    digest = hashlib.sha256(f"{host}/{iface}".encode()).hexdigest()
    return f"5254.00{digest[:2]}.{digest[2:6]}"


def _ip_of(world: World, host: str, iface: Iface) -> IPv4Interface | None:
    if iface.address is not None:
        return iface.address
    addr, _ = address_of(world, host, iface)
    return IPv4Interface(f"{addr}/24") if addr[0].isdigit() else None


# `show ip interface` (ntc-templates tests/cisco_ios/show_ip_interface/cisco_ios_show_ip_interface.raw)
_IP_IF_TAIL = """  Broadcast address is 255.255.255.255
  Address determined by {how}
  MTU is {mtu} bytes
  Helper address is not set
  Directed broadcast forwarding is disabled
  Outgoing Common access list is not set 
  Outgoing access list is not set
  Inbound Common access list is not set 
  Inbound  access list is not set
  Proxy ARP is enabled
  Local Proxy ARP is disabled
  Security level is default
  Split horizon is {split}
  ICMP redirects are always sent
  ICMP unreachables are always sent
  ICMP mask replies are never sent
  IP fast switching is enabled
  IP Flow switching is disabled
  IP CEF switching is enabled
  IP CEF switching turbo vector
  IP Null turbo vector
  Associated unicast routing topologies:
        Topology "base", operation state is {state}
  IP multicast fast switching is enabled
  IP multicast distributed fast switching is disabled
  IP route-cache flags are Fast, CEF
  Router Discovery is disabled
  IP output packet accounting is disabled
  IP access violation accounting is disabled
  TCP/IP header compression is disabled
  RTP/IP header compression is disabled
  Probe proxy name replies are disabled
  Policy routing is disabled
  Network address translation is disabled
  BGP Policy Mapping is disabled
  Input features: MCI Check
  IPv4 WCCP Redirect outbound is disabled
  IPv4 WCCP Redirect inbound is disabled
  IPv4 WCCP Redirect exclude is disabled"""


def _ip_interface(world: World, snap: Snapshot, host: str, iface: Iface) -> list[str]:
    status, proto = status_of(world, snap, host, iface)
    head = f"{iface.name} is {status}, line protocol is {proto}"
    addr = _ip_of(world, host, iface)
    if addr is None:
        return [head, "  Internet protocol processing disabled"]
    mtu = iface.mtu or (1400 if iface.is_tunnel else 1500)
    split = "disabled" if iface.is_tunnel and iface.has("no ip split-horizon eigrp") else "enabled"
    how = "DHCP" if iface.dhcp else "non-volatile memory"
    lines = [head, f"  Internet address is {addr.with_prefixlen}"]
    if iface.vrf:
        lines.append(f'  VPN Routing/Forwarding "{iface.vrf}"')
    return lines + _IP_IF_TAIL.format(how=how, mtu=mtu, split=split,
                                      state="UP" if proto == "up" else "DOWN").split("\n")


def show_ip_interface(world: World, snap: Snapshot, host: str, only: str | None = None) -> str:
    out: list[str] = []
    for iface in world.conf(host).listed():
        if only is None or iface.name == only:
            out += _ip_interface(world, snap, host, iface)
    return "\n".join(out) + "\n"


def show_arp(world: World, snap: Snapshot, host: str) -> str:
    """Own addresses (age `-`) and every neighbour sharing an Ethernet segment (ntc-templates
    tests/cisco_ios/show_arp/cisco_ios_show_arp.raw: `Internet  10.0.0.1  -  5254.0012.3456  ARPA  Gi1`)."""
    now = world.clock.now()
    rows = ["Protocol  Address          Age (min)  Hardware Addr   Type   Interface"]
    mine = [(i, _ip_of(world, host, i)) for i in world.conf(host).interfaces.values()
            if not i.is_tunnel and not i.name.startswith("Loopback") and not i.shutdown]
    for iface, addr in mine:
        if addr is None:
            continue
        entries = [(addr.ip, "-", mac(host, iface.name))]
        for other in world.routers():
            if other == host:
                continue
            for o in world.conf(other).interfaces.values():
                their = _ip_of(world, other, o) if not o.is_tunnel and not o.shutdown else None
                if their is not None and their.ip != addr.ip and their.ip in addr.network:
                    learned = world.since(("if", other, o.name))   # ARP learned when its interface came up
                    minutes = int((now - learned.since) // 60) if learned else 0
                    entries.append((their.ip, str(minutes), mac(other, o.name)))
        for ip, age, hw in sorted(entries, key=lambda e: int(e[0])):
            rows.append(f"Internet  {str(ip):<16} {age:>8}   {hw}  ARPA   {iface.name}")
    return "\n".join(rows) + "\n"


def show_ip_protocols(world: World, snap: Snapshot, host: str) -> str:
    """Cisco IP Routing Protocol-Independent Commands reference, `show ip protocols` (IOS-XE 16/17 layout)."""
    conf = world.conf(host).routing
    # IOS-XE 16/17 lists the "application" pseudo-protocol first (genieparser iosxe ShowIpProtocols
    # golden_output_1/_7, tests/fixtures/lab/show_ip_protocols/)
    out = ["*** IP Routing is NSF aware ***", "", 'Routing Protocol is "application"',
           "  Sending updates every 0 seconds", "  Invalid after 0 seconds, hold down 0, flushed after 0",
           "  Outgoing update filter list for all interfaces is not set",
           "  Incoming update filter list for all interfaces is not set", "  Maximum path: 32",
           "  Routing for Networks:", "  Routing Information Sources:", "    Gateway         Distance      Last Update",
           "  Distance: (default is 4)", ""]
    for e in conf.eigrp:
        out += [f'Routing Protocol is "eigrp {e.asn}"',
                "  Outgoing update filter list for all interfaces is not set",
                "  Incoming update filter list for all interfaces is not set",
                "  Default networks flagged in outgoing updates",
                "  Default networks accepted from incoming updates",
                f"  EIGRP-IPv4 Protocol for AS({e.asn})",
                "    Metric weight K1=1, K2=0, K3=1, K4=0, K5=0",
                "    Soft SIA disabled", "    NSF-aware route hold timer is 240",
                f"    Router-ID: {router_id(world, host, e.router_id)}", "    Topology : 0 (base) ",
                "      Active Timer: 3 min", "      Distance: internal 90 external 170",
                "      Maximum path: 4", "      Maximum hopcount 100", "      Maximum metric variance 1", "",
                "  Automatic Summarization: disabled", "  Maximum path: 4", "  Routing for Networks:"]
        out += [f"    {n.address}/{_plen(n.wildcard)}" for n in e.networks]
        out += _sources(world, snap, host, "eigrp", 90) + ["  Distance: internal 90 external 170", ""]
    for o in conf.ospf:
        out += [f'Routing Protocol is "ospf {o.pid}"',
                "  Outgoing update filter list for all interfaces is not set",
                "  Incoming update filter list for all interfaces is not set",
                f"  Router ID {router_id(world, host, o.router_id)}",
                "  Number of areas in this router is 1. 1 normal 0 stub 0 nssa",
                "  Maximum path: 4", "  Routing for Networks:"]
        out += [f"    {n.address} {n.wildcard} area {n.area}" for n in o.networks]
        out += _sources(world, snap, host, "ospf", 110) + ["  Distance: (default is 110)", ""]
    if conf.bgp is not None:
        b = conf.bgp
        out += [f'Routing Protocol is "bgp {b.asn}"',
                "  Outgoing update filter list for all interfaces is not set",
                "  Incoming update filter list for all interfaces is not set",
                "  IGP synchronization is disabled", "  Automatic route summarization is disabled",
                "  Neighbor(s):", "    Address          FiltIn FiltOut DistIn DistOut Weight RouteMap"]
        out += [f"    {ip}" for ip in sorted(b.neighbors)]
        out += ["  Maximum path: 1", *_bgp_sources(world, snap, host, b.asn),
                "  Distance: external 20 internal 200 local 200", ""]
    return "\n".join(out) + "\n"


def _plen(wildcard: IPv4Address) -> int:
    return 32 - bin(int(wildcard)).count("1")


def _sources(world: World, snap: Snapshot, host: str, proto: str, distance: int) -> list[str]:
    """Where routes came from: EIGRP names each neighbour's address, OSPF the router ID of every router of
    the area whose LSAs it holds (the real captures list router IDs under "ospf", neighbours or not)."""
    now = world.clock.now()
    rows = ["  Routing Information Sources:", "    Gateway         Distance      Last Update"]
    if proto == "ospf":
        found = [(ospf_rid(world, r), since) for r, since in _ospf_area(snap, host).items()]
    else:
        found = [(a.peer_ip, a.since) for a in snap.adjs_of(host, proto)]
    for gateway, since in sorted(found, key=lambda g: int(g[0])):
        rows.append(f"    {str(gateway):<15} {distance:>8}      {uptime(now - since)}")
    return rows


def _ospf_area(snap: Snapshot, host: str) -> dict[str, float]:
    """Every router reachable over OSPF adjacencies from ``host`` (flooding reaches them all), with the time
    its LSAs could first reach ``host`` (the latest adjacency on the way up)."""
    seen: dict[str, float] = {host: 0.0}
    todo = [host]
    while todo:
        node = todo.pop()
        for a in snap.adjs_of(node, "ospf"):
            since = max(seen[node], a.since)
            if a.peer not in seen or since < seen[a.peer]:
                seen[a.peer] = since
                todo.append(a.peer)
    del seen[host]
    return seen


def _bgp_sources(world: World, snap: Snapshot, host: str, asn: int) -> list[str]:
    """BGP neighbours that sent prefixes, at distance 200 (iBGP) or 20 (eBGP)."""
    from dmvpn_ops.lab.cloud.state import bgp_tables
    tables = bgp_tables(snap)
    received = tables.received.get(host, {}) if tables else {}
    now = world.clock.now()
    rows = ["  Routing Information Sources:", "    Gateway         Distance      Last Update"]
    for a in sorted(snap.adjs_of(host, "bgp"), key=lambda a: int(a.peer_ip)):
        peer_bgp = world.conf(a.peer).routing.bgp
        if received.get(a.peer) and peer_bgp is not None:
            distance = 200 if peer_bgp.asn == asn else 20
            rows.append(f"    {str(a.peer_ip):<15} {distance:>8}      {uptime(now - a.since)}")
    return rows


def show_eigrp_interfaces(world: World, snap: Snapshot, host: str) -> str:
    """`show ip eigrp interfaces` (genieparser iosxe ShowIpEigrpInterfaces device_output_1, a copy in
    tests/fixtures/lab/show_ip_eigrp_interfaces/): peers and mean SRTT of the neighbours on each interface."""
    out: list[str] = []
    for e in world.conf(host).routing.eigrp:
        out += [f"EIGRP-IPv4 Interfaces for AS({e.asn})",
                "                              Xmit Queue   PeerQ        Mean   Pacing Time   Multicast    Pending",
                "Interface              Peers  Un/Reliable  Un/Reliable  SRTT   Un/Reliable   Flow Timer   Routes"]
        adjs = [a for a in snap.adjs_of(host, "eigrp") if a.process == e.asn]
        for iface in world.conf(host).interfaces.values():
            addr = iface.address
            if addr is None or iface.shutdown or not any(n.covers(addr.ip) for n in e.networks):
                continue
            mine = [a for a in adjs if a.iface == iface.name]
            mean = sum(srtt(a) for a in mine) // len(mine) if mine else 0     # the neighbours' SRTT, averaged
            # columns of the genieparser iosxe ShowIpEigrpInterfaces capture (tests/fixtures/lab/)
            out.append(f"{short(iface.name):<20}{len(mine):>6}{'0/0':>11}{'0/0':>10}{mean:>12}{'0/0':>10}"
                       f"{50 if mine else 0:>13}{0:>12}")
    return "\n".join(out) + ("\n" if out else "")


def show_eigrp_topology(world: World, snap: Snapshot, host: str) -> str:
    """`show ip eigrp topology` (Cisco EIGRP command reference; ntc-templates show_ip_eigrp_topology)."""
    out: list[str] = []
    rib = snap.ribs.get(host, [])
    for e in world.conf(host).routing.eigrp:
        out += [f"EIGRP-IPv4 Topology Table for AS({e.asn})/ID({router_id(world, host, e.router_id)})",
                "Codes: P - Passive, U - Update, Q - Query, R - Reply,",
                "       r - reply Status, s - sia Status ", ""]
        for r in sorted(rib, key=lambda r: (int(r.prefix.network_address), r.prefix.prefixlen)):
            if r.code == "C" and any(n.covers(r.prefix.network_address) for n in e.networks):
                out += [f"P {r.prefix}, 1 successors, FD is {r.metric or 2816}",
                        f"        via Connected, {r.paths[0].iface}"]
            elif r.code == "D":
                out.append(f"P {r.prefix}, {len(r.paths)} successors, FD is {r.metric}")
                out += [f"        via {p.nexthop} ({r.metric}/{max(1, r.metric - 256000)}), {p.iface}"
                        for p in r.paths]
        out.append("")
    return "\n".join(out) + ("\n" if out else "")


def show_nhrp_summary(world: World, snap: Snapshot, host: str) -> str:
    """`show ip nhrp summary` in the IOS-XE 16/17 layout of the genieparser capture (tests/fixtures/parse/
    show_ip_nhrp_summary/genieparser_iosxe_1.raw): totals, then Remote (every entry the lab models: learnt or
    mapped) with its nhop/route split and the H routes, then Local (none: the lab keeps no local entries)."""
    from dmvpn_ops.lab.cloud.entries import entries
    found = [e for t in world.conf(host).tunnels() for e in entries(world, snap, host, t.name)]
    static = sum(1 for e in found if e.type == "static")
    dynamic = len(found) - static
    nhop = sum(1 for e in found if e.prefix.prefixlen == 32 and e.prefix.network_address == e.via)
    h_rib = sum(1 for r in snap.ribs.get(host, []) if r.code == "H")
    counts = f"    {static} static   {dynamic} dynamic    0 incomplete"
    noun = "entry" if len(found) == 1 else "entries"
    return "\n".join([f"IP NHRP cache {len(found)} {noun}, {len(found) * 784} bytes", counts,
                      f"{len(found)} Remote", counts, f"    {nhop} nhop     0 bfd", "    0 default  0 temporary",
                      f"    {len(found) - nhop} route", f"        {h_rib} rib ({h_rib} H    0 nho)", "        0 bgp",
                      "    0 lfib", "0 Local", "    0 static   0 dynamic    0 incomplete", "    0 lfib"]) + "\n"


def show_crypto_session_brief(world: World, snap: Snapshot, host: str) -> str:
    """`show crypto session brief` (Cisco Security command reference: Peer, I/F, Username, Group/Phase1_id,
    Uptime, Status with UA = UP-ACTIVE, UI = UP-IDLE, UN = UP-NO-IKE, D = DOWN)."""
    now = world.clock.now()
    out = ["Status: A- Active, U - Up, D - Down, I - Idle, S - Standby, N - Negotiating ",
           "        K - No IKE", "ivrf = (none)",
           "Peer            I/F          Username        Group/Phase1_id          Uptime   Status"]
    for s in sessions(world, snap, host):
        state = "UA" if s.up else "D"
        up = uptime(now - s.since) if s.up else "00:00:00"
        out.append(f"{str(s.remote):<15} {short(s.tunnel):<12} {'':<15} {s.remote_id if s.up else '':<24} "
                   f"{up:<8} {state}")
    return "\n".join(out) + "\n"


def _isakmp_caps(s: Session) -> str:
    """`Cap.`: D with DPD (`crypto isakmp keepalive`), N behind NAT; blank without either (captures:
    genieparser iosxe ShowCryptoIsakmpSaDetail golden_output_isakmp `D`, IOS 15 lab notes without
    keepalives blank, a NAT-T lab `N`)."""
    return ("D" if s.prot.dpd else "") + ("N" if s.neg.nat else "")


def show_isakmp_sa_detail(world: World, snap: Snapshot, host: str) -> str:
    """`show crypto isakmp sa detail` (Cisco Security command reference layout)."""
    now = world.clock.now()
    out = ["Codes: C - IKE configuration mode, D - Dead Peer Detection",
           "       K - Keepalives, N - NAT-traversal", "       T - cTCP encapsulation, X - IKE Extended Authentication",
           "       psk - Preshared key, rsig - RSA signature", "       renc - RSA encryption", "IPv4 Crypto ISAKMP SA",
           "", "C-id  Local           Remote          I-VRF  Status Encr Hash   Auth DH Lifetime Cap.", ""]
    for s in sessions(world, snap, host):
        if s.prot.ike_version != 1 or not (s.up or s.initiator):
            continue
        left = max(0, int(s.prot.lifetime - (now - s.ike_start))) if s.up else 0   # since its (re)key
        life = f"{left // 3600:02d}:{left // 60 % 60:02d}:{left % 60:02d}"
        out += [f"{s.ike_conn_id:<5} {str(s.local):<15} {str(s.remote):<15}        "
                f"{'ACTIVE' if s.up else 'INACTI'} aes  sha256 psk  14 {life} {_isakmp_caps(s)}",
                "       Engine-id:Conn-id =  SW:" + str(s.ike_conn_id % 1000), ""]
    out += ["IPv6 Crypto ISAKMP SA", ""]
    return "\n".join(out) + "\n"


def show_hosts(world: World, snap: Snapshot, host: str) -> str:
    """`show hosts` in the IOS-XE 17 layout (genieparser iosxe ShowHosts golden outputs, tests/fixtures/lab/
    show_hosts/): the domain, the name servers (255.255.255.255, the broadcast default, without `ip
    name-server`) and the host cache, empty: the lab's routers resolve no names. The domain is `ip domain
    name X` (golden_output_2: `Default domain is cisco.com`; NAPALM's get_facts builds the fqdn from it)."""
    domain = world.conf(host).domain or "not set"
    return (f"Default domain is {domain}\nName servers are 255.255.255.255\n"
            "NAME  TTL  CLASS   TYPE      DATA/ADDRESS\n-----------------------------------------\n")


def show_ipv6_interface_brief(world: World, snap: Snapshot, host: str) -> str:
    """`show ipv6 interface brief`: every interface, `unassigned` (the lab has no IPv6)."""
    out: list[str] = []
    for iface in world.conf(host).listed():
        status, proto = status_of(world, snap, host, iface)
        state = "administratively down" if status.startswith("admin") else status
        out += [f"{iface.name:<23}[{state}/{proto}]", "    unassigned"]
    return "\n".join(out) + "\n"


def show_ipv6_interface(world: World, snap: Snapshot, host: str) -> str:
    """IOS prints nothing for `show ipv6 interface` when no interface has IPv6 enabled."""
    return ""


def show_interfaces_description(world: World, snap: Snapshot, host: str) -> str:
    """ntc-templates tests/cisco_ios/show_interfaces_description: Interface/Status/Protocol/Description."""
    out = ["Interface                      Status         Protocol Description"]
    for iface in world.conf(host).listed():
        status, proto = status_of(world, snap, host, iface)
        state = "admin down" if status.startswith("admin") else status
        out.append(f"{short(iface.name):<30} {state:<14} {proto:<8} {iface.description or ''}".rstrip())
    return "\n".join(out) + "\n"


def show_vrf(world: World, snap: Snapshot, host: str) -> str:
    """`show vrf`: one line per VRF, its interfaces below; IOS prints
    nothing when no VRF is defined."""
    conf = world.conf(host)
    vrfs: dict[str, list[str]] = {v.name: [] for v in conf.vrfs}     # a defined VRF is listed without members
    rds = {v.name: v.rd for v in conf.vrfs}
    for iface in conf.interfaces.values():
        if iface.vrf:
            vrfs.setdefault(iface.vrf, []).append(short(iface.name))
    if not vrfs:
        return ""
    # ntc-templates tests/cisco_ios/show_vrf/cisco_ios_show_vrf_no_interface.raw and _vrf01.raw (copies in
    # tests/fixtures/lab/show_vrf/): two-space indent, further interfaces under the Interfaces column (69),
    # a VRF without interfaces ends after the Protocols column (`vpn22  65201:22  ipv4        `)
    out = ["  Name                             Default RD            Protocols   Interfaces"]
    for name, ifaces in sorted(vrfs.items()):
        out.append(f"  {name:<32} {rds.get(name) or '<not set>':<21} ipv4        {ifaces[0] if ifaces else ''}")
        out += [f"{'':<69}{i}" for i in ifaces[1:]]
    return "\n".join(out) + "\n"


def show_inventory(world: World, snap: Snapshot, host: str) -> str:
    """CSR1000v `show inventory` (ntc-templates tests/cisco_ios/show_inventory/cisco_ios_show_inventory_csr.raw)."""
    serial = "9LAB0DMVPN0"   # the Processor board ID of the lab's `show version`
    return (f'NAME: "Chassis", DESCR: "Cisco CSR1000V Chassis"\nPID: CSR1000V          , VID: V00  , SN: {serial}\n\n'
            f'NAME: "module R0", DESCR: "Cisco CSR1000V Route Processor"\nPID: CSR1000V          , VID: V00  , SN: JAB{serial}\n\n'
            'NAME: "module F0", DESCR: "Cisco CSR1000V Embedded Services Processor"\nPID: CSR1000V          , VID:      , SN:            \n\n')


def show_memory_statistics(world: World, snap: Snapshot, host: str) -> str:
    """`show memory statistics` as IOS-XE prints it, Tracekey line first (genieparser iosxe
    ShowMemoryStatistics golden outputs, tests/fixtures/lab/show_memory_statistics/); the lab models no
    memory, so the figures are a CSR1000V's."""
    return ("Tracekey : 1#f8e3c2db7822c04e58ce2bd2fc7e476a   \n\n"
            "                Head    Total(b)     Used(b)     Free(b)   Lowest(b)  Largest(b)\n"
            "Processor  7F3C1D2048  2045724288   223520232  1822204056  1820313760  1819843536\n"
            " lsmpi_io  7F3C0E81A8     6295128     6294304         824         824         412\n")


def show_processes_cpu(world: World, snap: Snapshot, host: str) -> str:
    """`show processes cpu` header and first rows (ntc-templates tests/cisco_ios/show_processes_cpu)."""
    return ("CPU utilization for five seconds: 1%/0%; one minute: 1%; five minutes: 1%\n"
            " PID Runtime(ms)     Invoked      uSecs   5Sec   1Min   5Min TTY Process \n"
            "   1           5          32        156  0.00%  0.00%  0.00%   0 Chunk Manager    \n"
            "   2        1241        4367        284  0.00%  0.00%  0.00%   0 Load Meter       \n"
            "   3           0           1          0  0.00%  0.00%  0.00%   0 PKI Trustpool    \n")


def show_not_enabled(protocol: str) -> str:
    """`show cdp ...` / `show lldp ...` with the protocol off: `% CDP is not enabled` (as IOS prints it)."""
    return f"% {protocol} is not enabled\n"


def _major_len(first_octet: int) -> int:
    return 8 if first_octet < 128 else 16 if first_octet < 192 else 24


def _classful(prefixlen: int, first_octet: int) -> bool:
    """A major network or a supernet (`Networks` column), not a subnet of one."""
    return prefixlen <= _major_len(first_octet)


def show_ip_route_summary(world: World, snap: Snapshot, host: str) -> str:
    """`show ip route summary` as IOS-XE prints it (ntc-templates tests/cisco_ios/show_ip_route_summary/
    cisco_ios_show_ip_route_summary.raw, tests/fixtures/lab/): connected (C and L), static, application,
    nhrp on a DMVPN router, then each routing process by its number with the OSPF area / BGP internal-external
    breakdown, the internal tree nodes (one per major network) and the totals; 96 bytes of overhead and 288 of
    memory a route, 10028 a tree node, as in that capture."""
    rib = snap.ribs.get(host, [])
    routing = world.conf(host).routing
    sources: list[tuple[str, str, list[str]]] = [("connected", "CL", []), ("static", "S", []), ("application", "", [])]
    if world.conf(host).tunnels():
        sources.append(("nhrp", "H", []))
    sources += [(f"eigrp {e.asn}", "D", []) for e in routing.eigrp]
    if routing.bgp is not None:
        bgp = [r for r in rib if r.code == "B"]
        internal = sum(1 for r in bgp if r.ad == 200)
        sources.append((f"bgp {routing.bgp.asn}", "B",
                        [f"  External: {len(bgp) - internal} Internal: {internal} Local: 0"]))
    for o in routing.ospf:
        intra = sum(1 for r in rib if r.code == "O")
        sources.append((f"ospf {o.pid}", "O", [f"  Intra-area: {intra} Inter-area: 0 External-1: 0 External-2: 0",
                                               "  NSSA External-1: 0 NSSA External-2: 0"]))
    out = ["IP routing table name is default (0x0)", "IP routing table maximum-paths is 32",
           "Route Source    Networks    Subnets     Replicates  Overhead    Memory (bytes)"]
    nets = subs = overhead = memory = 0
    for name, codes, extra in sources:
        mine = [r for r in rib if codes and r.code in codes]
        n = sum(1 for r in mine if _classful(r.prefix.prefixlen, int(r.prefix.network_address) >> 24))
        out += [f"{name:<15} {n:<11} {len(mine) - n:<11} {0:<11} {len(mine) * 96:<11} {len(mine) * 288}", *extra]
        nets, subs, overhead, memory = nets + n, subs + len(mine) - n, overhead + len(mine) * 96, \
            memory + len(mine) * 288
    nodes = len({r.prefix.supernet(new_prefix=min(r.prefix.prefixlen, _major_len(int(r.prefix.network_address) >> 24)))
                 for r in rib})
    out += [f"{'internal':<16}{nodes:<48}{nodes * 10028}",
            f"{'Total':<15} {nets + nodes:<11} {subs:<11} {0:<11} {overhead:<11} {memory + nodes * 10028}"]
    return "\n".join(out) + "\n"


__all__ = ["mac", "delay_usec"]


def show_bgp_all_summary(world: World, snap: Snapshot, host: str) -> str:
    """`show bgp all summary`: the IPv4 unicast summary under its `For address family:` header."""
    from dmvpn_ops.lab.cloud.show.bgp import show_bgp_summary
    text = show_bgp_summary(world, snap, host)
    return text if text.startswith("%") else "For address family: IPv4 Unicast\n" + text


def vrf_rib(world: World, snap: Snapshot, host: str, name: str) -> list[Route] | None:
    """The routes of VRF ``name``: its interfaces' connected routes and its `ip route vrf` statics (None: no
    interface in that VRF, IOS's `% IP routing table NAME does not exist`)."""
    ifaces = [i for i in world.conf(host).interfaces.values() if i.vrf == name]
    if not ifaces:
        return None
    since = min((s.since for i in ifaces if (s := world.since(("if", host, i.name)))), default=0.0)
    conn = connected(world, host, snap.up, since, vrf=name)
    out = list(conn)
    for vrf, prefix, target in world.conf(host).underlay_routes:
        nh = IPv4Address(target) if vrf == name and target[0].isdigit() else None
        iface = resolve_iface(conn, nh)
        if nh is not None and iface is not None:
            out.append(Route(prefix, "S", 1, 0, [Path(nh, iface)], since))
    return best(out)


def show_route_vrf(world: World, snap: Snapshot, host: str, words: list[str]) -> str:
    """`show ip route vrf NAME`: the global table's layout (ntc-templates tests/cisco_ios/show_ip_route/
    cisco_ios_show_ip_route_vrf.raw: `Routing Table: NAME` above the codes) over the VRF's routes."""
    name = words[4]
    rib = vrf_rib(world, snap, host, name)
    if rib is None:
        return f"% IP routing table {name} does not exist\n"
    from dmvpn_ops.lab.cloud.show.routes import CODES, _gateway, _table
    return "\n".join(["", f"Routing Table: {name}", CODES, _gateway(rib), "", *_table(world, rib)]) + "\n"
