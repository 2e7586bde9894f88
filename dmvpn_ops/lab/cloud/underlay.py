"""Underlay: each router's NBMA addresses (DHCP, NAT, NBMA change) and reachability between them."""
from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.faults import changed_nbma

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.world import World


@dataclass(frozen=True)
class Nbma:
    """A tunnel's underlay endpoint: the address it claims and the one peers see."""

    interface: str
    private: IPv4Address | None
    public: IPv4Address | None
    nat: bool

    @property
    def port(self) -> int:
        return 4500 if self.nat else 500


def dhcp_address(world: World, host: str, interface: str) -> IPv4Address:
    """The lease a DHCP underlay gets: 192.168.<n>.10 behind NAT, else 100.64.<n>.10 (ISP pool)."""
    n = world.index(host)
    return IPv4Address(f"192.168.{n}.10" if _behind_nat(world, host, interface) else f"100.64.{n}.10")


def _nat_public(world: World, host: str, interface: str) -> IPv4Address | None:
    h = world.design.hosts.get(host)
    return None if h is None else h.nat_public_for(interface)  # the intent's one answer


def _behind_nat(world: World, host: str, interface: str) -> bool:
    h = world.design.hosts.get(host)
    return h is not None and h.behind_nat_on(interface)


def interface_up(world: World, host: str, name: str) -> bool:
    """Line protocol of a physical interface: shutdown, link-loss or a powered-off hub bring it down."""
    iface = world.conf(host).interfaces.get(name)
    if iface is None or iface.shutdown or world.powered_off(host):
        return False
    return not (world.faults.has(host, "link-loss") and not name.startswith(("Loopback", "Tunnel")))


def nbma(world: World, host: str, tunnel: str) -> Nbma:
    """The NBMA endpoint of ``tunnel`` on ``host`` (private address, post-NAT public address)."""
    conf = world.conf(host)
    tun = conf.interfaces[tunnel]
    src = tun.source or ""
    iface = conf.interfaces.get(src)
    if iface is None or (iface.address is None and not iface.dhcp):
        return Nbma(src, None, None, False)
    private = iface.address.ip if iface.address else dhcp_address(world, host, src)
    nat = _nat_public(world, host, src)
    public = nat or private
    if world.faults.has(host, "nbma-change"):   # renumbered: behind NAT the outside address moves,
        public = changed_nbma(public)           # else the router's own address (and what it claims)
        private = private if nat else public
    return Nbma(src, private, public, nat is not None or _behind_nat(world, host, src))


def tunnel_up(world: World, host: str, tunnel: str) -> bool:
    """IOS keeps a tunnel up/up only while its source interface is up and addressed."""
    tun = world.conf(host).interfaces.get(tunnel)
    if tun is None or tun.shutdown or world.powered_off(host):
        return False
    end = nbma(world, host, tunnel)
    return end.private is not None and interface_up(world, host, end.interface)


def reachable(world: World, a: str, a_tun: str, b: str, b_tun: str) -> bool:
    """Can ``a``'s tunnel endpoint exchange packets with ``b``'s (both directions)?"""
    return tunnel_up(world, a, a_tun) and tunnel_up(world, b, b_tun)


def owner_of(world: World, public: IPv4Address | None, tunnel_ip: IPv4Address) -> tuple[str, str] | None:
    """Which (router, tunnel) answers at NBMA ``public`` with tunnel address ``tunnel_ip``."""
    for host in world.routers():
        for tun in world.conf(host).tunnels():
            if tun.address is None or tun.address.ip != tunnel_ip:
                continue
            end = nbma(world, host, tun.name)
            if public is not None and end.public == public:
                return host, tun.name
    return None
