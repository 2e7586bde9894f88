"""One function per check: each reads an Edge or a DeviceView and returns Findings (never raises).

Edge findings name the spoke as ``host`` and the hub as ``peer``; ``compare`` later moves a
finding that every spoke of a hub shares onto the hub (the common cause).
"""
from __future__ import annotations

from typing import Any

from dmvpn_ops.collect.collect import HostCollection
from dmvpn_ops.intent.model import Design
from dmvpn_ops.parse import attribute_codes
from dmvpn_ops.parse.facts import DmvpnPeer, NhsRecord
from dmvpn_ops.results import Finding, Severity
from dmvpn_ops.verify.ike_options import CODES as IKE_OPTION_CODES
from dmvpn_ops.verify.observed import DeviceView, Edge, IpsecSa

__all__ = ["check_reachable", "check_parsed", "check_interfaces", "check_ike", "check_registration",
           "check_nhs", "check_nbma", "check_ipsec", "check_routing", "check_views_agree",
           "check_unknown_peers", "check_spoke_entries", "EDGE_CHECKS", "CODES"]

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES = ("DEVICE_UNREACHABLE", "UNPARSEABLE_OUTPUT", "INTERFACE_DOWN", "IKE_NOT_ESTABLISHED",
         "SPOKE_NOT_REGISTERED", "STUCK_STATE", "NHS_DOWN", "WRONG_NBMA", "WRONG_TUNNEL_IP",
         "IPSEC_NO_TRAFFIC", "IPSEC_MODE_MISMATCH", "ROUTING_NEIGHBOR_MISSING", "VIEWS_DISAGREE",
         "UNKNOWN_PEER", "UNEXPECTED_SHORTCUT", "SHORTCUT_MISSING", "PROBE_FAILED", "DEVICE_UNRESPONSIVE",
         "HOST_KEY_CHANGED", "HOST_KEY_UNKNOWN", "OUTPUT_TOO_LARGE") + IKE_OPTION_CODES

# More unknown peers than this on one tunnel is a flood (or a poisoned cache): one summarised finding.
UNKNOWN_PEER_DETAIL = 5


def _edge(edge: Edge, code: str, severity: Severity, message: str, expected: Any = None,
          observed: Any = None, hint: str | None = None) -> Finding:
    return Finding(code, severity, message, host=edge.spoke, cloud=edge.cloud, peer=edge.hub,
                   expected=expected, observed=observed, hint=hint)


def _row_summary(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: row.get(k) for k in ("peer_nbma", "peer_tunnel", "state", "updn_time", "attributes")}


# ---------------------------------------------------------------- device checks

_UNREACHABLE_CODES = {
    "unresponsive": ("DEVICE_UNRESPONSIVE", "the device logged us in, then stopped answering (a stalled vty or "
                     "a pager that never ends): check its CPU and `terminal length 0` support; raise --timeout"),
    "host_key_changed": ("HOST_KEY_CHANGED", "someone may be impersonating the device: check it out-of-band; "
                         "if its key was regenerated, `dmvpn-ops known-hosts forget HOST`"),
    "host_key_unknown": ("HOST_KEY_UNKNOWN", "--host-keys strict refuses keys not in known_hosts: add the "
                         "checked key, or run once with --host-keys tofu"),
}


def check_reachable(coll: HostCollection) -> list[Finding]:
    """DEVICE_UNREACHABLE (no SSH, login refused, timed out, dropped), DEVICE_UNRESPONSIVE, HOST_KEY_*."""
    if coll.error is None:
        return []
    if coll.error_kind in _UNREACHABLE_CODES:
        code, why = _UNREACHABLE_CODES[coll.error_kind or ""]
        return [Finding(code, E, f"{coll.host}: {coll.error}", host=coll.host,
                        observed={"kind": coll.error_kind, "collected": sorted(coll.outputs), **coll.host_key},
                        hint=why.replace("HOST", coll.host))]
    hint = {"auth": "check the username/password (env:) and AAA on the device",
            "timeout": "the device answers too slowly: raise --timeout or check its CPU",
            "dropped": "the SSH session was closed mid-run: check VTY limits and exec-timeout",
            }.get(coll.error_kind or "", "check the management address, port and that SSH is enabled")
    return [Finding("DEVICE_UNREACHABLE", E, f"{coll.host}: {coll.error}", host=coll.host,
                    observed={"kind": coll.error_kind, "collected": sorted(coll.outputs)}, hint=hint)]


