"""IPsec rules (DMV4xx): NAT and transport mode."""
from __future__ import annotations

from collections.abc import Iterator

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lint.registry import Hit, rule, spoke_tunnels
from dmvpn_ops.results import Severity


@rule("DMV401", Severity.ERROR, "IPsec transport mode on a spoke behind NAT",
      hint="set crypto.mode: tunnel for spokes behind NAT",
      why="""In transport mode the GRE packet keeps the spoke's private (pre-NAT) address as its
      NBMA identity; behind NAT the hub sees a different public address, NHRP registration
      carries the wrong NBMA and spoke-to-spoke tunnels fail. Tunnel mode with NAT-T carries the
      translated address consistently.""")
def nat_transport_mode(design: Design) -> Iterator[Hit]:
    for cloud, host, tunnel in spoke_tunnels(design):
        crypto = tunnel.spec.crypto
        if tunnel.nat and crypto.enabled and crypto.mode == "transport":
            yield Hit(host.name, f"{tunnel.interface}: transport mode behind NAT", cloud=cloud,
                      expected="tunnel", observed="transport")
