"""Addressing rules (DMV6xx): tunnel and NBMA addresses must be unique and inside the cloud."""
from __future__ import annotations

from typing import Iterator

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lint.registry import Hit, members, rule
from dmvpn_ops.results import Severity


@rule("DMV601", Severity.ERROR, "Duplicate tunnel IP",
      hint="give every member of a cloud its own tunnel_ip",
      why="""NHRP maps a tunnel address to one NBMA address; two routers registering the same
      tunnel address overwrite each other's mapping on the hub and traffic flips between them.""")
def duplicate_tunnel_ip(design: Design) -> Iterator[Hit]:
    for cloud, pairs in design.clouds.items():
        owners: dict[str, str] = {}
        for host, tunnel in pairs:
            address = str(tunnel.tunnel_ip)
            if address in owners:
                yield Hit(host.name, f"{tunnel.interface}: tunnel IP {address} already used by {owners[address]}",
                          cloud=cloud, field="tunnel_ip", expected="unique", observed=address)
            owners.setdefault(address, host.name)


@rule("DMV602", Severity.ERROR, "Duplicate NBMA address",
      hint="each router needs its own underlay (public) address",
      why="""The hub identifies a spoke's tunnel endpoint by its NBMA address (and the IPsec peer
      by it too); two spokes behind one address without NAT-T cannot both be reached.""")
def duplicate_nbma(design: Design) -> Iterator[Hit]:
    for cloud, pairs in design.clouds.items():
        owners: dict[str, str] = {}
        for host, tunnel in pairs:
            nbma = str(tunnel.public_nbma)
            if nbma == "dhcp":
                continue
            if nbma in owners:
                yield Hit(host.name, f"{tunnel.interface}: NBMA {nbma} already used by {owners[nbma]}",
                          cloud=cloud, field="nbma", expected="unique", observed=nbma)
            owners.setdefault(nbma, host.name)


@rule("DMV603", Severity.ERROR, "Tunnel IP outside the cloud subnet",
      hint="pick tunnel_ip inside the cloud's subnet (not its network or broadcast address)",
      why="""All members of an mGRE cloud share one IP subnet: NHRP and the routing protocol only
      talk to neighbours on the tunnel's connected network.""")
def tunnel_ip_in_subnet(design: Design) -> Iterator[Hit]:
    for cloud, host, tunnel in members(design):
        subnet = tunnel.spec.subnet
        address = tunnel.tunnel_ip
        if address not in subnet or address in (subnet.network_address, subnet.broadcast_address):
            yield Hit(host.name, f"{tunnel.interface}: tunnel IP {address} is not a host address of {subnet}",
                      cloud=cloud, field="tunnel_ip", expected=str(subnet), observed=str(address))


ADDRESSING_RULES = ("DMV601", "DMV602", "DMV603")
