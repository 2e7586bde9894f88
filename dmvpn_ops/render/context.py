"""Per-host render context: all DMVPN decisions made here, so templates only print.

The templates never decide anything about phases or protocols; they receive flags such as
``redirect`` or ``split_horizon_off`` computed from the intent (with its overrides).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Interface, IPv4Network
from typing import Any

from dmvpn_ops.intent.model import Crypto, Design, Host, Tunnel
from dmvpn_ops.render.defaults import shown
from dmvpn_ops.render.keyring import Scope, crypto_name, scopes
from dmvpn_ops.secrets import MASK, SecretRef


@dataclass
class SecretText:
    """Reveals secret values only when the render is for a push."""

    reveal: bool

    def __call__(self, secret: SecretRef | None) -> str:
        if secret is None:
            return ""
        return secret.reveal() if self.reveal else MASK


def wildcard(network: IPv4Network) -> str:
    return str(network.hostmask)


def netmask(network: IPv4Network) -> str:
    return str(network.netmask)


@dataclass
class TunnelView:
    tunnel: Tunnel
    hub: bool
    nhs: list[dict[str, str]]
    redirect: bool
    shortcut: bool
    profile: str | None
    crypto_name: str
    shared: bool
    fvrf: str | None
    nhrp_group: str | None
    qos_groups: dict[str, Any] = field(default_factory=dict)
    hub_maps: list[dict[str, str]] = field(default_factory=list)
    next_hop_self: bool = True
    ospf_network: str = "point-to-multipoint"
    ospf_priority: int = 0
    no_unique: bool = False
    ike_name: str = ""

    @property
    def spec(self) -> Any:
        return self.tunnel.spec


def tunnel_view(design: Design, host: Host, tunnel: Tunnel) -> TunnelView:
    spec = tunnel.spec
    hub = host.is_hub
    nhs = [] if hub else [{"tunnel_ip": str(m.tunnel_ip), "nbma": str(m.nbma)}
                          for m in design.nhs_for(host, tunnel)]
    return TunnelView(
        tunnel=tunnel, hub=hub, nhs=nhs, redirect=spec.redirect(hub), shortcut=spec.shortcut(hub),
        profile=f"{crypto_name(tunnel)}-IPSEC" if spec.crypto.enabled else None,
        crypto_name=crypto_name(tunnel),
        shared=spec.crypto.shared, fvrf=spec.fvrf, nhrp_group=tunnel.nhrp_group,
        qos_groups=dict(spec.qos) if hub else {},
        hub_maps=_hub_maps(design, host, tunnel) if hub else [],
        next_hop_self=spec.routing.effective_next_hop_self(spec.phase),
        ospf_network=spec.routing.effective_network_type(spec.phase),
        ospf_priority=spec.routing.priority(hub),
        # A DHCP spoke re-registers from a new address: without no-unique the hub refuses the new
        # NBMA for the old entry's hold time (IP Addressing Command Reference: ip nhrp registration).
        no_unique=not hub and tunnel.dynamic_address,
    )


def _hub_maps(design: Design, host: Host, tunnel: Tunnel) -> list[dict[str, str]]:
    """The other hubs of a cloud with two or more hubs, mapped statically (tunnel -> NBMA, multicast).

    Hubs never register to each other, so without these they have no NHRP entry for each other:
    no hellos between them (no OSPF DR/BDR agreement, no EIGRP/BGP routes exchanged between hubs).
    """
    return [{"tunnel_ip": str(t.tunnel_ip), "nbma": str(t.fixed_nbma)}
            for h, t in design.hubs(tunnel.cloud) if h.name != host.name and t.fixed_nbma is not None]


def _isakmp_policies(crypto_scopes: list[Scope]) -> list[tuple[int, Crypto]]:
    """One numbered ``crypto isakmp policy`` per distinct IKEv1 parameter set (10, 20, ...)."""
    policies: list[tuple[int, Crypto]] = []
    seen: set[tuple[str, str, int, int]] = set()
    for scope in crypto_scopes:
        c = scope.crypto
        params = (c.ike_encryption, c.ike_integrity, c.dh_group, c.lifetime)
        if c.type == "ikev1" and params not in seen:
            seen.add(params)
            policies.append((10 * (len(policies) + 1), c))
    return policies


def host_context(design: Design, host: Host, *, reveal_secrets: bool) -> dict[str, Any]:
    crypto_scopes = scopes(design, host)
    scope_of = {cloud: scope.name for scope in crypto_scopes for cloud in scope.clouds}
    tunnels = [tunnel_view(design, host, t) for t in host.tunnels]
    for view in tunnels:
        view.ike_name = scope_of.get(view.tunnel.cloud, view.crypto_name)
    vrfs = sorted({t.fvrf for t in tunnels if t.fvrf})
    underlay_vrf = {t.tunnel.source: t.fvrf for t in tunnels if t.fvrf}
    crypto = _unique_by(tunnels, key=lambda v: v.crypto_name, keep=lambda v: v.spec.crypto.enabled)
    v1 = [s for s in crypto_scopes if s.crypto.type == "ikev1"]
    qos = {name: group for v in tunnels for name, group in v.qos_groups.items()}
    return {
        "host": host,
        "design": design,
        "tunnels": tunnels,
        "crypto_tunnels": crypto,
        "crypto_scopes": crypto_scopes,
        "isakmp_policies": _isakmp_policies(crypto_scopes),
        "isakmp_keepalive": next((s.crypto.dpd for s in v1 if s.crypto.dpd), None),
        "shown": shown,
        "vrfs": vrfs,
        "underlay_vrf": underlay_vrf,
        "qos": qos,
        "routing": _routing_blocks(design, host, tunnels),
        "secret": SecretText(reveal_secrets),
    }


def _unique_by(items: list[TunnelView], *, key: Any, keep: Any) -> list[TunnelView]:
    seen: set[str] = set()
    out = []
    for item in items:
        if keep(item) and key(item) not in seen:
            seen.add(key(item))
            out.append(item)
    return out


def _lan_networks(host: Host) -> list[IPv4Network]:
    return [lan.address.network for lan in host.lan]


def _routing_blocks(design: Design, host: Host, tunnels: list[TunnelView]) -> list[dict[str, Any]]:
    """One routing process per (protocol, AS/process), carrying the tunnels that use it."""
    blocks: dict[tuple[str, Any], dict[str, Any]] = {}
    for view in tunnels:
        routing = view.spec.routing
        ident: Any = routing.process_id if routing.protocol == "ospf" else routing.as_number
        if routing.protocol == "bgp":
            ident = _bgp_asn(host, view)
        block = blocks.setdefault((routing.protocol, ident), {
            "protocol": routing.protocol, "id": ident, "routing": routing,
            "tunnels": [], "lans": _lan_networks(host), "router_id": host.router_id,
        })
        block["tunnels"].append(_routing_tunnel(design, host, view))
    return list(blocks.values())


def _bgp_asn(host: Host, view: TunnelView) -> int:
    routing = view.spec.routing
    if host.bgp_as:
        return host.bgp_as
    if routing.mode == "ebgp" and not view.hub:
        return int(routing.spoke_as or 0)
    return int(routing.as_number or 0)


def _routing_tunnel(design: Design, host: Host, view: TunnelView) -> dict[str, Any]:
    spec = view.spec
    routing = spec.routing
    hubs = [h for h, _ in design.hubs(view.tunnel.cloud) if h.name != host.name]
    hub_peers = [str(t.tunnel_ip) for h, t in design.hubs(view.tunnel.cloud) if h.name != host.name]
    return {
        "view": view,
        "subnet": spec.subnet,
        "listen_range": str(spec.subnet),
        "peer_group": f"{view.tunnel.cloud}-SPOKES",
        "hub_peers": hub_peers,
        "hub_as": routing.as_number,
        "remote_as": routing.as_number if routing.mode == "ibgp" else routing.spoke_as,
        "next_hop_self": routing.effective_next_hop_self(spec.phase),
        "network_type": routing.effective_network_type(spec.phase),
        "priority": routing.priority(view.hub),
        "has_hubs": bool(hubs),
    }


def interface_address(value: IPv4Interface) -> str:
    return f"{value.ip} {value.netmask}"
