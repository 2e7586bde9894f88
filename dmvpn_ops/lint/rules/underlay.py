"""Underlay rules (DMV7xx): every spoke must reach every hub's NBMA address (and back) in its VRF."""
from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Address

from dmvpn_ops.intent.model import Design, Host, Tunnel, Underlay
from dmvpn_ops.lint.registry import Hit, rule, spoke_tunnels
from dmvpn_ops.results import Severity


def _route(underlay: Underlay, target: IPv4Address | None) -> str | None:
    """How the underlay reaches ``target`` (None: unknown address, any default route will do)."""
    if underlay.dynamic:
        return "DHCP default route"
    if underlay.gateway is not None:
        return f"default route via {underlay.gateway}"
    if target is not None and target in underlay.address.network:  # type: ignore[union-attr]
        return "connected"
    return None


def _vrf_of_source(host: Host, tunnel: Tunnel) -> str | None:
    """The VRF the renderer puts the tunnel source in: the fVRF of any tunnel using that source."""
    return next((t.spec.fvrf for t in host.tunnels if t.source == tunnel.source and t.spec.fvrf), None)


@rule("DMV701", Severity.ERROR, "Hub NBMA address unreachable over the underlay",
      hint="give the underlay interface a gateway (default route), or put the peers in its connected subnet",
      why="""A spoke sends its NHRP registration (and IKE) to each hub's NBMA address through the
      routing table of its tunnel source's VRF, and the hub answers through its own. With no
      connected subnet, static route or gateway towards the other side, real routers never
      register although every DMVPN line is right.""")
def hub_reachable(design: Design) -> Iterator[Hit]:
    for cloud, spoke, tunnel in spoke_tunnels(design):
        source = spoke.underlay_for(tunnel.source)
        for hub, hub_tunnel in design.hubs(cloud):
            hub_source = hub.underlay_for(hub_tunnel.source)
            if source is None or hub_source is None:
                continue
            if _route(source, hub_tunnel.fixed_nbma) is None:
                yield Hit(spoke.name, f"{tunnel.interface}: no route from {tunnel.source} to hub {hub.name} "
                          f"NBMA {hub_tunnel.public_nbma}", cloud=cloud, field="underlay.gateway",
                          expected="connected, static route or gateway", observed="no route")
            if _route(hub_source, tunnel.fixed_nbma) is None:
                yield Hit(hub.name, f"{hub_tunnel.interface}: no route back from {hub_tunnel.source} to spoke "
                          f"{spoke.name} NBMA {tunnel.public_nbma}", cloud=cloud, field="underlay.gateway",
                          expected="connected, static route or gateway", observed="no route")


@rule("DMV702", Severity.ERROR, "Tunnel transport in another VRF than its source interface",
      hint="use the same fvrf on every cloud whose tunnel shares this source interface",
      why="""'tunnel vrf' tells IOS in which routing table to look up the tunnel's NBMA peers; the
      source interface can be in one VRF only. A second tunnel on the same source with another (or
      no) front-door VRF looks its peers up in a table where the source has no routes.""")
def transport_vrf(design: Design) -> Iterator[Hit]:
    for cloud, host, tunnel in spoke_tunnels(design):
        yield from _vrf_hits(host, tunnel, cloud)
    for cloud in design.clouds:
        for host, tunnel in design.hubs(cloud):
            yield from _vrf_hits(host, tunnel, cloud)


def _vrf_hits(host: Host, tunnel: Tunnel, cloud: str) -> Iterator[Hit]:
    source_vrf = _vrf_of_source(host, tunnel)
    if tunnel.spec.fvrf != source_vrf:
        yield Hit(host.name, f"{tunnel.interface}: transport in VRF {tunnel.spec.fvrf or 'global'} but "
                  f"{tunnel.source} is in VRF {source_vrf}", cloud=cloud, field="fvrf",
                  expected=source_vrf, observed=tunnel.spec.fvrf)
