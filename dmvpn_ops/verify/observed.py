"""The observed cloud: each device's parsed tables indexed, and one Edge per (cloud, hub, spoke).

An edge joins the hub's view of the spoke (`show dmvpn` row, `show ip nhrp` entry, IKE SA, IPsec
SA, routing neighbour) with the spoke's view of the hub (NHS status, static entry, its IKE/IPsec
SA, its neighbour). A spoke is found on the hub by its *tunnel* address, so a spoke behind NAT is
matched whatever NBMA it registered with; both its translated and its claimed NBMA are kept.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from dmvpn_ops.collect.collect import HostCollection
from dmvpn_ops.collect.commands import ROUTING_COMMANDS
from dmvpn_ops.intent.model import Design, Host, Tunnel
from dmvpn_ops.parse import attribute_codes
from dmvpn_ops.parse.facts import DmvpnPeer, Ikev2Sa, IsakmpSa

__all__ = ["IkeSa", "IpsecSa", "Neighbor", "DeviceView", "Side", "EdgeIntent", "Edge",
           "device_view", "build_edges", "canonical_interface"]

_ABBREV = re.compile(r"^(Tu|Tun|Tunn|Tunne)(\d+)$", re.I)


def canonical_interface(name: str | None) -> str | None:
    """EIGRP prints `Tu100`; everything else `Tunnel100`."""
    if not name:
        return name
    match = _ABBREV.match(name)
    return f"Tunnel{match.group(2)}" if match else name


@dataclass(frozen=True)
class IkeSa:
    """IKEv1 and IKEv2 SAs in one model: established means QM_IDLE/ACTIVE (v1) or READY (v2)."""

    version: int
    local: str | None
    remote: str
    state: str
    established: bool

    @classmethod
    def from_isakmp(cls, rec: dict[str, Any]) -> list[IkeSa]:
        state = rec.get("state") or "?"
        ok = IsakmpSa(rec).established
        # IOS prints dst/src of the exchange, not local/remote: the peer is either column.
        return [cls(1, rec.get("src"), rec["dst"], state, ok), cls(1, rec.get("dst"), rec["src"], state, ok)]

    @classmethod
    def from_ikev2(cls, rec: dict[str, Any]) -> list[IkeSa]:
        status = rec.get("status") or "?"
        return [cls(2, rec.get("local"), rec["remote"], status, Ikev2Sa(rec).established)]


@dataclass(frozen=True)
class IpsecSa:
    """IPsec SAs with one peer on one interface, counters summed over its ident pairs."""

    interface: str | None
    peer: str
    mode: str | None
    nat_t: bool
    pkts_encaps: int
    pkts_decaps: int
    active: bool
    status: str | None


@dataclass(frozen=True)
class Neighbor:
    """A routing adjacency: ``up`` is EIGRP present, OSPF FULL, BGP Established."""

    protocol: str
    interface: str | None
    address: str
    state: str
    up: bool


@dataclass
class DeviceView:
    """One device's parsed tables, indexed for edge lookups. ``None`` tables were not collected."""

    host: str
    reachable: bool
    dmvpn: list[dict[str, Any]] | None = None
    nhrp: list[dict[str, Any]] | None = None
    nhs: list[dict[str, Any]] | None = None
    ike: list[IkeSa] | None = None
    ipsec: list[IpsecSa] | None = None
    neighbors: dict[str, list[Neighbor] | None] = field(default_factory=dict)
    interfaces: dict[str, dict[str, Any]] | None = None   # `show ip interface brief` by name

    def interface_up(self, name: str) -> bool | None:
        """Line protocol of ``name`` (None: not collected or unknown interface)."""
        if self.interfaces is None or name not in self.interfaces:
            return None
        row = self.interfaces[name]
        return row.get("status") == "up" and row.get("protocol") == "up"

    _index: dict[str, dict[tuple[Any, ...], list[Any]]] = field(default_factory=dict, repr=False)

    def _lookup(self, table: str, key: tuple[Any, ...]) -> list[Any]:
        """Rows of ``table`` by key, indexed on first use (a 1,000-spoke hub has 1,000 rows)."""
        index = self._index.get(table)
        if index is None:
            index = self._index[table] = {}
            keys = {"dmvpn": ("interface", "peer_tunnel"), "nhrp": ("interface", "prefix"),
                    "nhs": ("interface", "nhs")}
            if table in keys:
                a, b = keys[table]
                for r in getattr(self, table) or []:
                    index.setdefault((r.get(a), r.get(b)), []).append(r)
            elif table == "ike":
                for sa in self.ike or []:
                    index.setdefault((sa.remote,), []).append(sa)
            elif table == "ipsec":
                for ipsec in self.ipsec or []:
                    index.setdefault((ipsec.peer,), []).append(ipsec)
            else:
                for n in self.neighbors.get(table) or []:
                    index.setdefault((n.address,), []).append(n)
        return index.get(key, [])

    def dmvpn_row(self, interface: str, tunnel_ip: str) -> dict[str, Any] | None:
        rows = list(self._lookup("dmvpn", (interface, tunnel_ip)))
        # A static NHS row or a registration beats a spoke-to-spoke resolution row.
        rows.sort(key=lambda r: (not DmvpnPeer(r).registered, "T1" in attribute_codes(r["attributes"])))
        return rows[0] if rows else None

    def nhrp_entry(self, interface: str, tunnel_ip: str) -> dict[str, Any] | None:
        found = self._lookup("nhrp", (interface, f"{tunnel_ip}/32"))
        return found[0] if found else None

    def nhs_entry(self, interface: str, nhs_ip: str) -> dict[str, Any] | None:
        found = self._lookup("nhs", (interface, nhs_ip))
        return found[0] if found else None

    def ike_sa(self, peer: str | None) -> IkeSa | None:
        if self.ike is None or not peer:
            return None
        found = sorted(self._lookup("ike", (peer,)), key=lambda sa: not sa.established)
        found.sort(key=lambda sa: not sa.established)
        return found[0] if found else None

    def ipsec_sa(self, interface: str, peer: str | None) -> IpsecSa | None:
        if self.ipsec is None or not peer:
            return None
        found = list(self._lookup("ipsec", (peer,)))
        # `tunnel protection ... shared` may account both clouds' traffic on one tunnel.
        found.sort(key=lambda sa: (sa.interface != interface, not sa.active))
        return found[0] if found else None

    def neighbor(self, protocol: str, interface: str, address: str) -> Neighbor | None:
        table = self.neighbors.get(protocol)
        if table is None:
            return None
        found = [n for n in self._lookup(protocol, (address,))
                 if n.interface is None or n.interface == interface]
        found.sort(key=lambda n: not n.up)
        return found[0] if found else None

    def has_routing(self, protocol: str) -> bool:
        return self.neighbors.get(protocol) is not None


