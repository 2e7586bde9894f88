"""Typed view of one router's running config: what the cloud model needs from it."""
from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from dmvpn_ops.lab.cloud.configtree import Block, parse_config
from dmvpn_ops.lab.cloud.cryptoview import CryptoConf, parse_crypto
from dmvpn_ops.lab.cloud.routingview import RoutingConf, parse_routing
from dmvpn_ops.lab.ifnames import table_key


@dataclass
class Nhs:
    """One configured NHS: tunnel address, NBMA (explicit or from a static map), multicast flag."""

    tunnel_ip: IPv4Address
    nbma: IPv4Address | None
    multicast: bool = False
    explicit: bool = False  # `ip nhrp nhs X nbma Y` (IOS then prints "NBMA Address:" in dmvpn detail)


@dataclass
class Iface:
    """One interface as configured."""

    name: str
    address: IPv4Interface | None = None
    dhcp: bool = False
    shutdown: bool = False
    vrf: str | None = None
    description: str | None = None
    bandwidth: int | None = None
    delay: int | None = None
    mtu: int | None = None
    lines: list[str] = field(default_factory=list)
    # tunnel
    source: str | None = None
    destination: IPv4Address | None = None
    mode_mgre: bool = False
    key: int | None = None
    tunnel_vrf: str | None = None
    protection: str | None = None
    nhrp_auth: str | None = None
    network_id: int | None = None
    holdtime: int = 7200
    nhs: list[Nhs] = field(default_factory=list)
    static_maps: dict[IPv4Address, IPv4Address] = field(default_factory=dict)
    multicast_dynamic: bool = False
    redirect: bool = False
    shortcut: bool = False

    @property
    def is_tunnel(self) -> bool:
        return self.name.startswith("Tunnel")

    @property
    def nhrp_enabled(self) -> bool:
        return self.network_id is not None

    def has(self, line: str) -> bool:
        return line in self.lines

    def peer_maps(self) -> list[Nhs]:
        """Static `ip nhrp map X Y` of peers that are no NHS (a hub mapping the other hubs), with
        multicast when `ip nhrp map multicast Y` replicates to them."""
        nhs = {n.tunnel_ip for n in self.nhs}
        multicast = {line.split()[-1] for line in self.lines if line.startswith("ip nhrp map multicast ")}
        return [Nhs(ip, nbma, str(nbma) in multicast) for ip, nbma in self.static_maps.items() if ip not in nhs]


@dataclass
class VrfDef:
    """One `vrf definition NAME` (new CLI format, per-family) or `ip vrf NAME` (old format, IPv4 only)."""

    name: str
    rd: str | None
    new_format: bool
    ipv4: bool          # the IPv4 unicast family is active (`address-family ipv4`, or always in the old format)


@dataclass
class RouterConf:
    """Everything the cloud reads from one running config."""

    hostname: str
    interfaces: dict[str, Iface]
    crypto: CryptoConf
    routing: RoutingConf
    static_routes: list[tuple[IPv4Network, str]]
    # every `ip route [vrf V] P M NH`: (VRF or None, prefix, next hop) — the underlay's reachability
    underlay_routes: list[tuple[str | None, IPv4Network, str]] = field(default_factory=list)
    domain: str | None = None           # `ip domain name X` (or the older `ip domain-name X`)
    vrfs: list[VrfDef] = field(default_factory=list)    # in configuration order (IOS numbers VRF IDs so)
    snmp_agent: bool = False            # any `snmp-server ...` line starts IOS's SNMP agent
    ntp_servers: list[str] = field(default_factory=list)     # `ntp server X [prefer]`, in config order

    def tunnels(self) -> list[Iface]:
        return [i for i in self.interfaces.values() if i.is_tunnel and i.nhrp_enabled]

    def listed(self) -> list[Iface]:
        """The interfaces in the order IOS's interface table lists them (physical first, then Loopback,
        Tunnel, ...; real captures cited at :func:`dmvpn_ops.lab.ifnames.table_key`), not config order."""
        return sorted(self.interfaces.values(), key=lambda i: table_key(i.name))

    def connected(self) -> list[Iface]:
        return [i for i in self.interfaces.values() if i.address is not None]


def _addr(tok: str) -> IPv4Address | None:
    """An address argument; IOS also takes a DNS name there (`nbma hub.example.net`), which the lab has no
    resolver for: it resolves to nothing (Cisco DMVPN configuration guide: NHS by FQDN)."""
    try:
        return IPv4Address(tok)
    except ValueError:
        return None


def _nhs(words: list[str]) -> Nhs:
    nbma = _addr(words[words.index("nbma") + 1]) if "nbma" in words else None
    return Nhs(IPv4Address(words[3]), nbma, "multicast" in words, nbma is not None)


