"""Turn raw TextFSM rows (UPPER names, all strings) into typed records with the documented names."""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

__all__ = ["CONVERTERS", "attribute_codes"]

Row = dict[str, Any]
Record = dict[str, Any]

# Legend of `show dmvpn`: S Static, D Dynamic, I Incomplete, N NATed, L Local, X No Socket,
# T1 Route Installed, T2 Nexthop-override, T3 Not Installed (some IOS-XE 17 legends), C CTS Capable,
# B BGP, I2 Temporary.
_ATTR_CODE = re.compile(r"T[123]|I2|[SDINLXCB]")


def attribute_codes(attributes: list[str] | str) -> list[str]:
    """Split `show dmvpn` Attrb tokens into legend codes: "DT1" -> ["D", "T1"], "IX" -> ["I", "X"]."""
    tokens = [attributes] if isinstance(attributes, str) else attributes
    return [code for token in tokens for code in _ATTR_CODE.findall(token)]


def _int(value: str) -> int | None:
    return int(value) if value else None


def _opt(value: str) -> str | None:
    return value or None


def _ip_version(address: str) -> int:
    return 6 if ":" in address else 4


def _dmvpn(row: Row, detail: bool) -> Record:
    tunnel = row["PEER_TUNNEL"]
    record: Record = {
        "interface": row["INTERFACE"],
        "type": row["TYPE"],
        "ip_version": int(row["IP_VERSION"]) if row["IP_VERSION"] else _ip_version(tunnel),
        "peer_nbma": row["PEER_NBMA"],
        "peer_tunnel": tunnel,
        "state": row["STATE"],
        "updn_time": row["UPDN_TIME"],
        "attributes": [row["ATTRIBUTES"]] if row["ATTRIBUTES"] else [],
        "ent": int(row["ENT"]),
    }
    if detail:
        record["target_network"] = _opt(row["TARGET_NETWORK"])
    return record


def _prefix(prefix: str) -> str:
    """Incomplete entries print a bare address: give it its host length."""
    if "/" in prefix:
        return prefix
    return f"{prefix}/{128 if ':' in prefix else 32}"


def _nhrp(row: Row, detail: bool) -> Record:
    flags = row["FLAGS"].split()
    if row["NO_SOCKET"]:
        flags.append("no-socket")
    record: Record = {
        "interface": row["INTERFACE"],
        "prefix": _prefix(row["PREFIX"]),
        "via": _opt(row["VIA"]),
        "nbma": _opt(row["NBMA"]),
        "claimed_nbma": _opt(row["CLAIMED_NBMA"]),
        "type": row["TYPE"],
        "flags": flags,
        "created": row["CREATED"],
        "expire": row["EXPIRE"],
    }
    if detail:
        record["preference"] = _int(row["PREFERENCE"])
        record["requester"] = _opt(row["REQUESTER"])
        record["request_id"] = _int(row["REQUEST_ID"])
    return record


def _nhs(row: Row, detail: bool) -> Record:
    record: Record = {
        "interface": row["INTERFACE"],
        "nhs": row["NHS"],
        "nbma": _opt(row["NBMA"]),
        "priority": int(row["PRIORITY"]),
        "cluster": int(row["CLUSTER"]),
        "flags": list(row["FLAGS"]),
    }
    if detail:
        record.update({
            "req_sent": _int(row["REQ_SENT"]),
            "req_failed": _int(row["REQ_FAILED"]),
            "repl_recv": _int(row["REPL_RECV"]),
            "last_reply": _opt(row["LAST_REPLY"]),
            "current_request_id": _int(row["CURRENT_REQUEST_ID"]),
        })
    return record


def _isakmp(row: Row, detail: bool) -> Record:
    return {
        "ip_version": int(row["IP_VERSION"]) if row["IP_VERSION"] else _ip_version(row["DST"]),
        "dst": row["DST"],
        "src": row["SRC"],
        "state": row["STATE"],
        "conn_id": int(row["CONN_ID"]),
        "status": row["STATUS"],
    }


