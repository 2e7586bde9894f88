"""One IKE keyring and profile per identity scope (front-door VRF x IKE version) of a host.

IOS picks the IKE profile of an incoming negotiation by its ``match`` statements, and the key
by the peer's address (longest match). Several keyrings or IKE profiles that all match
``0.0.0.0`` in the same VRF make IOS choose one of them, so a tunnel whose IPsec profile names
another comes up from one side only (Cisco's profile-selection behaviour as cited in issue 15 of
this project). So every tunnel of a scope uses one profile; its keyring holds a
key per known peer address (hubs' fixed NBMA) when the clouds' PSKs differ, and one ``0.0.0.0``
key for the peers whose address is unknown (spokes seen from a hub, spoke-to-spoke in phase 2/3).
Where those dynamic peers would need different keys IOS cannot tell them apart:
:func:`conflicts` says so and lint turns it into an error.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address

from dmvpn_ops.intent.model import Crypto, Design, Host, Tunnel
from dmvpn_ops.secrets import SecretRef

__all__ = ["KeyEntry", "Scope", "scopes", "conflicts", "crypto_name", "ignored_parameters"]


@dataclass(frozen=True)
class KeyEntry:
    """``pre-shared-key address A [mask]``: ``address`` None is the 0.0.0.0 wildcard."""

    address: IPv4Address | None
    psk: SecretRef
    peer: str  # a name for the IKEv2 ``peer`` block (host or ANY)
    cloud: str


@dataclass
class Scope:
    """The tunnels of one host sharing an identity scope, and the key entries they need."""

    name: str
    fvrf: str | None
    crypto: Crypto
    clouds: list[str] = field(default_factory=list)
    fixed: list[KeyEntry] = field(default_factory=list)
    dynamic: list[KeyEntry] = field(default_factory=list)

    @property
    def single_key(self) -> bool:
        return len({_secret_id(e.psk) for e in self.fixed + self.dynamic}) <= 1

    @property
    def entries(self) -> list[KeyEntry]:
        """Keyring lines: a single wildcard when every peer uses one key, else per-address + wildcard."""
        everyone = self.fixed + self.dynamic
        if self.single_key:
            return [KeyEntry(None, everyone[0].psk, "ANY", everyone[0].cloud)] if everyone else []
        seen: dict[IPv4Address, KeyEntry] = {}
        for entry in self.fixed:
            seen.setdefault(entry.address, entry)  # type: ignore[arg-type]
        wildcard = [KeyEntry(None, self.dynamic[0].psk, "ANY", self.dynamic[0].cloud)] if self.dynamic else []
        return list(seen.values()) + wildcard


def crypto_name(tunnel: Tunnel) -> str:
    """Tunnels protected with 'shared' must use one IPsec profile, so they share one name."""
    return "DMVPN-SHARED" if tunnel.spec.crypto.shared else tunnel.cloud


def _secret_id(secret: SecretRef) -> str:
    return secret.reveal() if secret.resolved else secret.ref


def _dynamic_peers(host: Host, tunnel: Tunnel) -> bool:
    """Whether this member negotiates with peers whose address the intent cannot know."""
    return host.is_hub or tunnel.spec.phase in (2, 3)


def scopes(design: Design, host: Host) -> list[Scope]:
    """The host's identity scopes in tunnel order, each with its fixed and dynamic key entries."""
    found: dict[tuple[str | None, str], Scope] = {}
    for tunnel in host.tunnels:
        crypto = tunnel.spec.crypto
        if not crypto.enabled or crypto.psk is None:
            continue
        key = (tunnel.spec.fvrf, crypto.type)
        scope = found.setdefault(key, Scope(crypto_name(tunnel), tunnel.spec.fvrf, crypto))
        if tunnel.cloud not in scope.clouds:
            scope.clouds.append(tunnel.cloud)
        if crypto_name(tunnel) != scope.name:
            scope.name = f"DMVPN-{tunnel.spec.fvrf or 'GLOBAL'}"
        for hub, hub_tunnel in design.hubs(tunnel.cloud):
            if hub.name != host.name and hub_tunnel.fixed_nbma is not None:
                scope.fixed.append(KeyEntry(hub_tunnel.fixed_nbma, crypto.psk, hub.name, tunnel.cloud))
        if _dynamic_peers(host, tunnel):
            scope.dynamic.append(KeyEntry(None, crypto.psk, "ANY", tunnel.cloud))
    return list(found.values())


def conflicts(scope: Scope) -> list[str]:
    """Why IOS cannot pick the right key in this scope (empty: every peer gets its cloud's key)."""
    problems: list[str] = []
    dynamic = {_secret_id(e.psk): e.cloud for e in scope.dynamic}
    if len(dynamic) > 1:
        problems.append(f"peers with unknown addresses in clouds {', '.join(sorted(dynamic.values()))} "
                        "need different keys but can only match the one 0.0.0.0 entry")
    by_address: dict[IPv4Address | None, dict[str, str]] = {}
    for entry in scope.fixed:
        by_address.setdefault(entry.address, {})[_secret_id(entry.psk)] = entry.cloud
    for address, keys in by_address.items():
        if len(keys) > 1:
            problems.append(f"peer {address} is in clouds {', '.join(sorted(keys.values()))} with "
                            "different keys (one IKE SA per peer address)")
    return problems


# What one IKE profile (scope) or one shared IPsec profile can hold only once.
_IKE_FIELDS = ("ike_encryption", "ike_integrity", "dh_group", "lifetime", "dpd")
_IPSEC_FIELDS = ("transform", "mode")


def ignored_parameters(host: Host) -> list[str]:
    """Crypto settings of a cloud that the render cannot honour because another cloud set them first.

    Tunnels of one identity scope share one IKE profile (its proposal, lifetime, DPD) and tunnels
    with 'shared' protection share one IPsec profile (transform set, mode): the first cloud's win.
    """
    problems: list[str] = []
    first: dict[tuple[str, object], tuple[str, object]] = {}
    for tunnel in host.tunnels:
        crypto = tunnel.spec.crypto
        if not crypto.enabled:
            continue
        keys = [((f"scope {tunnel.spec.fvrf or 'global'}/{crypto.type}", name), getattr(crypto, name))
                for name in _IKE_FIELDS]
        keys += [((f"profile {crypto_name(tunnel)}", name), getattr(crypto, name)) for name in _IPSEC_FIELDS]
        for key, value in keys:
            cloud, seen = first.setdefault(key, (tunnel.cloud, value))
            if seen != value:
                problems.append(f"{tunnel.cloud} crypto.{key[1]} {value!r} differs from {cloud}'s {seen!r}, "
                                f"but both use one {key[0]}")
    return problems