def _ipsec(records: list[dict[str, Any]]) -> list[IpsecSa]:
    grouped: dict[tuple[str | None, str], list[dict[str, Any]]] = {}
    for rec in records:
        if rec.get("peer"):
            grouped.setdefault((rec.get("interface"), rec["peer"]), []).append(rec)
    out = []
    for (interface, peer), recs in grouped.items():
        with_sa = [r for r in recs if r.get("inbound_spis") or r.get("outbound_spis")] or recs
        statuses: list[str] = [str(r["status"]) for r in with_sa if r.get("status")]
        out.append(IpsecSa(
            interface=interface, peer=peer,
            mode=next((r["mode"] for r in with_sa if r.get("mode")), None),
            nat_t=any(r.get("nat_t") for r in with_sa),
            pkts_encaps=sum(r.get("pkts_encaps") or 0 for r in recs),
            pkts_decaps=sum(r.get("pkts_decaps") or 0 for r in recs),
            active=any(s.startswith("ACTIVE") for s in statuses),
            status=statuses[0] if statuses else None))
    return out


def _neighbors(protocol: str, records: list[dict[str, Any]]) -> list[Neighbor]:
    out = []
    for rec in records:
        if protocol == "eigrp":
            out.append(Neighbor("eigrp", canonical_interface(rec.get("interface")), rec["address"],
                                rec.get("uptime") or "up", True))
        elif protocol == "ospf":
            state = rec.get("state") or ""
            out.append(Neighbor("ospf", canonical_interface(rec.get("interface")), rec["address"], state,
                                state.upper().startswith("FULL")))
        else:
            state = rec.get("state") or ""
            out.append(Neighbor("bgp", None, rec["neighbor"], state, state == "Established"))
    return out