def _ikev2(row: Row, detail: bool) -> Record:
    record = _ikev2_sa(row)
    if detail:
        record.update(_ikev2_detail(row))
    return record


def _nat_t(text: str) -> str | None:
    """`NAT-T is detected inside` -> "inside" (this end is behind the NAT), `... outside`, `not detected` -> None."""
    if not text or text.startswith("not"):
        return None
    words = text.split()
    return words[1] if len(words) > 1 else "detected"


def _ikev2_detail(row: Row) -> Record:
    """The `detail` lines of one IKEv2 SA: who, DPD, fragmentation, NAT-T, initiator."""
    nat = row["NAT_T"]
    frag = row["FRAGMENTATION"]
    return {
        "status_description": _opt(row["STATUS_DESCRIPTION"]),
        "local_id": _opt(row["LOCAL_ID"]),
        "remote_id": _opt(row["REMOTE_ID"]),
        "local_spi": _opt(row["LOCAL_SPI"]),
        "remote_spi": _opt(row["REMOTE_SPI"]),
        "dpd_interval": _int(row["DPD_INTERVAL"]),
        "dpd_retry": _int(row["DPD_RETRY"]),
        "fragmentation": None if not frag else not frag.startswith("not"),
        "nat_t": _nat_t(nat),
        "initiator": None if not row["INITIATOR"] else row["INITIATOR"] == "Yes",
        "pushed_ip": _opt(row["PUSHED_IP"]),
        "remote_subnets": [" ".join(s.split()) for s in row["REMOTE_SUBNETS"]],
        "peer_type": _opt(row["PEER_TYPE"]),
    }



def _ikev2_proposal(row: Row) -> Record:
    """The negotiated proposal and timers of an IKEv2 SA, as `show crypto ikev2 sa` and `session` print them."""
    return {
        "encryption": _opt(row["ENCRYPTION"]),
        "keysize": _int(row["KEYSIZE"]),
        "prf": _opt(row["PRF"]),
        "hash": _opt(row["HASH"]),
        "dh_group": _int(row["DH_GROUP"]),
        "auth_sign": _opt(row["AUTH_SIGN"]),
        "auth_verify": _opt(row["AUTH_VERIFY"]),
        "lifetime": _int(row["LIFETIME"]),
        "active_time": _int(row["ACTIVE_TIME"]),
    }

def _ikev2_sa(row: Row) -> Record:
    return {
        "tunnel_id": int(row["TUNNEL_ID"]),
        "ip_version": int(row["IP_VERSION"]) if row["IP_VERSION"] else _ip_version(row["LOCAL"]),
        "local": row["LOCAL"],
        "local_port": _int(row["LOCAL_PORT"]),
        "remote": row["REMOTE"],
        "remote_port": _int(row["REMOTE_PORT"]),
        "fvrf": row["FVRF"],
        "ivrf": row["IVRF"],
        "status": row["STATUS"],
        **_ikev2_proposal(row),
        "session_id": _int(row["SESSION_ID"]),
    }


