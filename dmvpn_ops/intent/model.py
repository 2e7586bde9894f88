"""The typed DMVPN intent: clouds, hosts and each host's tunnel into a cloud.

Value ranges are IOS's: the comments name the IOS-XE 17.12.1 YANG module (YangModels/yang,
vendor/cisco/xe/17121/Cisco-IOS-XE-<module>.yang) each comes from; see also ``intent.ios``.

Raw inventory dicts stop at ``intent.load``; everything downstream reads these frozen
models. Defaults encode the DMVPN design rules (e.g. EIGRP next-hop-self off in phase 2,
OSPF broadcast in phase 2) so that a minimal intent renders a working cloud, while every
default can be overridden, which is how a broken design reaches the linter.
"""
from __future__ import annotations

from functools import cached_property
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from dmvpn_ops.intent import ios
from dmvpn_ops.secrets import SecretRef, is_reference


def _not_a_boolean(value: object) -> object:
    """YAML's `true` equals 1 in Python: `phase: true` must not pass as phase 1."""
    if isinstance(value, bool):
        raise ValueError("must be 1, 2 or 3, not a boolean")
    return value


Phase = Annotated[Literal[1, 2, 3], BeforeValidator(_not_a_boolean)]
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


def _version(info: ValidationInfo) -> ios.IosVersion:
    """The host's IOS release, passed by the loader as validation context (default: current IOS-XE)."""
    context = info.context or {}
    version = context.get("ios_version")
    return version if isinstance(version, ios.IosVersion) else ios.DEFAULT_VERSION


def _in_range(value: int, bounds: tuple[int, int], what: str, source: str) -> int:
    low, high = bounds
    if not low <= value <= high:
        raise ValueError(f"{what} must be {low}-{high} ({source})")
    return value