def check_parsed(coll: HostCollection) -> list[Finding]:
    """UNPARSEABLE_OUTPUT / OUTPUT_TOO_LARGE: one per command whose answer could not be used."""
    return [Finding("OUTPUT_TOO_LARGE", E, f"{coll.host}: `{cmd}` answered {why}; the output was cut and "
                    "not parsed", host=coll.host, expected=cmd, observed=why,
                    hint="a hostile or broken device, or a table far beyond the design: check the device")
            for cmd, why in coll.too_large.items()] + [Finding("UNPARSEABLE_OUTPUT", E, f"{coll.host}: `{cmd}` output is not parseable: {reason}",
                    host=coll.host, expected=cmd, observed=(coll.outputs.get(cmd) or "")[:400],
                    hint="save it with --save-raw and try `dmvpn-ops parse`; the IOS version may "
                         "print an unexpected format, or the session was truncated")
            for cmd, reason in coll.parse_errors.items()]


def check_interfaces(view: DeviceView, design: Design) -> list[Finding]:
    """INTERFACE_DOWN: a cloud's tunnel or its underlay (tunnel source) is not up/up."""
    host = design.hosts[view.host]
    out = []
    for tunnel in host.tunnels:
        for name, what in ((tunnel.source, "underlay"), (tunnel.interface, "tunnel")):
            if view.interface_up(name) is False:
                row = (view.interfaces or {}).get(name, {})
                out.append(Finding("INTERFACE_DOWN", E, f"{view.host}: {what} interface {name} is "
                                   f"{row.get('status')}/{row.get('protocol')}", host=view.host,
                                   cloud=tunnel.cloud, expected="up/up",
                                   observed=f"{row.get('status')}/{row.get('protocol')}",
                                   hint="check the link and `shutdown`; a tunnel is up only while "
                                        "its source interface is up and addressed"))
                break
    return out


def check_unknown_peers(view: DeviceView, design: Design, cloud: str) -> list[Finding]:
    """UNKNOWN_PEER (rogue, poisoned cache) and WRONG_TUNNEL_IP: rows whose tunnel address is no member.

    Hubs and spokes alike: a rogue peer that resolved spoke-to-spoke (phase 2/3) or a poisoned NHRP
    cache shows on a spoke only. More than ``UNKNOWN_PEER_DETAIL`` unknown rows become one finding.
    """
    device = design.hosts[view.host]
    tunnel = device.tunnel_for(cloud)
    if tunnel is None or view.dmvpn is None:
        return []
    members = {str(t.tunnel_ip): h.name for h, t in design.clouds[cloud]}
    by_nbma = {str(t.fixed_nbma): h.name for h, t in design.spokes(cloud) if t.fixed_nbma is not None}
    rows = [r for r in view.dmvpn if r.get("interface") == tunnel.interface and r.get("peer_tunnel")
            and r.get("peer_tunnel") not in members]
    strangers = [r for r in rows if by_nbma.get(r.get("peer_nbma") or "") is None]
    if len(strangers) > UNKNOWN_PEER_DETAIL:
        known = [r for r in rows if by_nbma.get(r.get("peer_nbma") or "") is not None]
        return _misnumbered(view, design, cloud, known) + \
            [_unknown_flood(view, cloud, tunnel.interface, strangers, members)]
    return _misnumbered(view, design, cloud, rows, tunnel.interface, members)