def device_view(collection: HostCollection) -> DeviceView:
    """Index one device's parsed records (tables that failed to parse stay ``None``)."""
    get = collection.get
    view = DeviceView(collection.host, collection.reachable, dmvpn=get("show dmvpn"),
                      nhrp=get("show ip nhrp"), nhs=get("show ip nhrp nhs"))
    brief = get("show ip interface brief")
    view.interfaces = None if brief is None else {r["interface"]: r for r in brief}
    v1, v2 = get("show crypto isakmp sa"), get("show crypto ikev2 sa")
    if v1 is not None or v2 is not None:
        view.ike = [sa for r in v1 or [] for sa in IkeSa.from_isakmp(r)]
        view.ike += [sa for r in v2 or [] for sa in IkeSa.from_ikev2(r)]
    sas = get("show crypto ipsec sa")
    view.ipsec = None if sas is None else _ipsec(sas)
    for protocol, command in ROUTING_COMMANDS.items():
        records = get(command)
        view.neighbors[protocol] = None if records is None else _neighbors(protocol, records)
    return view


@dataclass(frozen=True)
class EdgeIntent:
    """What the intent says an edge looks like."""

    spoke_tunnel_ip: str
    spoke_nbma: str | None          # the address the hub should see (NAT public), None if DHCP
    spoke_private_nbma: str | None  # behind NAT: the address the spoke claims (None if DHCP)
    nat: bool
    hub_tunnel_ip: str
    hub_nbma: str | None
    crypto: str                        # none | ikev1 | ikev2
    ipsec_mode: str                    # the negotiated mode: transport only if both ends ask for it
    routing: str
    phase: int


@dataclass
class Side:
    """One end's view of the other end of an edge (absent parts are None)."""

    peer: dict[str, Any] | None = None      # `show dmvpn` row
    nhrp: dict[str, Any] | None = None      # `show ip nhrp` entry (hub side)
    nhs: dict[str, Any] | None = None       # `show ip nhrp nhs` entry (spoke side)
    ike: IkeSa | None = None
    ipsec: IpsecSa | None = None
    neighbor: Neighbor | None = None
    tables: tuple[str, ...] = ()               # which tables the device gave us

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Edge:
    """One (cloud, hub, spoke) pair with both ends' views; a view is None if not collected."""

    cloud: str
    hub: str
    spoke: str
    hub_interface: str
    spoke_interface: str
    intent: EdgeIntent
    hub_side: Side | None = None
    spoke_side: Side | None = None
    status: str = "unknown"                     # up | degraded | down | unknown (set by compare)

    @property
    def registered(self) -> bool | None:
        if self.hub_side is None:
            return None
        return self.hub_side.peer is not None and DmvpnPeer(self.hub_side.peer).registered

    @property
    def observed_nbma(self) -> str | None:
        if self.hub_side and self.hub_side.peer:
            return self.hub_side.peer.get("peer_nbma")
        if self.hub_side and self.hub_side.nhrp:
            return self.hub_side.nhrp.get("nbma")
        return None

    @property
    def ipsec(self) -> IpsecSa | None:
        for side in (self.hub_side, self.spoke_side):
            if side and side.ipsec:
                return side.ipsec
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"cloud": self.cloud, "hub": self.hub, "spoke": self.spoke, "status": self.status,
                "registered": self.registered, "observed_nbma": self.observed_nbma,
                "intent": asdict(self.intent),
                "hub_view": self.hub_side.to_dict() if self.hub_side else None,
                "spoke_view": self.spoke_side.to_dict() if self.spoke_side else None}


def _addr(value: object) -> str | None:
    return None if value in (None, "dhcp") else str(value)


