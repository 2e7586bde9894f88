"""NHRP rules (DMV2xx): registration mapping, phase 3 redirect/shortcut, hubs' addresses."""
from __future__ import annotations

from collections.abc import Iterator

from dmvpn_ops.intent.model import Design, Host
from dmvpn_ops.lint.registry import Hit, hub_tunnels, rule, spoke_tunnels
from dmvpn_ops.results import Severity
from dmvpn_ops.secrets import SecretRef


@rule("DMV201", Severity.ERROR, "Phase 3 hub without 'ip nhrp redirect'",
      hint="leave nhrp_redirect unset (or true) on phase 3 hubs",
      why="""In phase 3 the hub tells a spoke "there is a better path" with an NHRP redirect when it
      forwards spoke-to-spoke traffic back out of the same tunnel. Without redirect no spoke ever
      learns to build a shortcut and all traffic stays on the hub.""")
def phase3_redirect(design: Design) -> Iterator[Hit]:
    for cloud, host, tunnel in hub_tunnels(design):
        spec = tunnel.spec
        if spec.phase == 3 and spec.nhrp_redirect is False:
            yield Hit(host.name, f"{tunnel.interface}: phase 3 hub without ip nhrp redirect",
                      cloud=cloud, expected="ip nhrp redirect", observed="absent")


@rule("DMV202", Severity.ERROR, "Phase 3 spoke without 'ip nhrp shortcut'",
      hint="leave nhrp_shortcut unset (or true) on phase 3 spokes",
      why="""'ip nhrp shortcut' lets a spoke act on a redirect: it sends a resolution request and
      installs the answer (an NHRP route / next-hop override) so the next packets go straight to
      the other spoke. Without it redirects are ignored.""")
def phase3_shortcut(design: Design) -> Iterator[Hit]:
    for cloud, host, tunnel in spoke_tunnels(design):
        spec = tunnel.spec
        if spec.phase == 3 and spec.nhrp_shortcut is False:
            yield Hit(host.name, f"{tunnel.interface}: phase 3 spoke without ip nhrp shortcut",
                      cloud=cloud, expected="ip nhrp shortcut", observed="absent")


@rule("DMV203", Severity.ERROR, "Spoke missing a static NHS mapping for a hub",
      hint="list every hub of the cloud in the spoke's nhs (tunnel_ip + nbma), or drop nhs to derive it",
      why="""A spoke registers only with the NHSes it knows, and it can reach an NHS only through a
      static tunnel-to-NBMA mapping. A hub missing from the list never learns that spoke, so a
      dual-hub design silently becomes single-hub for it.""")
def nhs_mapping(design: Design) -> Iterator[Hit]:
    for cloud, host, tunnel in spoke_tunnels(design):
        mappings = {(str(m.tunnel_ip), str(m.nbma)) for m in design.nhs_for(host, tunnel)}
        for hub, hub_tunnel in design.hubs(cloud):
            wanted = (str(hub_tunnel.tunnel_ip), str(hub_tunnel.public_nbma))
            if wanted not in mappings:
                yield Hit(host.name, f"{tunnel.interface}: no NHS mapping for hub {hub.name} "
                          f"({wanted[0]} nbma {wanted[1]})", cloud=cloud,
                          expected=f"{wanted[0]} nbma {wanted[1]}", observed=sorted(mappings))


@rule("DMV204", Severity.ERROR, "NHRP authentication longer than 8 characters",
      hint="use an NHRP authentication string of at most 8 characters",
      why="""IOS refuses 'ip nhrp authentication' strings longer than 8 characters, so the push
      fails half way through the tunnel configuration.""")
def nhrp_auth_length(design: Design) -> Iterator[Hit]:
    for cloud, host, tunnel in hub_tunnels(design):
        yield from _auth_length(cloud, host.name, tunnel.spec.nhrp_auth, tunnel.interface)
    for cloud, host, tunnel in spoke_tunnels(design):
        yield from _auth_length(cloud, host.name, tunnel.spec.nhrp_auth, tunnel.interface)


def _auth_length(cloud: str, host: str, secret: SecretRef | None, interface: str) -> Iterator[Hit]:
    if secret is not None and secret.resolved and len(secret.reveal()) > 8:
        yield Hit(host, f"{interface}: NHRP authentication from {secret.ref} has "
                  f"{len(secret.reveal())} characters", cloud=cloud, expected="<= 8",
                  observed=len(secret.reveal()))


@rule("DMV205", Severity.ERROR, "Hub with a dynamic NBMA address",
      hint="give hubs a fixed underlay address (spokes map the hub NBMA statically)",
      why="""Spokes reach the hub through a static NHS mapping to its NBMA address. A hub on DHCP
      can change address and every spoke loses its NHS at once.""")
def hub_dynamic_nbma(design: Design) -> Iterator[Hit]:
    for cloud, host, tunnel in hub_tunnels(design):
        if tunnel.fixed_nbma is None:
            yield Hit(host.name, f"{tunnel.interface}: hub NBMA comes from DHCP", cloud=cloud,
                      expected="static address", observed="dhcp")


@rule("DMV206", Severity.WARNING, "Single hub in a cloud",
      hint="add a second hub to the cloud (dual hub) or a second cloud (dual cloud)",
      why="""With one hub, losing it takes down every spoke registration and, in phase 1, all
      traffic. A second hub (or cloud) keeps spokes registered and routed.""")
def single_hub(design: Design) -> Iterator[Hit]:
    for cloud in design.clouds:
        hubs = design.hubs(cloud)
        if not hubs:
            yield Hit(None, f"cloud {cloud} has no hub at all", cloud=cloud, expected=">= 1 hub", observed=0)
            continue
        single = [spoke.name for spoke, _ in design.spokes(cloud) if len(_hubs_of(design, spoke)) < 2]
        if len(hubs) == 1 and (single or not design.spokes(cloud)):
            yield Hit(hubs[0][0].name, f"cloud {cloud} has a single hub: a single point of failure"
                      + (f" for {', '.join(single)}" if single else ""),
                      cloud=cloud, expected=">= 2 hubs", observed=1)


def _hubs_of(design: Design, spoke: Host) -> set[str]:
    """Every hub a spoke registers with, across all its clouds (dual cloud counts)."""
    return {hub.name for tunnel in spoke.tunnels for hub, _ in design.hubs(tunnel.cloud)}
