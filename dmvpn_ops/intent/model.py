"""The typed DMVPN intent: clouds, hosts and each host's tunnel into a cloud.

Raw inventory dicts stop at ``intent.load``; everything downstream reads these frozen
models. Defaults encode the DMVPN design rules (e.g. EIGRP next-hop-self off in phase 2,
OSPF broadcast in phase 2) so that a minimal intent renders a working cloud, while every
default can be overridden, which is how a broken design reaches the linter.
"""
from __future__ import annotations

from functools import cached_property
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dmvpn_ops.secrets import SecretRef, is_reference

Phase = Literal[1, 2, 3]
Role = Literal["hub", "spoke"]
Dhcp = Literal["dhcp"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


def _secret(value: object) -> object:
    """Accept only ``env:NAME``: secrets are never stored in the inventory."""
    if value is None or isinstance(value, SecretRef):
        return value
    if is_reference(value):
        return SecretRef.resolve(str(value))
    raise ValueError("secrets are never stored in the inventory; reference one as env:NAME")


class Routing(_Frozen):
    """Routing over the tunnel. ``None`` means "what the phase needs"."""

    protocol: Literal["eigrp", "ospf", "bgp"]
    as_number: int | None = Field(default=None, ge=1, le=4294967295)
    # EIGRP: split horizon must be off on the hub tunnel; next-hop-self off in phase 2.
    split_horizon: bool = False
    next_hop_self: bool | None = None
    # OSPF
    process_id: int = Field(default=1, ge=1, le=65535)
    area: int | str = 0
    network_type: Literal["broadcast", "point-to-multipoint", "non-broadcast", "point-to-point"] | None = None
    hub_priority: int = Field(default=255, ge=0, le=255)
    spoke_priority: int = Field(default=0, ge=0, le=255)
    ospf_neighbors: tuple[IPv4Address, ...] = ()
    # BGP: hubs listen on the tunnel subnet (dynamic neighbours)
    mode: Literal["ibgp", "ebgp"] = "ibgp"
    spoke_as: int | None = Field(default=None, ge=1, le=4294967295)

    @model_validator(mode="after")
    def _needs_as(self) -> Routing:
        if self.protocol in ("eigrp", "bgp") and self.as_number is None:
            raise ValueError(f"{self.protocol} needs as_number")
        if self.protocol == "bgp" and self.mode == "ebgp" and self.spoke_as is None:
            raise ValueError("ebgp needs spoke_as (the spokes' AS number)")
        return self

    def effective_next_hop_self(self, phase: int) -> bool:
        return self.next_hop_self if self.next_hop_self is not None else phase != 2

    def effective_network_type(self, phase: int) -> str:
        if self.network_type:
            return self.network_type
        return "broadcast" if phase == 2 else "point-to-multipoint"


class Crypto(_Frozen):
    """IPsec protection of the tunnel; PSK always an ``env:`` reference."""

    type: Literal["none", "ikev1", "ikev2"] = "none"
    psk: SecretRef | None = None
    transform: str = "esp-aes 256 esp-sha256-hmac"
    mode: Literal["transport", "tunnel"] = "transport"
    shared: bool = False
    ike_encryption: str = "aes-cbc-256"
    ike_integrity: str = "sha256"
    dh_group: int = Field(default=14, ge=1, le=32)
    lifetime: int = Field(default=86400, ge=60)

    _v_psk = field_validator("psk", mode="before")(_secret)

    @model_validator(mode="after")
    def _psk_present(self) -> Crypto:
        if self.type != "none" and self.psk is None:
            raise ValueError(f"{self.type} needs psk: env:NAME")
        return self

    @property
    def enabled(self) -> bool:
        return self.type != "none"


class QosGroup(_Frozen):
    """Per-tunnel QoS: spokes announce ``ip nhrp group``; the hub maps it to a policy."""

    policy: str
    shape_bps: int = Field(ge=8000)


class CloudSpec(_Frozen):
    """Cloud-wide parameters (the group's ``data.dmvpn.clouds.<name>``), possibly overridden per host."""

    tunnel: int = Field(ge=0, le=2147483647)
    subnet: IPv4Network
    network_id: int = Field(ge=1, le=4294967295)
    tunnel_key: int | None = Field(default=None, ge=0, le=4294967295)
    nhrp_auth: SecretRef | None = None
    phase: Phase
    hold_time: int = Field(default=300, ge=1, le=65535)
    registration_timeout: int | None = Field(default=None, ge=1, le=65535)
    mtu: int | None = Field(default=1400, ge=68, le=9976)
    tcp_mss: int | None = Field(default=1360, ge=500, le=1460)
    bandwidth: int | None = Field(default=None, ge=1)
    routing: Routing
    crypto: Crypto = Crypto()
    fvrf: str | None = None
    multicast: bool = True
    nhs_style: Literal["modern", "classic"] = "modern"
    nhrp_redirect: bool | None = None
    nhrp_shortcut: bool | None = None
    qos: dict[str, QosGroup] = Field(default_factory=dict)

    _v_auth = field_validator("nhrp_auth", mode="before")(_secret)

    @property
    def interface(self) -> str:
        return f"Tunnel{self.tunnel}"


class NhsMapping(_Frozen):
    tunnel_ip: IPv4Address
    nbma: IPv4Address


class Underlay(_Frozen):
    """An NBMA-facing interface: fixed address or DHCP (spokes only)."""

    interface: str
    address: IPv4Interface | Dhcp
    gateway: IPv4Address | None = None
    nat_public: IPv4Address | None = None

    @property
    def dynamic(self) -> bool:
        return self.address == "dhcp"


class Lan(_Frozen):
    interface: str
    address: IPv4Interface


class Tunnel(_Frozen):
    """One host's membership in one cloud: the cloud's spec plus the member's own fields."""

    cloud: str
    spec: CloudSpec
    tunnel_ip: IPv4Address
    source: str
    nbma: IPv4Address | Dhcp
    nat: bool = False
    nat_public: IPv4Address | None = None
    nhs: tuple[NhsMapping, ...] | None = None
    nhrp_group: str | None = None

    @property
    def interface(self) -> str:
        return self.spec.interface

    @property
    def public_nbma(self) -> IPv4Address | Dhcp:
        """The address other routers see: the NAT translation when behind NAT."""
        return self.nat_public or self.nbma


class Host(_Frozen):
    name: str
    role: Role
    hostname: str
    port: int = 22
    platform: str = "cisco_ios"
    username: str | None = None
    password: SecretRef | None = None
    enable_secret: SecretRef | None = None
    underlay: tuple[Underlay, ...]
    lan: tuple[Lan, ...] = ()
    tunnels: tuple[Tunnel, ...]
    bgp_as: int | None = None
    router_id: IPv4Address | None = None
    lab_port: int | None = Field(default=None, ge=1, le=65535)

    @property
    def emulator_port(self) -> int:
        """The 127.0.0.1 port the lab emulator serves this host on (``data.lab.port`` or ``port``)."""
        return self.lab_port or self.port

    @property
    def is_hub(self) -> bool:
        return self.role == "hub"

    def tunnel_for(self, cloud: str) -> Tunnel | None:
        return next((t for t in self.tunnels if t.cloud == cloud), None)

    def underlay_for(self, interface: str) -> Underlay | None:
        return next((u for u in self.underlay if u.interface == interface), None)


class Design(_Frozen):
    """The whole DMVPN intent, with where each host came from (for error messages)."""

    inventory_dir: str
    hosts: dict[str, Host]
    host_files: dict[str, str] = Field(default_factory=dict)
    unique_secrets_per_cloud: bool = False

    @cached_property
    def clouds(self) -> dict[str, list[tuple[Host, Tunnel]]]:
        """Cloud name -> (host, tunnel) members, hubs first then by name (stable order; computed once)."""
        members: dict[str, list[tuple[Host, Tunnel]]] = {}
        for host in self.hosts.values():
            for tunnel in host.tunnels:
                members.setdefault(tunnel.cloud, []).append((host, tunnel))
        for cloud in members.values():
            cloud.sort(key=lambda ht: (ht[0].role != "hub", ht[0].name))
        return dict(sorted(members.items()))

    def hubs(self, cloud: str) -> list[tuple[Host, Tunnel]]:
        return [(h, t) for h, t in self.clouds.get(cloud, []) if h.is_hub]

    def spokes(self, cloud: str) -> list[tuple[Host, Tunnel]]:
        return [(h, t) for h, t in self.clouds.get(cloud, []) if not h.is_hub]

    def nhs_for(self, host: Host, tunnel: Tunnel) -> tuple[NhsMapping, ...]:
        """The NHS list a spoke uses: explicit in the intent, else every hub of the cloud."""
        if tunnel.nhs is not None:
            return tunnel.nhs
        mappings = []
        for hub, hub_tunnel in self.hubs(tunnel.cloud):
            if hub.name == host.name or hub_tunnel.public_nbma == "dhcp":
                continue
            mappings.append(NhsMapping(tunnel_ip=hub_tunnel.tunnel_ip,
                                       nbma=hub_tunnel.public_nbma))
        return tuple(mappings)

    @property
    def hub_names(self) -> list[str]:
        return [h.name for h in self.hosts.values() if h.is_hub]

    @property
    def spoke_names(self) -> list[str]:
        return [h.name for h in self.hosts.values() if not h.is_hub]