def _ipsec(row: Row, detail: bool) -> Record:
    settings = row["IN_USE_SETTINGS"]
    mode = settings.split()[0].lower() if settings else None
    status = row["STATUS"].split("(")[0] if row["STATUS"] else None
    transform = row["TRANSFORM"]
    spis, transforms = list(row["OUTBOUND_SPIS"]), list(row["OUTBOUND_TRANSFORMS"])
    current = row["CURRENT_OUTBOUND_SPI"]
    if current in spis and len(transforms) == len(spis):  # rekey: report the SA in use
        transform = transforms[spis.index(current)]
    elif current and int(current, 16) and not transforms:  # output cut before the outbound SAs: not known
        transform = ""
    return {
        "interface": row["INTERFACE"],
        "crypto_map": _opt(row["CRYPTO_MAP"]),
        "local_addr": _opt(row["LOCAL_ADDR"]),
        "protected_vrf": _opt(row["PROTECTED_VRF"]),
        "local_ident": row["LOCAL_IDENT"],
        "remote_ident": _opt(row["REMOTE_IDENT"]),
        "peer": _opt(row["PEER"]),
        "peer_port": _int(row["PEER_PORT"]),
        "pkts_encaps": _int(row["PKTS_ENCAPS"]),
        "pkts_encrypt": _int(row["PKTS_ENCRYPT"]),
        "pkts_decaps": _int(row["PKTS_DECAPS"]),
        "pkts_decrypt": _int(row["PKTS_DECRYPT"]),
        "send_errors": _int(row["SEND_ERRORS"]),
        "recv_errors": _int(row["RECV_ERRORS"]),
        "local_endpoint": _opt(row["LOCAL_ENDPOINT"]),
        "remote_endpoint": _opt(row["REMOTE_ENDPOINT"]),
        "path_mtu": _int(row["PATH_MTU"]),
        "current_outbound_spi": _opt(row["CURRENT_OUTBOUND_SPI"]),
        "pfs": _opt(row["PFS"]),
        "inbound_spis": list(row["INBOUND_SPIS"]),
        "outbound_spis": list(row["OUTBOUND_SPIS"]),
        "transform": _opt(transform),
        "mode": mode,
        "nat_t": "UDP-Encaps" in settings,
        "status": status,
    }


def _session(row: Row, detail: bool) -> Record:
    statuses = list(row["IKE_STATUSES"])
    ike_status = "Active" if "Active" in statuses else (statuses[0] if statuses else None)
    record: Record = {
        "interface": row["INTERFACE"],
        "profile": _opt(row["PROFILE"]),
        "uptime": _opt(row["UPTIME"]),
        "peer": row["PEER"],
        "port": _int(row["PORT"]),
        "fvrf": _opt(row["FVRF"]),
        "ivrf": _opt(row["IVRF"]),
        "session_status": row["SESSION_STATUS"],
        "ike_version": _opt(row["IKE_VERSION"]),
        "ike_local": _opt(row["IKE_LOCAL"]),
        "ike_remote": _opt(row["IKE_REMOTE"]),
        "ike_status": ike_status,
        "ike_statuses": statuses,
        "session_id": _int(row["SESSION_ID"]),
        "ipsec_flows": [flow.strip() for flow in row["IPSEC_FLOWS"]],
        "active_sas": sum(int(n) for n in row["ACTIVE_SAS"]),
    }
    if detail:
        record.update({
            "description": _opt(row["DESCRIPTION"]),
            "phase1_id": _opt(row["PHASE1_ID"]),
            "capabilities": _opt(row["CAPABILITIES"]),
            "conn_id": _int(row["CONN_ID"]),
            "lifetime": _opt(row["LIFETIME"]),
            "pkts_decrypted": sum(int(n) for n in row["PKTS_DECRYPTED"]),
            "pkts_encrypted": sum(int(n) for n in row["PKTS_ENCRYPTED"]),
            "drops_in": sum(int(n) for n in row["DROPS_IN"]),
            "drops_out": sum(int(n) for n in row["DROPS_OUT"]),
        })
    return record


def _eigrp(row: Row, detail: bool) -> Record:
    return {
        "as_number": _int(row["AS_NUMBER"]),
        "vrf": _opt(row["VRF"]),
        "handle": int(row["HANDLE"]),
        "address": row["ADDRESS"],
        "interface": row["INTERFACE"],
        "hold": int(row["HOLD"]),
        "uptime": row["UPTIME"],
        "srtt": int(row["SRTT"]),
        "rto": int(row["RTO"]),
        "q_count": int(row["Q_COUNT"]),
        "seq": int(row["SEQ"]),
    }


def _ospf(row: Row, detail: bool) -> Record:
    return {
        "neighbor_id": row["NEIGHBOR_ID"],
        "priority": int(row["PRIORITY"]),
        "state": re.sub(r"/\s+", "/", row["STATE"]),
        "dead_time": row["DEAD_TIME"],
        "address": row["ADDRESS"],
        "interface": row["INTERFACE"],
    }


