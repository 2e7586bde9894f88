"""What each end runs on its IKE SAs (`show crypto ikev2 sa detail`, `show crypto isakmp sa detail`; full
mode) against the intent.

IKEv2 negotiates neither DPD nor the SA lifetime: each end prints its own configured values
(`DPD configured for 10 seconds, retry 3`, `Life/Active Time: 86400/...`; RFC 7296 2.8 leaves
re-keying to each end's local policy, 2.4 liveness checks likewise). So each end is compared
with its own tunnel's ``crypto.dpd`` / ``crypto.lifetime``. An end without DPD keeps the SAs of
a reloaded peer until their lifetime ends, and its NHRP keeps registering into a dead SA: a warning,
never an outage. IKEv1 shows DPD as the `D` capability of the SA (Cisco IOS Security Command
Reference, show crypto isakmp sa detail: "D - Dead Peer Detection"); its lifetime column is the
time left, and the lifetime is negotiated, so only DPD is judged there.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dmvpn_ops.collect.collect import HostCollection
from dmvpn_ops.intent.model import Crypto, Design
from dmvpn_ops.parse.facts import Ikev2Sa
from dmvpn_ops.results import Finding, Severity
from dmvpn_ops.verify.observed import Edge, Side

__all__ = ["DETAIL", "V1_DETAIL", "CODES", "check_ike_options"]

DETAIL = "show crypto ikev2 sa detail"
V1_DETAIL = "show crypto isakmp sa detail"
CODES = ("IKE_DPD_MISSING", "IKE_DPD_MISMATCH", "IKE_LIFETIME_MISMATCH")
_GROUPED = {"IKE_DPD_MISSING": "run without dead peer detection; the intent asks for it",
            "IKE_DPD_MISMATCH": "run another DPD interval/retry than the intent's",
            "IKE_LIFETIME_MISMATCH": "have another lifetime than the intent's"}
W = Severity.WARNING


def _sides(design: Design, edge: Edge) -> Iterator[tuple[str, str, Side, Crypto]]:
    """(this end, the other end, this end's view, this end's intended crypto) for both ends."""
    for host, other, side in ((edge.hub, edge.spoke, edge.hub_side), (edge.spoke, edge.hub, edge.spoke_side)):
        tunnel = design.hosts[host].tunnel_for(edge.cloud)
        if side is not None and side.ike is not None and tunnel is not None:
            yield host, other, side, tunnel.spec.crypto


def _detail(records: list[dict[str, Any]] | None, remote: str) -> dict[str, Any] | None:
    """The established SA to ``remote`` in the detail table (None: no such row, or not collected)."""
    return next((r for r in records or [] if r.get("remote") == remote and Ikev2Sa(r).established), None)


def _dpd(host: str, other: str, cloud: str, crypto: Crypto, rec: dict[str, Any]) -> list[Finding]:
    want = crypto.dpd
    if want is None or rec.get("dpd_interval") is None:  # intent without DPD, or a release not printing it
        return []
    seen = {"interval": rec["dpd_interval"], "retry": rec.get("dpd_retry")}
    expected = {"interval": want.interval, "retry": want.retry}
    if not rec["dpd_interval"]:
        return [Finding("IKE_DPD_MISSING", W, f"{host}: IKEv2 SA to {other} ({rec['remote']}) runs without dead "
                        "peer detection; the intent asks for it", host=host, cloud=cloud, peer=other,
                        expected=expected, observed=seen,
                        hint=f"`dpd {want.interval} {want.retry} {want.mode}` in the IKEv2 profile: without "
                             "it the SAs of a rebooted peer stay until their lifetime ends")]
    if seen != expected:
        return [Finding("IKE_DPD_MISMATCH", W, f"{host}: IKEv2 SA to {other} runs DPD every {seen['interval']} s, "
                        f"retry {seen['retry']}; the intent says {want.interval} s, retry {want.retry}",
                        host=host, cloud=cloud, peer=other, expected=expected, observed=seen,
                        hint="re-deploy the host: its IKEv2 profile differs from the rendered one")]
    return []


def _v1_detail(records: list[dict[str, Any]] | None, remote: str) -> dict[str, Any] | None:
    """The ACTIVE IKEv1 SA with ``remote`` at either end (IOS prints the exchange's ends)."""
    return next((r for r in records or [] if remote in (r.get("remote"), r.get("local"))
                 and r.get("status") == "ACTIVE"), None)


def _v1_dpd(host: str, other: str, cloud: str, crypto: Crypto, rec: dict[str, Any]) -> list[Finding]:
    """IKEv1: the `Cap.` column shows `D` for an SA running DPD (`crypto isakmp keepalive`)."""
    want = crypto.dpd
    if want is None or "D" in (rec.get("capabilities") or []):
        return []
    return [Finding("IKE_DPD_MISSING", W, f"{host}: IKEv1 SA to {other} ({rec['remote']}) runs without dead "
                    "peer detection; the intent asks for it", host=host, cloud=cloud, peer=other,
                    expected={"capabilities": "D"}, observed={"capabilities": rec.get("capabilities") or []},
                    hint=f"`crypto isakmp keepalive {want.interval} {want.retry} {want.mode}`: without it the "
                         "SAs of a rebooted peer stay until their lifetime ends")]


def _lifetime(host: str, other: str, cloud: str, crypto: Crypto, rec: dict[str, Any]) -> list[Finding]:
    seen = rec.get("lifetime")
    if seen is None or seen == crypto.lifetime:
        return []
    return [Finding("IKE_LIFETIME_MISMATCH", W, f"{host}: IKEv2 SA to {other} has a {seen} s lifetime; the "
                    f"intent says {crypto.lifetime} s", host=host, cloud=cloud, peer=other,
                    expected=crypto.lifetime, observed=seen,
                    hint="re-deploy the host (IKEv2 profile `lifetime`); re-keys then happen when planned")]


def check_ike_options(design: Design, edges: list[Edge],
                      collections: Mapping[str, HostCollection]) -> list[Finding]:
    """IKE_DPD_MISSING / IKE_DPD_MISMATCH / IKE_LIFETIME_MISMATCH per end of each IKEv2 edge.

    Args:
        design: the intent (each end's ``crypto.dpd`` and ``crypto.lifetime``).
        edges: the run's edges (each end's established IKE SA towards the other).
        collections: the run's outputs; ends whose detail table was not collected are skipped.

    Returns:
        One finding per (end, code), each SA judged once even when two clouds share it.
    """
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for edge in edges:
        for host, other, side, crypto in _sides(design, edge):
            coll = collections.get(host)
            ike = side.ike
            if coll is None or ike is None or not ike.established or (host, ike.remote) in seen:
                continue
            if ike.version == 2 and crypto.type == "ikev2":
                rec = _detail(coll.get(DETAIL), ike.remote)
                if rec is not None:
                    out += _dpd(host, other, edge.cloud, crypto, rec) + _lifetime(host, other, edge.cloud, crypto, rec)
            elif ike.version == 1 and crypto.type == "ikev1":  # v1 lifetimes are negotiated (the lower wins)
                rec = _v1_detail(coll.get(V1_DETAIL), ike.remote)
                if rec is not None:
                    out += _v1_dpd(host, other, edge.cloud, crypto, rec)
            seen.add((host, ike.remote))
    return _per_host(out)


def _per_host(found: list[Finding]) -> list[Finding]:
    """A hub whose profile lacks DPD says so once for all its spokes, naming each SA in ``observed``."""
    groups: dict[tuple[str, str | None, str | None], list[Finding]] = {}
    for f in found:
        groups.setdefault((f.code, f.host, f.cloud), []).append(f)
    out = []
    for (code, host, cloud), items in groups.items():
        if len(items) == 1:
            out.append(items[0])
            continue
        first = items[0]
        peers = ", ".join(sorted(str(f.peer) for f in items))
        out.append(Finding(code, first.severity, f"{host}: {len(items)} IKE SAs of {cloud} (to {peers}) "
                           f"{_GROUPED[code]}", host=host, cloud=cloud, peer=None, expected=first.expected,
                           observed={f.peer: f.observed for f in items}, hint=first.hint))
    return out
