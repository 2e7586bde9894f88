"""Routing part of a running config: EIGRP, OSPF and BGP processes."""
from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network

from dmvpn_ops.lab.cloud.configtree import Block


@dataclass
class NetworkStmt:
    """`network A.B.C.D W.W.W.W [area X]`: interfaces whose address falls inside it."""

    address: IPv4Address
    wildcard: IPv4Address
    area: str | None = None

    def covers(self, addr: IPv4Address) -> bool:
        mask = ~int(self.wildcard) & 0xFFFFFFFF
        return int(addr) & mask == int(self.address) & mask


@dataclass
class Eigrp:
    asn: int
    networks: list[NetworkStmt] = field(default_factory=list)
    router_id: IPv4Address | None = None


@dataclass
class Ospf:
    pid: int
    networks: list[NetworkStmt] = field(default_factory=list)
    router_id: IPv4Address | None = None


@dataclass
class Bgp:
    asn: int
    router_id: IPv4Address | None = None
    listen: list[tuple[IPv4Network, str]] = field(default_factory=list)
    remote_as: dict[str, int] = field(default_factory=dict)      # neighbor or peer-group -> AS
    networks: list[IPv4Network] = field(default_factory=list)
    rr_clients: set[str] = field(default_factory=set)
    next_hop_self: set[str] = field(default_factory=set)
    allowas_in: set[str] = field(default_factory=set)
    shutdown: set[str] = field(default_factory=set)               # `neighbor X shutdown`
    listen_limit: int = 100

    @property
    def neighbors(self) -> dict[IPv4Address, int]:
        return {IPv4Address(k): v for k, v in self.remote_as.items() if k[0].isdigit()}


@dataclass
class RoutingConf:
    eigrp: list[Eigrp] = field(default_factory=list)
    ospf: list[Ospf] = field(default_factory=list)
    bgp: Bgp | None = None


def _net(words: list[str]) -> NetworkStmt:
    wildcard = IPv4Address(words[2]) if len(words) > 2 and words[2][0].isdigit() else None
    area = words[words.index("area") + 1] if "area" in words else None
    return NetworkStmt(IPv4Address(words[1]), wildcard or _classful(IPv4Address(words[1])), area)


def _classful(addr: IPv4Address) -> IPv4Address:
    first = int(addr) >> 24
    return IPv4Address("0.255.255.255" if first < 128 else "0.0.255.255" if first < 192
                       else "0.0.0.255")


def _rid(block: Block, key: str) -> IPv4Address | None:
    value = block.arg(key)
    return IPv4Address(value) if value else None


def _bgp_neighbor(bgp: Bgp, w: list[str]) -> None:
    name, what = w[1], w[2] if len(w) > 2 else ""
    if what == "remote-as":
        bgp.remote_as[name] = int(w[3])
    elif what == "route-reflector-client":
        bgp.rr_clients.add(name)
    elif what == "next-hop-self":
        bgp.next_hop_self.add(name)
    elif what == "allowas-in":
        bgp.allowas_in.add(name)
    elif what == "shutdown":
        bgp.shutdown.add(name)


def _bgp_lines(bgp: Bgp, block: Block) -> None:
    for child in block.children:
        w = child.words
        if w[:3] == ["bgp", "listen", "range"]:
            bgp.listen.append((IPv4Network(w[3]), w[5]))
        elif w[:3] == ["bgp", "listen", "limit"] and len(w) > 3 and w[3].isdigit():
            bgp.listen_limit = int(w[3])
        elif w[0] == "neighbor":
            _bgp_neighbor(bgp, w)
        elif w[0] == "network":
            mask = w[3] if "mask" in w else str(_classful_mask(IPv4Address(w[1])))
            bgp.networks.append(IPv4Network(f"{w[1]}/{mask}", strict=False))
        elif w[:2] == ["address-family", "ipv4"]:
            _bgp_lines(bgp, child)


def _classful_mask(addr: IPv4Address) -> IPv4Address:
    return IPv4Address(~int(_classful(addr)) & 0xFFFFFFFF)


def parse_routing(root: Block) -> RoutingConf:
    """Collect `router eigrp|ospf|bgp` blocks."""
    conf = RoutingConf()
    for b in root.find("router"):
        w = b.words
        if w[1] == "eigrp" and w[2].isdigit():
            nets = [_net(c.words) for c in b.find("network")]
            conf.eigrp.append(Eigrp(int(w[2]), nets, _rid(b, "eigrp router-id")))
        elif w[1] == "ospf":
            nets = [_net(c.words) for c in b.find("network")]
            conf.ospf.append(Ospf(int(w[2]), nets, _rid(b, "router-id")))
        elif w[1] == "bgp":
            conf.bgp = Bgp(int(w[2]), _rid(b, "bgp router-id"))
            _bgp_lines(conf.bgp, b)
    return conf