def _unknown_flood(view: DeviceView, cloud: str, interface: str, rows: list[dict[str, Any]],
                   members: dict[str, str]) -> Finding:
    sample = [_row_summary(r) for r in rows[:UNKNOWN_PEER_DETAIL]]
    return Finding("UNKNOWN_PEER", E, f"{view.host}: {len(rows):,} unknown peers on {interface} (first: "
                   f"{', '.join(str(r.get('peer_tunnel')) for r in rows[:3])}, ...)", host=view.host, cloud=cloud,
                   peer=None, expected=sorted(members), observed={"count": len(rows), "sample": sample},
                   hint="a flood of NHRP entries nobody intended: a rogue router or a poisoned cache; check NHRP "
                        "authentication, rotate the PSK, and `clear ip nhrp` once the source is found")


def _misnumbered(view: DeviceView, design: Design, cloud: str, rows: list[dict[str, Any]],
                 interface: str = "", members: dict[str, str] | None = None) -> list[Finding]:
    """WRONG_TUNNEL_IP for rows whose NBMA is a member's; UNKNOWN_PEER (one each) for the others."""
    by_nbma = {str(t.fixed_nbma): h.name for h, t in design.spokes(cloud) if t.fixed_nbma is not None}
    out = []
    for row in rows:
        ip = row.get("peer_tunnel")
        owner = by_nbma.get(row.get("peer_nbma") or "")
        if owner is not None:
            theirs = design.hosts[owner].tunnel_for(cloud)
            expected, where = (str(theirs.tunnel_ip), theirs.interface) if theirs else ("?", "the tunnel")
            out.append(Finding("WRONG_TUNNEL_IP", E, f"{owner} registered on {view.host} with tunnel "
                               f"address {ip} instead of {expected}", host=owner, cloud=cloud,
                               peer=view.host, expected=expected, observed=_row_summary(row),
                               hint=f"fix `ip address` on {where} of {owner}"))
        else:
            out.append(Finding("UNKNOWN_PEER", E, f"{view.host}: unknown peer {ip} (NBMA "
                               f"{row.get('peer_nbma')}) registered on {interface}", host=view.host,
                               cloud=cloud, peer=ip, expected=sorted(members or {}), observed=_row_summary(row),
                               hint="a router outside the intent knows the tunnel key, NHRP "
                                    "authentication and PSK: rotate the PSK and find the device "
                                    f"at NBMA {row.get('peer_nbma')}"))
    return out


def check_spoke_entries(view: DeviceView, design: Design, cloud: str) -> list[Finding]:
    """UNEXPECTED_SHORTCUT (phase 1 spoke-to-spoke entries) and STUCK_STATE (IX / UNKNOWN / not UP)."""
    host = design.hosts[view.host]
    tunnel = host.tunnel_for(cloud)
    if tunnel is None or view.dmvpn is None or host.is_hub:
        return []
    hubs = {str(t.tunnel_ip) for _, t in design.hubs(cloud)}
    names = {str(t.tunnel_ip): h.name for h, t in design.clouds[cloud]}
    out = []
    for row in view.dmvpn:
        ip = row.get("peer_tunnel")
        if row.get("interface") != tunnel.interface or ip in hubs or ip not in names:
            continue  # unknown peers are check_unknown_peers' (one finding, not one per row)
        codes = attribute_codes(row.get("attributes") or [])
        peer = names.get(ip or "", ip)
        if "X" in codes or row.get("peer_nbma") == "UNKNOWN" or not DmvpnPeer(row).registered:
            out.append(Finding("STUCK_STATE", W, f"{view.host}: entry for {peer} stuck in state "
                               f"{row.get('state')} ({''.join(row.get('attributes') or [])})",
                               host=view.host, cloud=cloud, peer=peer, expected="UP",
                               observed=_row_summary(row),
                               hint="resolution never completed: check the peer's NBMA reachability "
                                    "and IKE (UDP 500/4500), then `clear ip nhrp`"))
        elif tunnel.spec.phase == 1:
            out.append(Finding("UNEXPECTED_SHORTCUT", E, f"{view.host}: phase 1 cloud has a direct "
                               f"spoke-to-spoke entry to {peer}", host=view.host, cloud=cloud, peer=peer,
                               expected="traffic via the hub", observed=_row_summary(row),
                               hint="a phase 1 spoke should use a point-to-point tunnel or no NHRP "
                                    "resolution: check the spoke's tunnel mode and `ip nhrp shortcut`"))
    return out


