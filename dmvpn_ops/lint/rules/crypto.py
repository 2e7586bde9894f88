"""IPsec rules (DMV4xx): NAT and transport mode, keys IOS cannot tell apart."""
from __future__ import annotations

from collections.abc import Iterator

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lint.registry import Hit, rule, spoke_tunnels
from dmvpn_ops.render.keyring import conflicts, ignored_parameters, scopes
from dmvpn_ops.results import Severity


@rule("DMV401", Severity.WARNING, "IPsec transport mode on a spoke behind NAT",
      hint="set crypto.mode: tunnel for spokes behind NAT (the safe choice), or keep transport knowingly",
      why="""Both sides: Cisco supports transport mode through NAT with NAT-T (UDP 4500) and the NHRP
      NAT extension, which carries the spoke's translated address so hubs and other spokes learn
      the right NBMA. But with transport mode the GRE header keeps the spoke's private (pre-NAT)
      address, and spoke-to-spoke tunnels between two NATed spokes, or an IOS release or a NAT
      device that mangles the extension, fail in ways that are hard to see. Tunnel mode with NAT-T
      carries the translated address consistently, at the cost of 20 bytes per packet.""")
def nat_transport_mode(design: Design) -> Iterator[Hit]:
    for cloud, host, tunnel in spoke_tunnels(design):
        crypto = tunnel.spec.crypto
        if tunnel.behind_nat and crypto.enabled and crypto.mode == "transport":
            yield Hit(host.name, f"{tunnel.interface}: transport mode behind NAT", cloud=cloud,
                      expected="tunnel", observed="transport")


@rule("DMV402", Severity.ERROR, "Different pre-shared keys IOS cannot tell apart",
      hint="use one PSK for the clouds that share a source and front-door VRF (or separate sources/fVRFs); "
           "per-cloud keys work only towards peers with fixed, distinct addresses (hubs)",
      why="""IOS picks a pre-shared key by the peer's address, and one IKE profile per front-door VRF
      handles every tunnel of that scope. Peers whose address is unknown in advance (spokes seen
      from a hub, other spokes in phase 2/3) all match the one 0.0.0.0 entry, so they can have one
      key only; and with 'shared' protection one peer address has one IKE SA for all clouds.
      Overlapping 0.0.0.0 matches with different keys make tunnels come up from one side only.""")
def ambiguous_keys(design: Design) -> Iterator[Hit]:
    for host in design.hosts.values():
        for scope in scopes(design, host):
            for problem in conflicts(scope):
                yield Hit(host.name, f"{scope.name} (fvrf {scope.fvrf or 'global'}): {problem}",
                          cloud=scope.clouds[-1], expected="one key per peer address", observed=problem)


@rule("DMV403", Severity.ERROR, "Crypto settings two clouds cannot both have",
      hint="give the clouds that share a source/fVRF (one IKE profile) or 'shared' protection (one IPsec "
           "profile) the same IKE proposal, lifetime, DPD, transform set and mode",
      why="""IOS selects one IKE profile per front-door VRF for every tunnel in it, and tunnels with
      'tunnel protection ... shared' must use the same IPsec profile. Different settings per cloud
      cannot both be configured: the rendered config carries the first cloud's, and the second
      cloud silently runs with parameters its intent does not say.""")
def ignored_crypto(design: Design) -> Iterator[Hit]:
    for host in design.hosts.values():
        for problem in ignored_parameters(host):
            yield Hit(host.name, problem, cloud=problem.split()[0], expected="one value", observed=problem)
