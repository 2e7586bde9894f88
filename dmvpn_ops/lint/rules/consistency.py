"""Cloud consistency rules (DMV5xx): values every member of a cloud must share."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from dmvpn_ops.intent.model import Design, Tunnel
from dmvpn_ops.lint.registry import Hit, rule
from dmvpn_ops.results import Severity


def _mismatches(design: Design, what: str, value_of: Callable[[Tunnel], Any]) -> Iterator[Hit]:
    """Members whose value differs from the cloud's reference (the hubs' value, else the majority)."""
    for cloud, pairs in design.clouds.items():
        values = [value_of(t) for _, t in pairs]
        hub_values = [value_of(t) for h, t in pairs if h.is_hub]
        reference = Counter(hub_values or values).most_common(1)[0][0]
        for (host, tunnel), value in zip(pairs, values):
            if value != reference:
                yield Hit(host.name, f"{tunnel.interface}: {what} {value} differs from the cloud's {reference}",
                          cloud=cloud, expected=reference, observed=value)


def _ref(secret: Any) -> str | None:
    return None if secret is None else secret.ref


@rule("DMV501", Severity.ERROR, "Tunnel key mismatch within a cloud",
      hint="use one tunnel_key for every member of the cloud",
      why="""GRE drops packets whose key does not match the receiving tunnel's key, so a member
      with another key can neither register nor exchange traffic with the rest of the cloud.""")
def tunnel_key(design: Design) -> Iterator[Hit]:
    yield from _mismatches(design, "tunnel key", lambda t: t.spec.tunnel_key)


@rule("DMV502", Severity.ERROR, "NHRP authentication mismatch within a cloud",
      hint="reference the same env: secret for nhrp_auth on every member of the cloud",
      why="""NHRP packets carry the authentication string in clear; a hub silently drops
      registrations whose string differs, so the spoke never comes up.""")
def nhrp_auth(design: Design) -> Iterator[Hit]:
    yield from _mismatches(design, "NHRP authentication", lambda t: _ref(t.spec.nhrp_auth))


@rule("DMV503", Severity.ERROR, "PSK reference mismatch within a cloud",
      hint="reference the same env: secret for crypto.psk on every member of the cloud",
      why="""IKE authenticates both peers with the pre-shared key; different keys mean IKE never
      completes, IPsec never comes up and NHRP registration over the protected tunnel fails.""")
def psk(design: Design) -> Iterator[Hit]:
    yield from _mismatches(design, "PSK reference", lambda t: _ref(t.spec.crypto.psk))


@rule("DMV504", Severity.WARNING, "NHRP network-id differs within a cloud",
      hint="use one network_id per cloud by convention",
      why="""The network-id is locally significant: it only ties a router's tunnel interfaces to
      one NHRP domain and is never sent on the wire, so different values still work. One value per
      cloud is the convention that keeps configs and troubleshooting readable.""")
def network_id(design: Design) -> Iterator[Hit]:
    yield from _mismatches(design, "network-id", lambda t: t.spec.network_id)


@rule("DMV505", Severity.ERROR, "Phase, crypto type or IPsec transform differs within a cloud",
      hint="keep phase, crypto.type and crypto.transform identical across the cloud",
      why="""Members of one cloud must agree on the DMVPN phase (redirect/shortcut behaviour) and
      on IKE version and transform set, or IKE/IPsec negotiation fails between them.""")
def cloud_shape(design: Design) -> Iterator[Hit]:
    yield from _mismatches(design, "phase", lambda t: t.spec.phase)
    yield from _mismatches(design, "crypto type", lambda t: t.spec.crypto.type)
    yield from _mismatches(design, "transform", lambda t: t.spec.crypto.transform)


@rule("DMV506", Severity.ERROR, "Secret reused across clouds",
      hint="give each cloud its own PSK and NHRP authentication env: secret",
      why="""The intent asks for per-cloud secrets (unique_secrets_per_cloud: true), so that one
      cloud's leaked key does not open the others; two clouds reference the same secret.""")
def secrets_per_cloud(design: Design) -> Iterator[Hit]:
    if not design.unique_secrets_per_cloud:
        return
    seen: dict[tuple[str, str], str] = {}
    for cloud, pairs in design.clouds.items():
        host, tunnel = pairs[0]
        for kind, secret in (("PSK", tunnel.spec.crypto.psk), ("NHRP authentication", tunnel.spec.nhrp_auth)):
            if secret is None:
                continue
            other = seen.setdefault((kind, secret.ref), cloud)
            if other != cloud:
                yield Hit(host.name, f"{kind} {secret.ref} used by clouds {other} and {cloud}",
                          cloud=cloud, expected="distinct secrets", observed=secret.ref)