# ---------------------------------------------------------------- edge checks

def check_ike(edge: Edge) -> list[Finding]:
    """IKE_NOT_ESTABLISHED: an SA exists but is not QM_IDLE/READY, or NHRP waits in state IKE."""
    if edge.intent.crypto == "none":
        return []
    evidence = {}
    for label, side in (("hub", edge.hub_side), ("spoke", edge.spoke_side)):
        if side is None:
            continue
        if side.ike is not None and not side.ike.established:
            evidence[label] = f"IKEv{side.ike.version} {side.ike.state}"
        elif side.peer is not None and DmvpnPeer(side.peer).waiting_for_ike:
            evidence[label] = "NHRP entry in state IKE" + (
                "" if side.ike is not None or "ike" not in side.tables else ", no IKE SA")
        elif side.peer is not None and DmvpnPeer(side.peer).registered and side.ike is None \
                and "ike" in side.tables:
            # A registration outlives its IKE SA until the hold time expires (stale entry).
            evidence[label] = "NHRP entry UP but no IKE SA"
    if not evidence:
        return []
    version = "IKEv2 READY" if edge.intent.crypto == "ikev2" else "IKEv1 QM_IDLE"
    return [_edge(edge, "IKE_NOT_ESTABLISHED", E, f"{edge.spoke} <-> {edge.hub}: IKE not established "
                  f"({'; '.join(f'{k}: {v}' for k, v in evidence.items())})", expected=version,
                  observed=evidence, hint="compare the pre-shared key (env: reference), IKE proposal "
                  "and that UDP 500/4500 pass; `show crypto isakmp/ikev2 sa` on both ends")]


def check_registration(edge: Edge) -> list[Finding]:
    """SPOKE_NOT_REGISTERED (no entry on the hub) or STUCK_STATE (entry present but not UP)."""
    side = edge.hub_side
    if side is None or "dmvpn" not in side.tables:
        return []
    row = side.peer
    if row is None:
        return [_edge(edge, "SPOKE_NOT_REGISTERED", E, f"{edge.spoke} ({edge.intent.spoke_tunnel_ip}) "
                      f"is not registered on {edge.hub} {edge.hub_interface}",
                      expected={"tunnel_ip": edge.intent.spoke_tunnel_ip, "nbma": edge.intent.spoke_nbma},
                      observed=None, hint=f"on {edge.spoke}: `show ip nhrp nhs` and `show dmvpn`; "
                      "check underlay reachability, tunnel key, NHRP authentication and IPsec")]
    if DmvpnPeer(row).registered:
        return []
    if DmvpnPeer(row).waiting_for_ike and edge.intent.crypto != "none":
        return []  # reported by check_ike
    return [_edge(edge, "STUCK_STATE", E, f"{edge.spoke} is stuck in state {row.get('state')} on "
                  f"{edge.hub} ({''.join(row.get('attributes') or [])}, {row.get('updn_time')})",
                  expected="UP", observed=_row_summary(row),
                  hint="NHRP registration is not completing: check NHRP authentication and tunnel "
                       "key on both ends; `clear ip nhrp` on the spoke")]


