"""mGRE tunnel rules (DMV3xx): tunnel keys on shared sources, MTU/MSS."""
from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lint.registry import Hit, members, rule
from dmvpn_ops.results import Severity


@rule("DMV301", Severity.ERROR, "Two mGRE tunnels on one source without distinct keys or shared protection",
      hint="give each tunnel on the same source its own tunnel key and use 'tunnel protection ... shared'",
      why="""GRE packets arriving on one source address are matched to a tunnel by the tunnel key;
      two mGRE tunnels with the same (or no) key on one source cannot be told apart. When both are
      IPsec-protected, IOS also needs 'shared' so the tunnels share one crypto socket instead of
      tearing each other's SAs down.""")
def shared_source(design: Design) -> Iterator[Hit]:
    for host in design.hosts.values():
        for first, second in combinations(host.tunnels, 2):
            if first.source != second.source:
                continue
            pair = f"{first.interface} and {second.interface} on {first.source}"
            if first.spec.tunnel_key == second.spec.tunnel_key:
                yield Hit(host.name, f"{pair} share tunnel key {first.spec.tunnel_key}",
                          cloud=second.cloud, expected="distinct tunnel keys",
                          observed=first.spec.tunnel_key)
            both_protected = first.spec.crypto.enabled and second.spec.crypto.enabled
            if both_protected and not (first.spec.crypto.shared and second.spec.crypto.shared):
                yield Hit(host.name, f"{pair} are both protected without 'shared'",
                          cloud=second.cloud, expected="tunnel protection ... shared", observed="not shared")


@rule("DMV302", Severity.WARNING, "Tunnel MTU or TCP MSS missing",
      hint="set mtu (e.g. 1400) and tcp_mss (e.g. 1360) on the cloud",
      why="""GRE plus IPsec adds up to ~80 bytes. Without 'ip mtu' and 'ip tcp adjust-mss' large
      packets fragment after encryption or are black-holed when PMTUD is filtered, which looks
      like 'ping works, web pages hang'.""")
def mtu_mss(design: Design) -> Iterator[Hit]:
    for cloud, host, tunnel in members(design):
        missing = [name for name, value in (("mtu", tunnel.spec.mtu), ("tcp_mss", tunnel.spec.tcp_mss))
                   if value is None]
        if missing:
            yield Hit(host.name, f"{tunnel.interface}: {' and '.join(missing)} not set", cloud=cloud,
                      expected="mtu 1400, tcp_mss 1360", observed=f"missing {', '.join(missing)}")
