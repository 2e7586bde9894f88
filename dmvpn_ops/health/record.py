"""The health record: one versioned JSON document per nightly run (edges with uptimes and counters, findings)."""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from dmvpn_ops.health.history import HistoryStore
from dmvpn_ops.parse.facts import DmvpnPeer
from dmvpn_ops.results import Finding
from dmvpn_ops.secrets import mask
from dmvpn_ops.verify.observed import Edge, Side
from dmvpn_ops.verify.result import VerifyResult

__all__ = ["KIND", "VERSION", "Uptime", "SaCounters", "EdgeState", "NhrpErrors", "FindingState", "HealthRecord",
           "parse_uptime", "nhrp_errors", "build_record", "load_records", "UPTIME_SIGNALS", "uptime_signals"]

KIND: Literal["dmvpn-ops/health-record"] = "dmvpn-ops/health-record"
VERSION: Literal[1] = 1
EdgeKey = tuple[str, str, str]

# IOS shortens an uptime as it grows: 00:01:02, then 1d02h, 3w5d, 1y17w; the unit of the last
# field is how precise the value is, which flap detection needs (a 1d02h SA may be 1d02h59m old).
_UPTIME = (
    (re.compile(r"^(\d+):(\d{2}):(\d{2})$"), (3600, 60, 1), 1),
    (re.compile(r"^(\d+)d(\d{1,2})h$"), (86400, 3600), 3600),
    (re.compile(r"^(\d+)w(\d)d$"), (7 * 86400, 86400), 86400),
    (re.compile(r"^(\d+)y(\d{1,2})w$"), (365 * 86400, 7 * 86400), 7 * 86400),
    (re.compile(r"^(\d+)$"), (1,), 1),
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Uptime(_Model):
    """How long something has been up, and the precision IOS printed it with."""

    seconds: int
    resolution: int = 1
    lifetime: int | None = None   # an SA is re-keyed at its lifetime: a younger one is no flap then

    @property
    def upper(self) -> int:
        """The longest it may have been up (``1d02h`` is up to 1d02h59m59s)."""
        return self.seconds + self.resolution - 1


class SaCounters(_Model):
    """One end's IPsec SA towards the other end of the edge."""

    peer: str
    encaps: int
    decaps: int
    active: bool


class EdgeState(_Model):
    """One (cloud, hub, spoke) edge as a run saw it."""

    cloud: str
    hub: str
    spoke: str
    status: str
    registered: bool | None
    nbma: str | None
    uptimes: dict[str, Uptime] = {}          # registration | nhs | ike | routing
    counters: dict[str, SaCounters] = {}     # hub | spoke
    flaps_total: int = 0

    @property
    def key(self) -> EdgeKey:
        return (self.cloud, self.hub, self.spoke)


class NhrpErrors(_Model):
    """One tunnel's NHRP Error Indication counters (`show ip nhrp traffic`): they only grow until a reload."""

    sent: int
    rcvd: int


class FindingState(_Model):
    """A finding as history keeps it (identity: code, host, cloud, peer)."""

    code: str
    severity: str
    host: str | None = None
    cloud: str | None = None
    peer: str | None = None
    message: str = ""

    @property
    def key(self) -> tuple[str, str | None, str | None, str | None]:
        return (self.code, self.host, self.cloud, self.peer)

    @classmethod
    def of(cls, finding: Finding) -> FindingState:
        return cls(code=finding.code, severity=finding.severity.value, host=finding.host,
                   cloud=finding.cloud, peer=finding.peer, message=mask(finding.message))


class HealthRecord(_Model):
    """Version 1 of the nightly record; ``changes`` is the trend against the run before.

    ``schema_version`` names the shape (dmvpn_ops/schemas/health-record.schema.json); records written
    before it was called that carry ``version`` and are read the same.
    """

    kind: Literal["dmvpn-ops/health-record"] = KIND
    schema_version: Literal[1] = VERSION
    timestamp: float
    inventory: str
    mode: str
    exit_code: int
    summary: dict[str, Any]
    hosts: dict[str, str]
    edges: list[EdgeState]
    findings: list[FindingState]
    changes: dict[str, Any] = {}
    nhrp_errors: dict[str, dict[str, NhrpErrors]] = {}   # host -> tunnel -> counters (full mode only)

    @model_validator(mode="before")
    @classmethod
    def _legacy_version(cls, data: Any) -> Any:
        """Read records of the first release (``version`` before it was ``schema_version``)."""
        if isinstance(data, dict) and "version" in data and "schema_version" not in data:
            data = {("schema_version" if k == "version" else k): v for k, v in data.items()}
        return data

    def edge_map(self) -> dict[EdgeKey, EdgeState]:
        return {e.key: e for e in self.edges}

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def parse_uptime(text: object) -> Uptime | None:
    """``00:05:12`` / ``1d02h`` / ``3w5d`` / ``1y17w`` / seconds -> Uptime; ``never``, ``-``, junk -> None."""
    if isinstance(text, int):
        return Uptime(seconds=text)
    value = str(text or "").strip()
    for pattern, units, resolution in _UPTIME:
        match = pattern.match(value)
        if match:
            return Uptime(seconds=sum(int(g) * u for g, u in zip(match.groups(), units)), resolution=resolution)
    return None


def _up_row_time(side: Side | None) -> Uptime | None:
    if side is None or side.peer is None or not DmvpnPeer(side.peer).registered:
        return None
    return parse_uptime(side.peer.get("updn_time"))


def _ike_age(edge: Edge, result: VerifyResult) -> Uptime | None:
    """IKEv2 ``Life/Active Time``: the SA's age (IKEv1's table has none)."""
    for host, side in ((edge.hub, edge.hub_side), (edge.spoke, edge.spoke_side)):
        if side is None or side.ike is None or not side.ike.established or side.ike.version != 2:
            continue
        coll = result.collections.get(host)
        for rec in (coll.get("show crypto ikev2 sa") if coll else None) or []:
            if rec.get("remote") == side.ike.remote and rec.get("active_time") is not None:
                return Uptime(seconds=int(rec["active_time"]), lifetime=rec.get("lifetime"))
    return None


def _uptimes(edge: Edge, result: VerifyResult) -> dict[str, Uptime]:
    found = {"registration": _up_row_time(edge.hub_side), "nhs": _up_row_time(edge.spoke_side),
             "ike": _ike_age(edge, result)}
    neighbor = edge.hub_side.neighbor if edge.hub_side else None
    if neighbor is not None and neighbor.up:
        found["routing"] = parse_uptime(neighbor.state)  # EIGRP/BGP print an uptime, OSPF a state
    return {k: v for k, v in found.items() if v is not None}


UPTIME_SIGNALS = ("registration", "nhs", "ike", "routing")  # the keys of EdgeState.uptimes (_uptimes)


def uptime_signals(edge: Edge, asked: Collection[str]) -> tuple[str, ...]:
    """The uptimes ``edge`` has while it is up, given which hosts the run asked (``_uptimes`` reads them).

    The same set on every run of one mode and selection, whatever the edge's state, so a report can give
    each a series (0 while down) instead of one that comes and goes: registration is the hub's row, NHS the
    spoke's, the IKE SA age exists for IKEv2 only (IKEv1's table prints none), and the routing uptime for
    EIGRP and BGP (OSPF prints a state, not an age).
    """
    hub, spoke = edge.hub in asked, edge.spoke in asked
    wanted = {"registration": hub, "nhs": spoke, "ike": edge.intent.crypto == "ikev2" and (hub or spoke),
              "routing": hub and edge.intent.routing in ("eigrp", "bgp")}
    return tuple(signal for signal in UPTIME_SIGNALS if wanted[signal])


def _counters(edge: Edge) -> dict[str, SaCounters]:
    out = {}
    for label, side in (("hub", edge.hub_side), ("spoke", edge.spoke_side)):
        if side is not None and side.ipsec is not None:
            sa = side.ipsec
            out[label] = SaCounters(peer=sa.peer, encaps=sa.pkts_encaps, decaps=sa.pkts_decaps, active=sa.active)
    return out


def edge_state(edge: Edge, result: VerifyResult) -> EdgeState:
    return EdgeState(cloud=edge.cloud, hub=edge.hub, spoke=edge.spoke, status=edge.status,
                     registered=edge.registered, nbma=edge.observed_nbma,
                     uptimes=_uptimes(edge, result), counters=_counters(edge))


def nhrp_errors(result: VerifyResult) -> dict[str, dict[str, NhrpErrors]]:
    """Per host and tunnel, the Error Indications sent and received (hosts whose table parsed)."""
    out: dict[str, dict[str, NhrpErrors]] = {}
    for host, coll in sorted(result.collections.items()):
        for rec in coll.get("show ip nhrp traffic") or []:
            sent, rcvd = rec.get("sent_error_indication"), rec.get("rcvd_error_indication")
            if isinstance(sent, int) and isinstance(rcvd, int):
                out.setdefault(host, {})[str(rec["interface"])] = NhrpErrors(sent=sent, rcvd=rcvd)
    return out


def build_record(result: VerifyResult, *, timestamp: float, inventory: str,
                 extra_findings: Iterable[Finding] = ()) -> HealthRecord:
    """The record of one run (``changes`` and ``flaps_total`` are filled in after the trend)."""
    return HealthRecord(
        timestamp=timestamp, inventory=inventory, mode=result.mode, exit_code=result.exit_code,
        summary=result.summary(), hosts={n: s.status for n, s in sorted(result.hosts.items())},
        edges=[edge_state(e, result) for e in result.edges],
        findings=[FindingState.of(f) for f in [*result.findings, *extra_findings]],
        nhrp_errors=nhrp_errors(result))


def load_records(store: HistoryStore) -> list[HealthRecord]:
    """Every valid record, oldest first; files of another kind or version are skipped."""
    out = []
    for raw in store.records():
        try:
            out.append(HealthRecord.model_validate(raw))
        except ValidationError:
            continue
    return sorted(out, key=lambda r: r.timestamp)