def check_nhs(edge: Edge) -> list[Finding]:
    """NHS_DOWN: the spoke's NHS entry for the hub is not Responding (or missing)."""
    side = edge.spoke_side
    if side is None or "nhs" not in side.tables:
        return []
    nhs = side.nhs
    flags = (nhs or {}).get("flags") or []
    if nhs is not None and NhsRecord(nhs).responding:
        return []
    observed = None if nhs is None else {"nhs": nhs.get("nhs"), "nbma": nhs.get("nbma"), "flags": flags}
    what = "not configured" if nhs is None else f"not responding (flags {''.join(flags) or '-'})"
    return [_edge(edge, "NHS_DOWN", E, f"{edge.spoke}: NHS {edge.hub} ({edge.intent.hub_tunnel_ip}) is {what}",
                  expected={"nhs": edge.intent.hub_tunnel_ip, "nbma": edge.intent.hub_nbma, "flags": ["R"]},
                  observed=observed, hint=f"check {edge.hub} is up and reachable at NBMA "
                  f"{edge.intent.hub_nbma}; `ip nhrp nhs {edge.intent.hub_tunnel_ip} nbma "
                  f"{edge.intent.hub_nbma}` on {edge.spoke}")]


def check_nbma(edge: Edge) -> list[Finding]:
    """WRONG_NBMA: the hub sees the spoke at another NBMA (post-NAT public) address than intended."""
    side = edge.hub_side
    if side is None or side.peer is None or edge.intent.spoke_nbma is None:
        return []
    seen = side.peer.get("peer_nbma")
    if seen == edge.intent.spoke_nbma:
        return []
    claimed = (side.nhrp or {}).get("claimed_nbma")
    observed = {"nbma": seen, "claimed_nbma": claimed}
    expected = {"nbma": edge.intent.spoke_nbma, "claimed_nbma": edge.intent.spoke_private_nbma}
    return [_edge(edge, "WRONG_NBMA", E, f"{edge.hub} sees {edge.spoke} at NBMA {seen}"
                  + (f" (claimed {claimed})" if claimed else "") + f", intent says {edge.intent.spoke_nbma}",
                  expected=expected, observed=observed, hint="the spoke's underlay address changed "
                  "(ISP, DHCP) or NAT translates it differently: update the inventory or the NAT")]


def _ipsec_obs(sa: IpsecSa) -> dict[str, Any]:
    return {"peer": sa.peer, "mode": sa.mode, "status": sa.status, "pkts_encaps": sa.pkts_encaps,
            "pkts_decaps": sa.pkts_decaps, "nat_t": sa.nat_t}


def check_ipsec(edge: Edge, previous: dict[tuple[str, str, str], tuple[int, int]] | None = None
                ) -> list[Finding]:
    """IPSEC_NO_TRAFFIC (no/inactive SA, a dead direction, counters frozen since the last poll)
    and IPSEC_MODE_MISMATCH (negotiated mode differs from the intent's)."""
    if edge.intent.crypto == "none":
        return []
    out = []
    for label, side in (("hub", edge.hub_side), ("spoke", edge.spoke_side)):
        if side is None or "ipsec" not in side.tables:
            continue
        sa = side.ipsec
        where = edge.hub if label == "hub" else edge.spoke
        if sa is None or not sa.active:
            out.append(_edge(edge, "IPSEC_NO_TRAFFIC", E, f"{where}: no active IPsec SA for "
                             f"{edge.spoke if label == 'hub' else edge.hub}", expected="ACTIVE",
                             observed=None if sa is None else _ipsec_obs(sa),
                             hint="IKE is up but phase 2 failed: compare transform sets and "
                                  "`tunnel protection` profiles"))
            break
        if sa.mode and sa.mode != edge.intent.ipsec_mode:
            out.append(_edge(edge, "IPSEC_MODE_MISMATCH", E, f"{where}: IPsec runs in {sa.mode} mode, "
                             f"intent says {edge.intent.ipsec_mode}", expected=edge.intent.ipsec_mode,
                             observed=_ipsec_obs(sa), hint="set `mode` in the transform set on both "
                             "ends; a spoke behind NAT needs tunnel mode"))
        if sa.pkts_encaps == 0 or sa.pkts_decaps == 0:
            out.append(_edge(edge, "IPSEC_NO_TRAFFIC", W, f"{where}: IPsec SA to "
                             f"{edge.spoke if label == 'hub' else edge.hub} carries traffic one way only "
                             f"(encaps {sa.pkts_encaps}, decaps {sa.pkts_decaps})", expected="both > 0",
                             observed=_ipsec_obs(sa), hint="one direction is dropped: check ACLs/NAT "
                             "on the path and the peer's SA (`clear crypto session` renegotiates)"))
        elif previous is not None:
            before = previous.get((where, label, sa.peer))
            if before is not None and sa.pkts_encaps <= before[0] and sa.pkts_decaps <= before[1]:
                out.append(_edge(edge, "IPSEC_NO_TRAFFIC", E, f"{where}: IPsec SA to "
                                 f"{edge.spoke if label == 'hub' else edge.hub} is ACTIVE but its "
                                 "counters did not move since the last poll", expected="increasing",
                                 observed={**_ipsec_obs(sa), "previous": before},
                                 hint="a stale SA: the peer is gone or rekeyed; `clear crypto session "
                                      f"remote {sa.peer}`"))
    return out