def _tunnel_line(iface: Iface, w: list[str]) -> None:
    if w[:2] == ["tunnel", "source"]:
        iface.source = w[2]
    elif w[:2] == ["tunnel", "destination"]:
        iface.destination = _addr(w[2])
    elif w[:3] == ["tunnel", "mode", "gre"]:
        iface.mode_mgre = w[3:4] == ["multipoint"]
    elif w[:2] == ["tunnel", "key"]:
        iface.key = int(w[2])
    elif w[:2] == ["tunnel", "vrf"]:
        iface.tunnel_vrf = w[2]
    elif w[:3] == ["tunnel", "protection", "ipsec"]:
        iface.protection = w[4]


def _nhrp_line(iface: Iface, w: list[str]) -> None:
    key = w[2] if len(w) > 2 else ""
    if key == "authentication":
        iface.nhrp_auth = w[3]
    elif key == "network-id":
        iface.network_id = int(w[3])
    elif key == "holdtime":
        iface.holdtime = int(w[3])
    elif key == "nhs" and len(w) > 3 and w[3][0].isdigit():
        iface.nhs.append(_nhs(w))
    elif key == "map" and w[3] == "multicast":
        iface.multicast_dynamic |= w[4] == "dynamic"
    elif key == "map" and w[3][0].isdigit():
        iface.static_maps[IPv4Address(w[3])] = IPv4Address(w[4])
    elif key == "redirect":
        iface.redirect = True
    elif key == "shortcut":
        iface.shortcut = True


def _iface(block: Block) -> Iface:
    iface = Iface(block.words[1], lines=[c.text for c in block.children])
    for child in block.children:
        w = child.words
        if w[:2] == ["ip", "address"] and w[2:3] == ["dhcp"]:
            iface.dhcp = True
        elif w[:2] == ["ip", "address"] and len(w) >= 4 and "secondary" not in w:
            iface.address = IPv4Interface(f"{w[2]}/{w[3]}")
        elif w == ["shutdown"]:
            iface.shutdown = True
        elif w[:2] == ["vrf", "forwarding"] or w[:2] == ["ip", "vrf"] and w[2:3] == ["forwarding"]:
            iface.vrf = w[-1]
        elif w[0] == "description":
            iface.description = child.text[len("description "):]
        elif w[0] == "bandwidth":
            iface.bandwidth = int(w[1])
        elif w[0] == "delay":
            iface.delay = int(w[1])
        elif w[:2] == ["ip", "mtu"]:
            iface.mtu = int(w[2])
        elif w[0] == "tunnel":
            _tunnel_line(iface, w)
        elif w[:2] == ["ip", "nhrp"]:
            _nhrp_line(iface, w)
    _classic_nhs(iface)
    return iface


def _classic_nhs(iface: Iface) -> None:
    """Classic style: ``ip nhrp nhs X`` takes its NBMA from ``ip nhrp map X Y``."""
    for nhs in iface.nhs:
        if nhs.nbma is None and nhs.tunnel_ip in iface.static_maps:
            nhs.nbma = iface.static_maps[nhs.tunnel_ip]
            nhs.multicast = any(line.split()[-1] == str(nhs.nbma) for line in iface.lines
                                if line.startswith("ip nhrp map multicast "))


def _static(block: Block) -> tuple[IPv4Network, str] | None:
    w = block.words
    if w[:2] != ["ip", "route"] or len(w) < 5 or w[2] == "vrf":
        return None
    return IPv4Network(f"{w[2]}/{w[3]}"), w[4]


def _any_static(block: Block) -> tuple[str | None, IPv4Network, str] | None:
    w = block.words
    if w[:2] != ["ip", "route"]:
        return None
    vrf, w = (w[3], w[4:]) if w[2:3] == ["vrf"] and len(w) > 3 else (None, w[2:])
    if len(w) < 3:
        return None
    try:
        return vrf, IPv4Network(f"{w[0]}/{w[1]}"), w[2]
    except ValueError:
        return None


def parse_router(text: str) -> RouterConf:
    """Parse a running config into a :class:`RouterConf`."""
    root = parse_config(text)
    host = root.arg("hostname") or "Router"
    ifaces = {b.words[1]: _iface(b) for b in root.find("interface")}
    statics = [s for s in (_static(b) for b in root.children) if s]
    underlay = [s for s in (_any_static(b) for b in root.children) if s]
    domain = root.arg("ip domain name") or root.arg("ip domain-name")
    return RouterConf(host, ifaces, parse_crypto(root), parse_routing(root), statics, underlay, domain,
                      [_vrf(b) for b in root.children if b.words[:2] in (["vrf", "definition"], ["ip", "vrf"])
                       and len(b.words) == 3], bool(root.find("snmp-server")),
                      [b.words[2] for b in root.find("ntp server") if len(b.words) > 2])


def _vrf(block: Block) -> VrfDef:
    new = block.words[0] == "vrf"
    ipv4 = not new or any(c.words[:2] == ["address-family", "ipv4"] for c in block.children)
    return VrfDef(block.words[2], block.arg("rd"), new, ipv4)
