"""Underlay reachability between two tunnel endpoints: routes, front-door VRFs, shared tunnel sources.

IOS sends a tunnel's GRE/IKE packets by a route lookup in the tunnel's transport VRF (`tunnel vrf X`,
else the global table): the destination NBMA must be covered by a connected subnet or a static route
whose next hop resolves over an up interface of that VRF (Cisco IOS-XE DMVPN configuration guide,
"DMVPN: Front Door VRF"); `ip address dhcp` installs the DHCP server's default route (AD 254, Cisco IOS
IP Addressing Services command reference, ip address dhcp). Both ends need a path to the other's
post-NAT address. A design whose spokes have no route towards the hubs therefore never registers.
"""
from __future__ import annotations

from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.underlay import interface_up, nbma

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.configview import Iface
    from dmvpn_ops.lab.cloud.world import World


def _up_in(world: World, host: str, vrf: str | None) -> list[Iface]:
    return [i for i in world.conf(host).interfaces.values()
            if i.vrf == vrf and not i.is_tunnel and interface_up(world, host, i.name)]


def _resolves(next_hop: str, up: list[Iface]) -> bool:
    try:
        addr = IPv4Address(next_hop)
    except ValueError:  # an interface as next hop: up in the VRF (Null0 drops the packet)
        return any(i.name == next_hop for i in up)
    return any(i.address is not None and addr in i.address.network for i in up)


def has_route(world: World, host: str, vrf: str | None, dst: IPv4Address) -> bool:
    """Does ``host`` have a usable route to ``dst`` in ``vrf`` (None: the global table)?"""
    up = _up_in(world, host, vrf)
    if any(i.address is not None and dst in i.address.network for i in up):
        return True
    if any(i.dhcp for i in up):
        return True
    return any(rvrf == vrf and dst in net and _resolves(nh, up)
               for rvrf, net, nh in world.conf(host).underlay_routes)


def path(world: World, a: str, a_tun: str, b: str, b_tun: str) -> bool:
    """Can packets go between the two tunnels' NBMA addresses, both ways, by the routing tables?"""
    ea, eb = nbma(world, a, a_tun), nbma(world, b, b_tun)
    if ea.public is None or eb.public is None:
        return False
    va = world.conf(a).interfaces[a_tun].tunnel_vrf
    vb = world.conf(b).interfaces[b_tun].tunnel_vrf
    return has_route(world, a, va, eb.public) and has_route(world, b, vb, ea.public)


def unshared(world: World, host: str, tunnel: str) -> bool:
    """Same-source mGRE tunnels protected by the same IPsec profile need `tunnel protection ... shared`
    (Cisco IOS Security configuration guide, "DMVPN—Sharing IPsec with Tunnel Protection"): without it
    the tunnels fight over one SA database and IKE for them fails."""
    ifaces = world.conf(host).interfaces
    me = ifaces[tunnel]
    if me.protection is None or any(line.endswith(" shared") for line in me.lines
                                    if line.startswith("tunnel protection ")):
        return False
    return any(o.name != tunnel and o.is_tunnel and o.protection == me.protection and o.source == me.source
               and o.tunnel_vrf == me.tunnel_vrf and not o.shutdown for o in ifaces.values())