def edge_intent(hub_t: Tunnel, spoke_t: Tunnel) -> EdgeIntent:
    both_transport = hub_t.spec.crypto.mode == spoke_t.spec.crypto.mode == "transport"
    return EdgeIntent(
        spoke_tunnel_ip=str(spoke_t.tunnel_ip), spoke_nbma=_addr(spoke_t.public_nbma),
        spoke_private_nbma=_addr(spoke_t.nbma) if spoke_t.behind_nat else None,
        nat=spoke_t.behind_nat, hub_tunnel_ip=str(hub_t.tunnel_ip),
        hub_nbma=_addr(hub_t.public_nbma), crypto=spoke_t.spec.crypto.type,
        ipsec_mode="transport" if both_transport else "tunnel",
        routing=spoke_t.spec.routing.protocol, phase=spoke_t.spec.phase)


def _tables(view: DeviceView) -> tuple[str, ...]:
    names = [n for n in ("dmvpn", "nhrp", "nhs", "ike", "ipsec") if getattr(view, n) is not None]
    return tuple(names + [p for p, t in view.neighbors.items() if t is not None])


def hub_side(view: DeviceView, hub_t: Tunnel, intent: EdgeIntent) -> Side:
    iface = hub_t.interface
    peer = view.dmvpn_row(iface, intent.spoke_tunnel_ip)
    nhrp = view.nhrp_entry(iface, intent.spoke_tunnel_ip)
    seen = (peer or {}).get("peer_nbma") or (nhrp or {}).get("nbma") or intent.spoke_nbma
    return Side(peer=peer, nhrp=nhrp, ike=view.ike_sa(seen), ipsec=view.ipsec_sa(iface, seen),
                neighbor=view.neighbor(intent.routing, iface, intent.spoke_tunnel_ip), tables=_tables(view))


def spoke_side(view: DeviceView, spoke_t: Tunnel, intent: EdgeIntent) -> Side:
    iface = spoke_t.interface
    peer = view.dmvpn_row(iface, intent.hub_tunnel_ip)
    nhs = view.nhs_entry(iface, intent.hub_tunnel_ip)
    seen = (nhs or {}).get("nbma") or (peer or {}).get("peer_nbma") or intent.hub_nbma
    return Side(peer=peer, nhs=nhs, ike=view.ike_sa(seen), ipsec=view.ipsec_sa(iface, seen),
                neighbor=view.neighbor(intent.routing, iface, intent.hub_tunnel_ip), tables=_tables(view))


def build_edges(design: Design, views: dict[str, DeviceView]) -> list[Edge]:
    """One Edge per (cloud, hub, spoke) of the intent, filled from the reachable devices' views.

    A spoke whose explicit NHS list leaves a hub out has no edge with that hub.
    """
    edges = []
    for cloud, members in design.clouds.items():  # `clouds` is computed: read it once
        hubs = [(h, t) for h, t in members if h.is_hub]
        spokes = [(h, t) for h, t in members if not h.is_hub]
        for hub, hub_t in hubs:
            for spoke, spoke_t in spokes:
                if not _uses_hub(spoke_t, hub_t, hubs):
                    continue
                intent = edge_intent(hub_t, spoke_t)
                edge = Edge(cloud, hub.name, spoke.name, hub_t.interface, spoke_t.interface, intent)
                hv, sv = views.get(hub.name), views.get(spoke.name)
                if hv is not None and hv.reachable:
                    edge.hub_side = hub_side(hv, hub_t, intent)
                if sv is not None and sv.reachable:
                    edge.spoke_side = spoke_side(sv, spoke_t, intent)
                edges.append(edge)
    return edges


def _uses_hub(spoke_t: Tunnel, hub_t: Tunnel, hubs: list[tuple[Host, Tunnel]]) -> bool:
    """Explicit NHS list of the spoke, else every hub with a fixed NBMA (as ``Design.nhs_for``)."""
    if spoke_t.nhs is not None:
        return any(m.tunnel_ip == hub_t.tunnel_ip for m in spoke_t.nhs)
    return hub_t.fixed_nbma is not None
