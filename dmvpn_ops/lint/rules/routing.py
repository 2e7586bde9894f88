"""Routing-over-DMVPN rules (DMV1xx): what EIGRP and OSPF need on an NBMA cloud."""
from __future__ import annotations

from collections.abc import Iterator

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lint.registry import Hit, hub_tunnels, members, rule
from dmvpn_ops.results import Severity


@rule("DMV101", Severity.ERROR, "EIGRP split horizon enabled on a hub tunnel",
      hint="set routing.split_horizon: false (renders 'no ip split-horizon eigrp AS' on hubs)",
      why="""The hub learns every spoke's routes on one mGRE interface. With split horizon on,
      EIGRP never advertises a route back out of the interface it came in on, so spokes never
      learn each other's LANs and spoke-to-spoke traffic has no route.""")
def eigrp_split_horizon(design: Design) -> Iterator[Hit]:
    for cloud, host, tunnel in hub_tunnels(design):
        routing = tunnel.spec.routing
        if routing.protocol == "eigrp" and routing.split_horizon:
            yield Hit(host.name, f"{tunnel.interface}: split horizon is on for EIGRP {routing.as_number}",
                      cloud=cloud, expected="no ip split-horizon eigrp", observed="split horizon on")


@rule("DMV102", Severity.ERROR, "EIGRP next-hop-self on a phase 2 hub",
      hint="set routing.next_hop_self: false (renders 'no ip next-hop-self eigrp AS')",
      why="""Phase 2 builds spoke-to-spoke tunnels from the routing table: a spoke must see the
      other spoke's tunnel address as next hop to resolve it with NHRP. With next-hop-self the
      hub rewrites the next hop to itself and all traffic keeps hairpinning through the hub.""")
def eigrp_next_hop_self(design: Design) -> Iterator[Hit]:
    for cloud, host, tunnel in hub_tunnels(design):
        spec = tunnel.spec
        if (spec.routing.protocol == "eigrp" and spec.phase == 2
                and spec.routing.effective_next_hop_self(spec.phase)):
            yield Hit(host.name, f"{tunnel.interface}: next-hop-self is on in a phase 2 cloud",
                      cloud=cloud, expected="no ip next-hop-self eigrp", observed="next-hop-self")


@rule("DMV103", Severity.ERROR, "OSPF network type breaks phase 2",
      hint="use routing.network_type: broadcast in phase 2 clouds (hubs DR/BDR, spokes priority 0)",
      why="""Phase 2 needs the originating spoke kept as next hop. OSPF point-to-multipoint makes
      the hub the next hop for everything (phase 1 behaviour), and non-broadcast without
      neighbour statements forms no adjacency at all. Broadcast keeps the next hop.""")
def ospf_network_type(design: Design) -> Iterator[Hit]:
    for cloud, host, tunnel in members(design):
        spec = tunnel.spec
        routing = spec.routing
        if routing.protocol != "ospf" or spec.phase != 2:
            continue
        kind = routing.effective_network_type(spec.phase)
        if kind == "point-to-multipoint" or (kind == "non-broadcast" and not routing.ospf_neighbors):
            yield Hit(host.name, f"{tunnel.interface}: OSPF network {kind} in a phase 2 cloud",
                      cloud=cloud, expected="broadcast", observed=kind)


@rule("DMV104", Severity.ERROR, "OSPF spoke priority not 0",
      hint="set routing.spoke_priority: 0 so only hubs can become DR/BDR",
      why="""On a broadcast or non-broadcast OSPF cloud the DR must reach every router directly.
      Spokes only reach the hubs, so a spoke elected DR breaks adjacencies for everyone.""")
def ospf_spoke_priority(design: Design) -> Iterator[Hit]:
    for cloud, host, tunnel in members(design):
        routing = tunnel.spec.routing
        if host.is_hub or routing.protocol != "ospf":
            continue
        if routing.effective_network_type(tunnel.spec.phase) in ("broadcast", "non-broadcast") \
                and routing.spoke_priority != 0:
            yield Hit(host.name, f"{tunnel.interface}: OSPF priority {routing.spoke_priority} on a spoke",
                      cloud=cloud, expected=0, observed=routing.spoke_priority)


@rule("DMV105", Severity.ERROR, "Routing hellos without multicast mapping",
      hint="set multicast: true (hubs 'ip nhrp map multicast dynamic', spokes 'nhs ... multicast')",
      why="""EIGRP and OSPF send hellos to multicast addresses. mGRE has no broadcast medium, so
      NHRP must replicate multicast to each peer; without the mapping no adjacency ever forms.""")
def multicast_mapping(design: Design) -> Iterator[Hit]:
    for cloud, host, tunnel in members(design):
        spec = tunnel.spec
        if spec.routing.protocol in ("eigrp", "ospf") and not spec.multicast:
            yield Hit(host.name, f"{tunnel.interface}: {spec.routing.protocol} without NHRP multicast mapping",
                      cloud=cloud, expected="multicast: true", observed="multicast: false")
