"""Lab plan: intent interfaces onto the kind's data ports, the underlay "internet", NAT edges, LAN hosts.

The internet is one Linux node with a bridge per underlay subnet (gateway address on the bridge),
so hubs and spokes that share a subnet share a segment. A spoke marked behind NAT gets its own NAT
node (static 1:1 NAT to its ``nat_public`` address, so spoke-to-spoke IKE can reach it); a DHCP
spoke gets its address from dnsmasq on its segment (NAT node inside, else the internet node).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from dmvpn_ops.clab.kinds import HELPER, KindProfile
from dmvpn_ops.clab.topology import Endpoint, Node, Topology
from dmvpn_ops.errors import InputError
from dmvpn_ops.intent.model import Design, Host, Underlay

LOGICAL = ("Loopback", "Tunnel", "Vlan", "Port-channel", "Dialer", "Virtual-Template", "Null", "BDI")
INTERNET = "internet"
_DNSMASQ = ("sh -c 'command -v dnsmasq >/dev/null || apk add --no-cache dnsmasq >/dev/null'")


def is_physical(interface: str) -> bool:
    return not interface.startswith(LOGICAL)


def interface_map(host: Host, kind: KindProfile, file: str) -> dict[str, str]:
    """Intent interface -> kind interface: underlay first, then physical LAN ports, in intent order.

    Raises:
        InputError: the host needs more data ports than the kind has, or uses its management port.
    """
    names: list[str] = []
    for name in [u.interface for u in host.underlay] + [lan.interface for lan in host.lan]:
        base = name.split(".")[0]
        if is_physical(base) and base not in names:
            names.append(base)
    if len(names) > kind.max_data_interfaces:
        raise InputError(f"needs {len(names)} data interfaces; {kind.kind} has {kind.max_data_interfaces}",
                         file=file, host=host.name, field="data.dmvpn.underlay")
    return dict(zip(names, kind.data_interfaces(len(names))))


def rename(interface: str, mapping: dict[str, str]) -> str:
    base, dot, sub = interface.partition(".")
    return mapping.get(base, base) + dot + sub


@dataclass
class Segment:
    """An internet bridge: one underlay subnet with its gateway on the internet node."""

    network: IPv4Network
    gateway: IPv4Interface
    bridge: str
    ports: list[str] = field(default_factory=list)
    dhcp_offer: IPv4Address | None = None


@dataclass
class LabPlan:
    topology: Topology
    interfaces: dict[str, dict[str, str]]        # host -> intent name -> kind name
    mgmt: dict[str, str]                          # host -> management address
    segments: list[Segment]


def _gateway(underlay: Underlay, taken: set[IPv4Address]) -> IPv4Interface:
    assert isinstance(underlay.address, IPv4Interface)
    network = underlay.address.network
    if underlay.gateway is not None:
        return IPv4Interface(f"{underlay.gateway}/{network.prefixlen}")
    for candidate in reversed(list(network.hosts())):
        if candidate not in taken:
            return IPv4Interface(f"{candidate}/{network.prefixlen}")
    raise ValueError(f"no free gateway address in {network}")


class _Builder:
    def __init__(self, design: Design, kind: KindProfile, spoke_kind: KindProfile | None,
                 name: str, mgmt_subnet: IPv4Network) -> None:
        self.design = design
        self.kind = kind
        self.spoke_kind = spoke_kind
        self.topo = Topology(name=name, mgmt_network=name, mgmt_subnet=str(mgmt_subnet))
        self.mgmt_hosts = iter(list(mgmt_subnet.hosts())[10:])  # .1 is the bridge; routers from .11
        self.segments: dict[IPv4Network, Segment] = {}
        self.internet_ports = 0
        self.dhcp_nets = 0
        self.taken = {u.address.ip for h in design.hosts.values() for u in h.underlay
                      if isinstance(u.address, IPv4Interface)}
        self.taken |= {t.nat_public for h in design.hosts.values() for t in h.tunnels if t.nat_public}

    def _mgmt(self, host: str) -> str:
        try:
            return str(next(self.mgmt_hosts))
        except StopIteration:
            raise InputError(f"management subnet {self.topo.mgmt_subnet} is too small",
                             host=host, field="--mgmt-subnet") from None

    def kind_of(self, host: Host) -> KindProfile:
        return self.spoke_kind if (self.spoke_kind and not host.is_hub) else self.kind

    def build(self) -> LabPlan:
        internet = self.topo.add(Node(INTERNET, HELPER.kind, HELPER.image, "", role="internet",
                                      group="underlay"))
        interfaces: dict[str, dict[str, str]] = {}
        mgmt: dict[str, str] = {}
        for host in self.design.hosts.values():
            kind = self.kind_of(host)
            file = self.design.host_files.get(host.name, self.design.inventory_dir)
            mapping = interface_map(host, kind, file)
            interfaces[host.name] = mapping
            mgmt[host.name] = self._mgmt(host.name)
            self.topo.add(Node(host.name, kind.kind, kind.image, mgmt[host.name], role="router",
                               group="hubs" if host.is_hub else "spokes",
                               labels={"dmvpn-role": host.role}))
        internet.mgmt_ipv4 = self._mgmt(INTERNET)
        for host in self.design.hosts.values():
            for index, underlay in enumerate(host.underlay):
                self._underlay(host, underlay, index, interfaces[host.name])
            self._lans(host, interfaces[host.name])
        internet.exec = self._internet_exec()
        return LabPlan(self.topo, interfaces, mgmt, list(self.segments.values()))

    # --- underlay ----------------------------------------------------------------------------
    def _internet_port(self) -> str:
        self.internet_ports += 1
        return HELPER.data_interface(self.internet_ports - 1)

    def _segment(self, network: IPv4Network, gateway: IPv4Interface, host: str) -> Segment:
        seg = self.segments.get(network)
        if seg is None:
            seg = Segment(network, gateway, f"br{len(self.segments)}")
            self.segments[network] = seg
        elif seg.gateway != gateway:
            raise InputError(f"underlay subnet {network} has two gateways ({seg.gateway.ip} and "
                             f"{gateway.ip})", file=self.design.host_files.get(host), host=host,
                             field="data.dmvpn.underlay.gateway")
        return seg

    def _attach(self, seg: Segment, endpoint: Endpoint, purpose: str) -> None:
        port = self._internet_port()
        seg.ports.append(port)
        self.topo.connect(endpoint, Endpoint(INTERNET, port), purpose)

    def _underlay(self, host: Host, underlay: Underlay, index: int, mapping: dict[str, str]) -> None:
        port = Endpoint(host.name, rename(underlay.interface, mapping))
        public = host.nat_public_for(underlay.interface)  # the intent's one answer (underlay or member)
        if public is not None:
            self._nat_edge(host, underlay, index, port, public)
        elif underlay.dynamic:
            network = IPv4Network(f"198.18.{self._dhcp_net()}.0/24")
            seg = self._segment(network, IPv4Interface(f"{network[1]}/24"), host.name)
            seg.dhcp_offer = network[10]
            self._attach(seg, port, "underlay")
        else:
            assert isinstance(underlay.address, IPv4Interface)
            seg = self._segment(underlay.address.network, _gateway(underlay, self.taken), host.name)
            self._attach(seg, port, "underlay")

    def _dhcp_net(self) -> int:
        self.dhcp_nets += 1
        return self.dhcp_nets

    def _nat_edge(self, host: Host, underlay: Underlay, index: int, inside: Endpoint,
                  public: IPv4Address) -> None:
        name = f"{host.name}-nat" + (str(index) if index else "")
        node = self.topo.add(Node(name, HELPER.kind, HELPER.image, self._mgmt(name), role="nat",
                                  group="underlay"))
        outside_net = IPv4Network(f"{public}/24", strict=False)
        outside_gw = next(a for a in reversed(list(outside_net.hosts())) if a != public and a not in self.taken)
        seg = self._segment(outside_net, IPv4Interface(f"{outside_gw}/24"), host.name)
        if underlay.dynamic:
            inside_net = IPv4Network(f"192.168.{200 + self._dhcp_net()}.0/24")
            gateway, private = IPv4Interface(f"{inside_net[1]}/24"), inside_net[10]
        else:
            assert isinstance(underlay.address, IPv4Interface)
            gateway, private = _gateway(underlay, self.taken), underlay.address.ip
        self.topo.connect(inside, Endpoint(name, "eth1"), "nat-inside")
        self._attach(seg, Endpoint(name, "eth2"), "nat-outside")
        node.exec = [
            f"ip addr add {gateway} dev eth1", "ip link set eth1 up",
            f"ip addr add {public}/24 dev eth2", "ip link set eth2 up",
            f"ip route replace default via {outside_gw} dev eth2",
            "sysctl -w net.ipv4.ip_forward=1",
            # 1:1 NAT: the spoke's private address <-> nat_public, both ways (spoke-to-spoke IKE
            # comes in unsolicited), as a home router with a DMZ host would do.
            f"iptables -t nat -A POSTROUTING -o eth2 -s {private} -j SNAT --to-source {public}",
            f"iptables -t nat -A PREROUTING -i eth2 -d {public} -j DNAT --to-destination {private}",
        ]
        if underlay.dynamic:
            node.exec += [_DNSMASQ, _dnsmasq("eth1", private, gateway)]

    # --- LAN --------------------------------------------------------------------------------
    def _lans(self, host: Host, mapping: dict[str, str]) -> None:
        others = sorted({str(lan.address.network) for h in self.design.hosts.values() if h.name != host.name
                         for lan in h.lan})
        for index, lan in enumerate(l for l in host.lan if is_physical(l.interface)):
            name = f"{host.name}-lan" + (str(index) if index else "")
            router_ip = lan.address.ip
            addr = next(a for a in reversed(list(lan.address.network.hosts())) if a != router_ip)
            node = self.topo.add(Node(name, HELPER.kind, HELPER.image, self._mgmt(name), role="lan",
                                      group="lan"))
            self.topo.connect(Endpoint(host.name, rename(lan.interface, mapping)), Endpoint(name, "eth1"),
                              "lan")
            node.exec = [f"ip addr add {addr}/{lan.address.network.prefixlen} dev eth1", "ip link set eth1 up"]
            node.exec += [f"ip route replace {prefix} via {router_ip} dev eth1" for prefix in others]

    def _internet_exec(self) -> list[str]:
        cmds = ["sysctl -w net.ipv4.ip_forward=1"]
        dhcp = False
        for seg in self.segments.values():
            cmds += [f"ip link add {seg.bridge} type bridge", f"ip addr add {seg.gateway} dev {seg.bridge}",
                     f"ip link set {seg.bridge} up"]
            for port in seg.ports:
                cmds += [f"ip link set {port} master {seg.bridge}", f"ip link set {port} up"]
            if seg.dhcp_offer is not None:
                dhcp = True
        if dhcp:
            cmds.append(_DNSMASQ)
            cmds += [_dnsmasq(s.bridge, s.dhcp_offer, s.gateway) for s in self.segments.values()
                     if s.dhcp_offer is not None]
        return cmds


def _dnsmasq(interface: str, offer: IPv4Address, gateway: IPv4Interface) -> str:
    """One lease, always the same address: the lab knows which NBMA a DHCP spoke gets."""
    return (f"dnsmasq --port=0 --interface={interface} --bind-interfaces --pid-file=/run/dnsmasq-{interface}.pid"
            f" --dhcp-range={offer},{offer},{gateway.netmask},12h --dhcp-option=3,{gateway.ip}")


def build_plan(design: Design, kind: KindProfile, spoke_kind: KindProfile | None, *, name: str,
               mgmt_subnet: IPv4Network) -> LabPlan:
    """The lab's nodes, links and addressing for a design (no files written)."""
    return _Builder(design, kind, spoke_kind, name, mgmt_subnet).build()