class Routing(_Frozen):
    """Routing over the tunnel. ``None`` means "what the phase needs"."""

    protocol: Literal["eigrp", "ospf", "bgp"]
    as_number: int | None = Field(default=None, ge=1, le=4294967295)  # bgp.yang asn; EIGRP 1-65535 below
    # EIGRP: split horizon must be off on the hub tunnel; next-hop-self off in phase 2.
    split_horizon: bool = False
    next_hop_self: bool | None = None
    # OSPF
    process_id: int = Field(default=1, ge=1, le=65535)  # ospf.yang list ospf / process-id uint16 1..65535
    area: int | str = 0
    network_type: Literal["broadcast", "point-to-multipoint", "non-broadcast", "point-to-point"] | None = None
    hub_priority: int = Field(default=255, ge=0, le=255)  # ospf.yang ip ospf priority 0..255
    spoke_priority: int = Field(default=0, ge=0, le=255)
    ospf_neighbors: tuple[IPv4Address, ...] = ()
    # BGP: hubs listen on the tunnel subnet (dynamic neighbours)
    mode: Literal["ibgp", "ebgp"] = "ibgp"
    spoke_as: int | None = Field(default=None, ge=1, le=4294967295)

    @field_validator("as_number")
    @classmethod
    def _eigrp_as(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and info.data.get("protocol") == "eigrp":
            _in_range(value, ios.EIGRP_AS, "EIGRP AS number", "IOS: router eigrp 1-65535")
        return value

    @model_validator(mode="after")
    def _needs_as(self) -> Routing:
        if self.protocol in ("eigrp", "bgp") and self.as_number is None:
            raise ValueError(f"{self.protocol} needs as_number")
        if self.protocol == "bgp" and self.mode == "ebgp" and self.spoke_as is None:
            raise ValueError("ebgp needs spoke_as (the spokes' AS number)")
        return self

    def effective_next_hop_self(self, phase: int) -> bool:
        """Phase 2 needs next-hop-self off (spokes must see each other as next hop); else IOS's default."""
        return self.next_hop_self if self.next_hop_self is not None else phase != 2

    def effective_network_type(self, phase: int) -> str:
        """Phase 2 needs broadcast (next hop kept, DR on the hub); p2mp otherwise."""
        if self.network_type:
            return self.network_type
        return "broadcast" if phase == 2 else "point-to-multipoint"

    def priority(self, hub: bool) -> int:
        return self.hub_priority if hub else self.spoke_priority


class Dpd(_Frozen):
    """Dead peer detection: IKEv2 profile ``dpd``, IKEv1 ``crypto isakmp keepalive``.

    Without it, SAs to a reloaded peer stay until their lifetime ends. ``on-demand`` (IOS's
    default query mode) only probes when traffic to the peer goes unanswered, which scales on
    hubs with many spokes; spokes' NHRP registrations are the traffic that triggers it.
    """

    interval: int = Field(default=10, ge=ios.DPD_INTERVAL[0], le=ios.DPD_INTERVAL[1])
    retry: int = Field(default=3, ge=ios.DPD_RETRY[0], le=ios.DPD_RETRY[1])
    mode: Literal["on-demand", "periodic"] = "on-demand"


class Crypto(_Frozen):
    """IPsec protection of the tunnel; PSK always an ``env:`` reference."""

    type: Literal["none", "ikev1", "ikev2"] = "none"
    psk: SecretRef | None = None
    transform: str = "esp-aes 256 esp-sha256-hmac"
    mode: Literal["transport", "tunnel"] = "transport"
    shared: bool = False
    ike_encryption: str = "aes-cbc-256"
    ike_integrity: str = "sha256"
    dh_group: int = 14
    lifetime: int = 86400
    dpd: Dpd | None = Dpd()

    _v_psk = field_validator("psk", mode="before")(_secret)

    @field_validator("transform")
    @classmethod
    def _transform(cls, value: str, info: ValidationInfo) -> str:
        words = ios.check_transform(value)
        weak = ios.weak_transforms(words)
        if weak and _version(info).refuses_weak_crypto:
            raise ValueError(_weak(f"transform {' '.join(weak)}", _version(info)))
        return " ".join(words)

    @field_validator("ike_encryption", "ike_integrity")
    @classmethod
    def _ike_algorithm(cls, value: str, info: ValidationInfo) -> str:
        v1 = info.data.get("type") == "ikev1"
        if info.field_name == "ike_encryption":
            allowed = ios.ISAKMP_ENCRYPTION if v1 else ios.IKEV2_ENCRYPTION
        else:
            allowed = ios.ISAKMP_HASH if v1 else ios.IKEV2_INTEGRITY
        if value not in allowed:
            raise ValueError(f"{value!r} is not an IOS {'isakmp policy' if v1 else 'ikev2 proposal'} "
                             f"choice; use one of {', '.join(sorted(allowed))}")
        if value in ios.WEAK_CIPHERS and _version(info).refuses_weak_crypto:
            raise ValueError(_weak(value, _version(info)))
        return value

    @field_validator("dh_group")
    @classmethod
    def _dh_group(cls, value: int, info: ValidationInfo) -> int:
        if value not in ios.DH_GROUPS:
            raise ValueError(f"DH group {value} does not exist in IOS; use one of "
                             f"{', '.join(map(str, sorted(ios.DH_GROUPS)))} (Cisco-IOS-XE-crypto.yang)")
        if value in ios.WEAK_DH_GROUPS and _version(info).refuses_weak_crypto:
            raise ValueError(_weak(f"DH group {value}", _version(info)))
        return value

    @field_validator("lifetime")
    @classmethod
    def _lifetime(cls, value: int, info: ValidationInfo) -> int:
        if info.data.get("type") == "ikev1":
            return _in_range(value, ios.ISAKMP_LIFETIME, "IKEv1 lifetime",
                             "IOS: crypto isakmp policy / lifetime 60-86400 s")
        return _in_range(value, ios.IKEV2_LIFETIME, "IKEv2 lifetime",
                         "IOS: crypto ikev2 profile / lifetime 120-86400 s")

    @model_validator(mode="after")
    def _psk_present(self) -> Crypto:
        if self.type != "none" and self.psk is None:
            raise ValueError(f"{self.type} needs psk: env:NAME")
        return self

    @property
    def enabled(self) -> bool:
        return self.type != "none"


def _weak(what: str, version: ios.IosVersion) -> str:
    return (f"{what} is refused by default from IOS-XE 17.11.1 (this host: ios_version {version}; "
            "Cisco FN72510): use DH group 14/19/20/21, AES and SHA-2, or set ios_version to the "
            "older release the router really runs")


class QosGroup(_Frozen):
    """Per-tunnel QoS: spokes announce ``ip nhrp group``; the hub maps it to a policy."""

    policy: str
    shape_bps: int = Field(ge=8000)


class CloudSpec(_Frozen):
    """Cloud-wide parameters (the group's ``data.dmvpn.clouds.<name>``), possibly overridden per host."""

    tunnel: int = Field(ge=0, le=2147483647)
    subnet: IPv4Network
    network_id: int = Field(ge=1, le=4294967295)  # nhrp.yang network-id 1..4294967295
    tunnel_key: int | None = Field(default=None, ge=0, le=4294967295)  # tunnel.yang key 0..4294967295
    nhrp_auth: SecretRef | None = None
    phase: Phase
    hold_time: int = Field(default=300, ge=1, le=65535)  # nhrp.yang holdtime 1..65535
    registration_timeout: int | None = Field(default=None, ge=1, le=65535)  # nhrp.yang registration timeout
    mtu: int | None = Field(default=1400, ge=68, le=9976)  # interfaces.yang ip mtu 68.. (9976: tunnel max)
    tcp_mss: int | None = Field(default=1360, ge=500, le=1460)  # interfaces.yang ip tcp adjust-mss 500..1460
    bandwidth: int | None = Field(default=None, ge=1)
    routing: Routing
    crypto: Crypto = Crypto()
    fvrf: str | None = None
    multicast: bool = True
    nhs_style: Literal["modern", "classic"] = "modern"  # unset: what the host's ios_version writes
    nhrp_redirect: bool | None = None
    nhrp_shortcut: bool | None = None
    qos: dict[str, QosGroup] = Field(default_factory=dict)

    _v_auth = field_validator("nhrp_auth", mode="before")(_secret)

    @model_validator(mode="before")
    @classmethod
    def _nhs_style_for_version(cls, data: object, info: ValidationInfo) -> object:
        """How the NHS is written depends on the release: the one-line form needs 15.1(2)T or IOS-XE."""
        if not isinstance(data, dict):
            return data
        version = _version(info)
        style = data.get("nhs_style")
        if style is None:
            return {**data, "nhs_style": "modern" if version.nhs_nbma_form else "classic"}
        if style == "modern" and not version.nhs_nbma_form:
            raise ValueError(f"nhs_style modern ('ip nhrp nhs A nbma B') needs IOS 15.1(2)T or IOS-XE; "
                             f"this host runs {version}: use nhs_style: classic")
        return data

    @property
    def interface(self) -> str:
        return f"Tunnel{self.tunnel}"

    def redirect(self, hub: bool) -> bool:
        """``ip nhrp redirect``: hubs of a phase 3 cloud unless the intent says otherwise."""
        wanted = self.nhrp_redirect if self.nhrp_redirect is not None else self.phase == 3
        return hub and wanted

    def shortcut(self, hub: bool) -> bool:
        """``ip nhrp shortcut``: spokes of a phase 3 cloud unless the intent says otherwise."""
        wanted = self.nhrp_shortcut if self.nhrp_shortcut is not None else self.phase == 3
        return not hub and wanted


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

    @model_validator(mode="after")
    def _nat_consistent(self) -> Tunnel:
        if self.nat_public is not None and not self.nat:
            raise ValueError(f"nat: false contradicts nat_public {self.nat_public} (a public address "
                             "different from the local one is NAT); drop one of them")
        return self

    @property
    def interface(self) -> str:
        return self.spec.interface

    @property
    def behind_nat(self) -> bool:
        """The one answer to "is this member behind NAT" (``nat``, implied by ``nat_public``)."""
        return self.nat

    @property
    def public_nbma(self) -> IPv4Address | Dhcp:
        """The address other routers see: the NAT translation when behind NAT."""
        return self.nat_public or self.nbma

    @property
    def fixed_nbma(self) -> IPv4Address | None:
        """The public NBMA when others can map it statically (not learnt from DHCP), else None."""
        public = self.public_nbma
        return public if isinstance(public, IPv4Address) else None

    @property
    def dynamic_address(self) -> bool:
        """The local underlay address comes from DHCP (it may change under a live registration)."""
        return self.nbma == "dhcp"


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
    bgp_as: int | None = Field(default=None, ge=1, le=4294967295)
    router_id: IPv4Address | None = None
    lab_port: int | None = Field(default=None, ge=1, le=65535)
    ios_version: ios.IosVersion = ios.DEFAULT_VERSION

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

    def behind_nat_on(self, interface: str) -> bool:
        """Whether traffic leaving ``interface`` is NATed: any tunnel sourced there is behind NAT."""
        return any(t.behind_nat for t in self.tunnels if t.source == interface)

    def nat_public_for(self, interface: str) -> IPv4Address | None:
        """The NAT translation of ``interface`` when the intent knows it (underlay or tunnel ``nat_public``)."""
        under = self.underlay_for(interface)
        if under is not None and under.nat_public is not None:
            return under.nat_public
        return next((t.nat_public for t in self.tunnels if t.source == interface and t.nat_public), None)


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
            if hub.name == host.name or hub_tunnel.fixed_nbma is None:
                continue
            mappings.append(NhsMapping(tunnel_ip=hub_tunnel.tunnel_ip, nbma=hub_tunnel.fixed_nbma))
        return tuple(mappings)

    @property
    def hub_names(self) -> list[str]:
        return [h.name for h in self.hosts.values() if h.is_hub]

    @property
    def spoke_names(self) -> list[str]:
        return [h.name for h in self.hosts.values() if not h.is_hub]