def check_routing(edge: Edge) -> list[Finding]:
    """ROUTING_NEIGHBOR_MISSING: the hub (or spoke) has no up adjacency with the other end."""
    out = []
    proto = edge.intent.routing
    for label, side, peer_ip in (("hub", edge.hub_side, edge.intent.spoke_tunnel_ip),
                                 ("spoke", edge.spoke_side, edge.intent.hub_tunnel_ip)):
        if side is None or proto not in side.tables:
            continue
        if side.neighbor is not None and side.neighbor.up:
            continue
        where, other = (edge.hub, edge.spoke) if label == "hub" else (edge.spoke, edge.hub)
        state = side.neighbor.state if side.neighbor else None
        out.append(_edge(edge, "ROUTING_NEIGHBOR_MISSING", E, f"{where}: no {proto.upper()} adjacency "
                         f"with {other} ({peer_ip})" + (f", state {state}" if state else ""),
                         expected={"protocol": proto, "neighbor": peer_ip}, observed=state,
                         hint=_ROUTING_HINT[proto]))
        break
    return out


_ROUTING_HINT = {
    "eigrp": "check `network` statements cover the tunnel subnet, the AS number and multicast "
             "(`ip nhrp map multicast dynamic` on the hub)",
    "ospf": "check `ip ospf network` type matches on hub and spokes, area, and hello/dead timers",
    "bgp": "check `bgp listen range` on the hub and the spoke's neighbour statement / remote-as",
}


def check_views_agree(edge: Edge) -> list[Finding]:
    """VIEWS_DISAGREE (full mode): the hub says registered while the spoke's NHS is not responding,
    or the spoke's NHS responds while the hub has no entry."""
    hub, spoke = edge.hub_side, edge.spoke_side
    if hub is None or spoke is None or "dmvpn" not in hub.tables or "nhs" not in spoke.tables:
        return []
    hub_up = hub.peer is not None and DmvpnPeer(hub.peer).registered
    spoke_up = spoke.nhs is not None and NhsRecord(spoke.nhs).responding
    if hub_up == spoke_up:
        return []
    return [_edge(edge, "VIEWS_DISAGREE", W, f"{edge.hub} says {edge.spoke} is "
                  f"{'registered' if hub_up else 'not registered'} but {edge.spoke} says NHS "
                  f"{edge.hub} is {'responding' if spoke_up else 'not responding'}",
                  expected="both views agree",
                  observed={"hub": _row_summary(hub.peer), "spoke_nhs": spoke.nhs},
                  hint="a stale cache entry on the hub (it expires after the hold time), or the "
                       "spoke's NBMA changed: `clear ip nhrp` on the spoke re-registers")]


EDGE_CHECKS = (check_ike, check_registration, check_nhs, check_nbma, check_ipsec, check_routing,
               check_views_agree)
