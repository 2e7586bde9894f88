"""Addressing rules (DMV6xx): tunnel and NBMA addresses must be unique and inside the cloud."""
from __future__ import annotations

from collections.abc import Callable, Iterator

from dmvpn_ops.intent.model import Design, Tunnel
from dmvpn_ops.lint.registry import Hit, members, rule
from dmvpn_ops.results import Severity


@rule("DMV601", Severity.ERROR, "Duplicate tunnel IP",
      hint="give every member of a cloud its own tunnel_ip",
      why="""NHRP maps a tunnel address to one NBMA address; two routers registering the same
      tunnel address overwrite each other's mapping on the hub and traffic flips between them.""")
def duplicate_tunnel_ip(design: Design) -> Iterator[Hit]:
    yield from _duplicates(design, "tunnel IP", "tunnel_ip", lambda t: str(t.tunnel_ip))


@rule("DMV602", Severity.ERROR, "Duplicate NBMA address",
      hint="each router needs its own underlay (public) address",
      why="""The hub identifies a spoke's tunnel endpoint by its NBMA address (and the IPsec peer
      by it too); two spokes behind one address without NAT-T cannot both be reached.""")
def duplicate_nbma(design: Design) -> Iterator[Hit]:
    yield from _duplicates(design, "NBMA", "nbma", lambda t: str(t.fixed_nbma) if t.fixed_nbma else None)


def _duplicates(design: Design, what: str, field: str,
                value_of: Callable[[Tunnel], str | None]) -> Iterator[Hit]:
    """Members of a cloud that reuse an address an earlier member has (DHCP never counts)."""
    for cloud, pairs in design.clouds.items():
        owners: dict[str, str] = {}
        for host, tunnel in pairs:
            value = value_of(tunnel)
            if value is None:  # no fixed address (DHCP): never a duplicate
                continue
            if value in owners:
                yield Hit(host.name, f"{tunnel.interface}: {what} {value} already used by {owners[value]}",
                          cloud=cloud, field=field, expected="unique", observed=value)
            owners.setdefault(value, host.name)


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