def _as(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def _bgp(row: Row, detail: bool) -> Record:
    state_pfx = row["STATE_PFXRCD"]
    established = state_pfx.isdigit()
    return {
        "router_id": row["ROUTER_ID"],
        "local_as": _as(row["LOCAL_AS"]),
        "neighbor": row["NEIGHBOR"],
        "version": int(row["VERSION"]),
        "remote_as": _as(row["REMOTE_AS"]),
        "msg_rcvd": int(row["MSG_RCVD"]),
        "msg_sent": int(row["MSG_SENT"]),
        "tbl_ver": int(row["TBL_VER"]),
        "in_q": int(row["IN_Q"]),
        "out_q": int(row["OUT_Q"]),
        "up_down": row["UP_DOWN"],
        "state": "Established" if established else state_pfx,
        "prefixes_received": int(state_pfx) if established else None,
        "dynamic": bool(row["DYNAMIC"]),
    }


def _brief(row: Row, detail: bool) -> Record:
    address = row["IP_ADDRESS"]
    try:
        ipaddress.ip_address(address)
    except ValueError:
        address = ""  # `unassigned`
    return {
        "interface": row["INTERFACE"],
        "ip_address": address or None,
        "ok": row["OK"] == "YES",
        "method": row["METHOD"],
        "status": re.sub(r"\s+", " ", row["STATUS"]),
        "protocol": row["PROTOCOL"],
    }


def _nhrp_brief(row: Row, detail: bool) -> Record:
    kind = row["TYPE"]
    return {
        "interface": row["INTERFACE"],
        "prefix": row["PREFIX"],
        "via": row["VIA"],
        "nbma": row["NBMA"],
        "type": _NHRP_TYPES.get(kind, kind),
        "flags": list(row["FLAGS"]),
        "claimed_nbma": _opt(row["CLAIMED_NBMA"]),
    }


# `show ip nhrp brief` (IOS-XE) legend: Type --> S - Static, D - Dynamic
_NHRP_TYPES = {"S": "static", "D": "dynamic", "I": "incomplete"}
_PACKET_TYPES = ("resolution_request", "resolution_reply", "registration_request", "registration_reply",
                 "purge_request", "purge_reply", "error_indication", "traffic_indication", "redirect_suppress")
_COUNTER = re.compile(r"(\d+)\s+([A-Z][A-Za-z]*(?:\s+[A-Z][A-Za-z]*)*)")


def _counters(direction: str, lines: list[str]) -> Record:
    """`18 Resolution Request  10 Resolution Reply ...` -> {"sent_resolution_request": 18, ...}."""
    found = {f"{direction}_{name.lower().replace(' ', '_')}": int(n)
             for line in lines for n, name in _COUNTER.findall(line)}
    return {**{f"{direction}_{t}": None for t in _PACKET_TYPES}, **found}


def _nhrp_traffic(row: Row, detail: bool) -> Record:
    return {
        "interface": row["INTERFACE"],
        "max_send_limit": _opt(row["MAX_SEND"]),
        "usage": _int(row["USAGE"]),
        "sent_total": _int(row["SENT_TOTAL"]),
        **_counters("sent", row["SENT_COUNTERS"]),
        "rcvd_total": _int(row["RCVD_TOTAL"]),
        **_counters("rcvd", row["RCVD_COUNTERS"]),
    }


def _ints(row: Row, skip: tuple[str, ...] = ()) -> Record:
    """Every column as an int (None when absent), lower-case names: counter-only tables."""
    return {key.lower(): _int(value) for key, value in row.items() if key not in skip}


def _nhrp_summary(row: Row, detail: bool) -> Record:
    return {"ip_version": 6 if row["IP_VERSION"] == "IPv6" else 4, **_ints(row, ("IP_VERSION",))}


def _count(row: Row, detail: bool) -> Record:
    return _ints(row)


def _ikev2_session(row: Row, detail: bool) -> Record:
    record: Record = {
        "session_id": int(row["SESSION_ID"]),
        "status": row["STATUS"],
        "ike_count": _int(row["IKE_COUNT"]),
        "child_count": _int(row["CHILD_COUNT"]),
        "ip_version": int(row["IP_VERSION"]) if row["IP_VERSION"] else _ip_version(row["LOCAL"]),
        "tunnel_id": _int(row["TUNNEL_ID"]),
        "local": _opt(row["LOCAL"]),
        "local_port": _int(row["LOCAL_PORT"]),
        "remote": _opt(row["REMOTE"]),
        "remote_port": _int(row["REMOTE_PORT"]),
        "fvrf": _opt(row["FVRF"]),
        "ivrf": _opt(row["IVRF"]),
        "ike_status": _opt(row["IKE_STATUS"]),
        **_ikev2_proposal(row),
        "local_selectors": [" ".join(v.split()) for v in row["LOCAL_SELECTORS"] if v],
        "remote_selectors": [" ".join(v.split()) for v in row["REMOTE_SELECTORS"] if v],
        "esp_spis_in": list(row["ESP_SPI_IN"]),
        "esp_spis_out": list(row["ESP_SPI_OUT"]),
    }
    if detail:
        nat = row["NAT_T"]
        record.update({
            "local_id": _opt(row["LOCAL_ID"]),
            "remote_id": _opt(row["REMOTE_ID"]),
            "dpd_interval": _int(row["DPD_INTERVAL"]),
            "dpd_retry": _int(row["DPD_RETRY"]),
            "nat_t": _nat_t(nat),
        })
    return record


def _isakmp_detail(row: Row, detail: bool) -> Record:
    engine = row["ENGINE_CONN_ID"]
    return {
        "ip_version": int(row["IP_VERSION"]) if row["IP_VERSION"] else _ip_version(row["LOCAL"]),
        "conn_id": int(row["CONN_ID"]),
        "local": row["LOCAL"],
        "remote": row["REMOTE"],
        "ivrf": _opt(row["IVRF"]),
        "status": row["STATUS"],
        "encryption": row["ENCRYPTION"],
        "hash": row["HASH"],
        "auth": row["AUTH"],
        "dh_group": int(row["DH_GROUP"]),
        "lifetime": row["LIFETIME"],
        "capabilities": list(row["CAPABILITIES"]),
        "engine_conn_id": None if not engine or set(engine) == {"?"} else engine,
    }


def _session_brief(row: Row, detail: bool) -> Record:
    return {
        "ivrf": _opt(row["IVRF"]),
        "peer": row["PEER"],
        "interface": row["INTERFACE"],
        "username": _opt(row["USERNAME"]),
        "phase1_id": _opt(row["PHASE1_ID"]),
        "uptime": _opt(row["UPTIME"]),
        "status": row["STATUS"],
    }


def _interface_tunnel(row: Row, detail: bool) -> Record:
    key = row["TUNNEL_KEY"]
    return {
        "interface": row["INTERFACE"],
        "status": re.sub(r"\s+", " ", row["STATUS"]),
        "protocol": row["PROTOCOL"],
        "description": _opt(row["DESCRIPTION"]),
        "ip_address": _opt(row["IP_ADDRESS"]),
        "mtu": _int(row["MTU"]),
        "bandwidth": _int(row["BANDWIDTH"]),
        "delay": _int(row["DELAY"]),
        "keepalive": _opt(row["KEEPALIVE"]),
        "tunnel_source": _opt(row["TUNNEL_SOURCE"]),
        "tunnel_source_interface": _opt(row["TUNNEL_SOURCE_INTERFACE"]),
        "tunnel_destination": _opt(row["TUNNEL_DESTINATION"]),
        "tunnel_mode": _opt(row["TUNNEL_MODE"]),
        "tunnel_vrf": _opt(row["TUNNEL_VRF"]),
        "tunnel_key": int(key, 16) if key else None,
        "tunnel_ttl": _int(row["TUNNEL_TTL"]),
        "tunnel_transport_mtu": _int(row["TUNNEL_TRANSPORT_MTU"]),
        "tunnel_protection": _opt(row["TUNNEL_PROTECTION"]),
        "tunnel_protection_shared": bool(row["TUNNEL_PROTECTION_SHARED"]),
        **{name.lower(): _int(row[name]) for name in ("INPUT_DROPS", "OUTPUT_DROPS", "PACKETS_INPUT", "BYTES_INPUT",
                                                       "INPUT_ERRORS", "PACKETS_OUTPUT", "BYTES_OUTPUT",
                                                       "OUTPUT_ERRORS")},
    }


def _route(row: Row, detail: bool) -> Record:
    prefix = row["PREFIX"]
    if "/" not in prefix:
        prefix = f"{prefix}/{row['MASK_LEN'] or (128 if ':' in prefix else 32)}"
    return {
        "code": row["CODE"],
        "prefix": prefix,
        "distance": _int(row["DISTANCE"]),
        "metric": _int(row["METRIC"]),
        "next_hop": _opt(row["NEXT_HOP"]),
        "connected": bool(row["CONNECTED"]),
        "age": _opt(row["AGE"]),
        "interface": _opt(row["INTERFACE"]),
    }


def _ospfv3(row: Row, detail: bool) -> Record:
    return {
        "process_id": _int(row["PROCESS_ID"]),
        "router_id": _opt(row["ROUTER_ID"]),
        "neighbor_id": row["NEIGHBOR_ID"],
        "priority": int(row["PRIORITY"]),
        "state": re.sub(r"/\s+", "/", row["STATE"]),
        "dead_time": row["DEAD_TIME"],
        "interface_id": int(row["INTERFACE_ID"]),
        "interface": row["INTERFACE"],
    }


CONVERTERS: dict[str, Callable[[Row, bool], Record]] = {
    "cisco_ios_show_ip_nhrp_brief.textfsm": _nhrp_brief,
    "cisco_ios_show_ip_nhrp_traffic.textfsm": _nhrp_traffic,
    "cisco_ios_show_ip_nhrp_summary.textfsm": _nhrp_summary,
    "cisco_ios_show_dmvpn_count_status.textfsm": _count,
    "cisco_ios_show_crypto_ipsec_sa_count.textfsm": _count,
    "cisco_ios_show_crypto_ikev2_session.textfsm": _ikev2_session,
    "cisco_ios_show_crypto_isakmp_sa_detail.textfsm": _isakmp_detail,
    "cisco_ios_show_crypto_session_brief.textfsm": _session_brief,
    "cisco_ios_show_interfaces_tunnel.textfsm": _interface_tunnel,
    "cisco_ios_show_ip_route_nhrp.textfsm": _route,
    "cisco_ios_show_ipv6_eigrp_neighbors.textfsm": _eigrp,
    "cisco_ios_show_ipv6_ospf_neighbor.textfsm": _ospfv3,
    "cisco_ios_show_dmvpn.textfsm": _dmvpn,
    "cisco_ios_show_ip_nhrp.textfsm": _nhrp,
    "cisco_ios_show_ip_nhrp_nhs.textfsm": _nhs,
    "cisco_ios_show_crypto_isakmp_sa.textfsm": _isakmp,
    "cisco_ios_show_crypto_ikev2_sa.textfsm": _ikev2,
    "cisco_ios_show_crypto_ipsec_sa.textfsm": _ipsec,
    "cisco_ios_show_crypto_session.textfsm": _session,
    "cisco_ios_show_ip_eigrp_neighbors.textfsm": _eigrp,
    "cisco_ios_show_ip_ospf_neighbor.textfsm": _ospf,
    "cisco_ios_show_ip_bgp_summary.textfsm": _bgp,
    "cisco_ios_show_ip_interface_brief.textfsm": _brief,
}
