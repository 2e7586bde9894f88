"""Our parsed records under ntc-templates' field names and string values (``parse --fields ntc``).

Scripts written against ntc-templates (``ntc_templates.parse.parse_output``) read ``uptime``/``attribute``
from ``show dmvpn``, ``as``/``ip_address``/``q_cnt``/``seq_num`` from EIGRP, ``bgp_neighbor``/``neighbor_as``
from BGP and ``proto`` from ``show ip interface brief``, every value a string ("" when absent). This module
renames and stringifies our records into that shape; it parses nothing itself, so a capture ntc cannot read
(IOS 12.4 layout, an echoed prompt, IPv6 NHRP blocks, named-mode EIGRP) still gives ntc-shaped records.

Where ntc's own output differs from these records, ntc is wrong and we keep the row:

- ``show dmvpn``: ntc drops the continuation rows under a multi-entry ``# Ent`` (a spoke with two tunnel
  addresses, a DT1/DT2 shortcut pair), the IPv6 NHRP blocks and rows whose IPv6 NBMA wraps onto the next
  line; its records carry no interface, so dual-cloud rows cannot be told apart (we do not add one either:
  the shape is ntc's).
- ``show ip bgp summary``: ntc misses ``bgp listen range`` neighbours (the ``*`` prefix).
- ``show ip ospf neighbor``: ntc reads nothing from captures whose header is indented.
- ``show crypto ipsec sa detail``: ntc raises on an interface with several flows (every hub: a second
  ``protected vrf:`` under one ``interface:``) and on IOS-XE 17 lines (``replay detection support: Y``
  without a window size, ``crypto map: X, initiator : False``, ``remaining key lifetime (sec): N``, a PQC
  suffix on the PFS line, IPv6 endpoints over two lines); ours reads them.

Fields ntc has that our templates do not capture are listed in ``NOT_PRODUCED`` (absent, never guessed);
``show crypto session detail`` of a session with several flows has no ``active_sa`` (ntc's is the last
flow's, ours the sum).
``show interfaces tunnel`` carries ntc's names for the fields our template reads (status, addresses, MTU,
bandwidth, delay, packet/error/drop counters), not the Ethernet-only ones.
``show crypto ipsec sa detail``: ntc's record is one SA (SPI) with its flow's lines repeated, ours one flow
with its SPIs, so its ntc view is projected from the SA blocks ``parse.sas`` reads beside the flow records
(``NTC_SA_COMMANDS``), not from our records. ntc cannot read an SA without a hex SPI (IOS-XE 17's
``spi: [Not Available]``): ours has ``sa_spi_hex`` "". ``show crypto ipsec sa`` (without detail) has
no ntc template. ``show dmvpn detail`` and
``show dmvpn count status`` have no ntc template of their own (ntc's index sends them to the plain
``show dmvpn`` template, which cannot read them).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from dmvpn_ops.errors import InputError

__all__ = ["NTC_COMMANDS", "NTC_SA_COMMANDS", "NTC_NAMES", "NOT_PRODUCED", "FIELDS", "to_ntc", "ntc_record",
           "ntc_command", "check_fields", "parse_ntc", "parse_fields", "sa_to_ntc"]

FIELDS = ("default", "ntc")  # the record shapes `parse --fields` offers

Record = dict[str, Any]
NtcRecord = dict[str, str]


def _s(value: Any) -> str:
    """ntc's values: strings as captured, "" for a value the line did not have."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _dmvpn(r: Record) -> NtcRecord:
    return {"peer_nbma": _s(r["peer_nbma"]), "peer_tunnel": _s(r["peer_tunnel"]), "state": _s(r["state"]),
            "uptime": _s(r["updn_time"]), "attribute": "".join(r.get("attributes") or [])}


def _eigrp(r: Record) -> NtcRecord:
    return {"as": _s(r["as_number"]), "ip_address": _s(r["address"]), "interface": _s(r["interface"]),
            "hold": _s(r["hold"]), "uptime": _s(r["uptime"]), "srtt": _s(r["srtt"]), "rto": _s(r["rto"]),
            "q_cnt": _s(r["q_count"]), "seq_num": _s(r["seq"])}


def _bgp(r: Record) -> NtcRecord:
    # IOS prints the prefix count in the State/PfxRcd column once the session is Established.
    state = r["state"]
    column = _s(r["prefixes_received"]) if state == "Established" and r.get("prefixes_received") is not None \
        else _s(state)
    return {"router_id": _s(r["router_id"]), "local_as": _s(r["local_as"]),
            "bgp_neighbor": _s(r["neighbor"]), "bgp_version": _s(r["version"]), "neighbor_as": _s(r["remote_as"]),
            "messages_received": _s(r["msg_rcvd"]), "messages_sent": _s(r["msg_sent"]),
            "table_version": _s(r["tbl_ver"]), "input_queue": _s(r["in_q"]), "output_queue": _s(r["out_q"]),
            "up_down": _s(r["up_down"]), "state_or_prefixes_received": column}


def _brief(r: Record) -> NtcRecord:
    return {"interface": _s(r["interface"]), "ip_address": _s(r["ip_address"] or "unassigned"),
            "status": _s(r["status"]), "proto": _s(r["protocol"])}


def _ospf(r: Record) -> NtcRecord:
    # IOS prints a DR-less state as "FULL/  -"; ntc keeps the column as printed, we normalise it to "FULL/-".
    state = _s(r["state"])
    if state.endswith("/-"):
        state = state[:-1] + "  -"
    return {"neighbor_id": _s(r["neighbor_id"]), "priority": _s(r["priority"]), "state": state,
            "dead_time": _s(r["dead_time"]), "ip_address": _s(r["address"]), "interface": _s(r["interface"])}


def _flow(flow: str) -> NtcRecord:
    """``permit 47 host A host B`` / ``permit ip 0.0.0.0/0.0.0.0 0.0.0.0/0.0.0.0`` -> ntc's flow fields."""
    words = flow.split()
    proto = words[1] if len(words) > 1 else ""
    rest, ends = words[2:], []
    while rest:
        if rest[0] == "host" and len(rest) > 1:
            ends.append((rest[1], ""))
            rest = rest[2:]
        else:
            addr, _, mask = rest[0].partition("/")
            ends.append((addr, mask))
            rest = rest[1:]
    (src, src_mask), (dst, dst_mask) = (ends + [("", ""), ("", "")])[:2]
    return {"permit": proto, "src_host": src, "src_mask": src_mask, "dst_host": dst, "dst_mask": dst_mask}


def _session_detail(r: Record) -> NtcRecord:
    """ntc's template keeps the last IKE SA and the last IPSEC FLOW it read (later lines overwrite)."""
    flows = r.get("ipsec_flows") or []
    flow = _flow(flows[-1]) if flows else _flow("")
    return {"interface": _s(r["interface"]), "session_status": _s(r["session_status"]),
            "profile": _s(r["profile"]), "uptime": _s(r["uptime"]), "peer": _s(r["peer"]), "port": _s(r["port"]),
            "fvrf": _s(r["fvrf"]), "ivrf": _s(r["ivrf"]), "description": _s(r.get("description")),
            "phase1_id": _s(r.get("phase1_id")), "session_id": _s(r["session_id"]),
            "local_ip": _s(r["ike_local"]), "remote_ip": _s(r["ike_remote"]),
            # ntc names the IKE SA status ikev1_status whatever the IKE version
            "ikev1_status": _s((r.get("ike_statuses") or [r["ike_status"]])[-1]),
            "capabilities": _s(r.get("capabilities")), "conn_id": _s(r.get("conn_id")),
            "lifetime": _s(r.get("lifetime")), **flow, **_active_sa(r, flows)}


def _active_sa(r: Record, flows: list[str]) -> NtcRecord:
    """ntc keeps the last flow's ``Active SAs``; we keep the session's sum, which is that only for one flow."""
    return {"active_sa": _s(r["active_sas"])} if len(flows) <= 1 else {}


def _prefix(value: Any) -> tuple[str, str]:
    address, _, length = _s(value).partition("/")
    return address, length


def _route(r: Record) -> NtcRecord:
    network, length = _prefix(r["prefix"])
    return {"protocol": _s(r["code"]), "network": network, "prefix_length": length,
            "distance": _s(r["distance"]), "metric": _s(r["metric"]), "nexthop_ip": _s(r["next_hop"]),
            "nexthop_if": _s(r["interface"]), "uptime": _s(r["age"])}


def _interface(r: Record) -> NtcRecord:
    address, length = _prefix(r["ip_address"])
    return {"interface": _s(r["interface"]), "link_status": _s(r["status"]), "protocol_status": _s(r["protocol"]),
            "description": _s(r["description"]), "ip_address": address, "prefix_length": length,
            "mtu": _s(r["mtu"]), "bandwidth": f"{r['bandwidth']} Kbit" if r["bandwidth"] is not None else "",
            "delay": f"{r['delay']} usec" if r["delay"] is not None else "",
            "input_packets": _s(r["packets_input"]), "output_packets": _s(r["packets_output"]),
            "input_errors": _s(r["input_errors"]), "output_errors": _s(r["output_errors"]),
            "queue_drops": _s(r["input_drops"]), "queue_output_drops": _s(r["output_drops"])}


NTC_COMMANDS: dict[str, Callable[[Record], NtcRecord]] = {
    "show dmvpn": _dmvpn,
    "show ip eigrp neighbors": _eigrp,
    "show ip bgp summary": _bgp,
    "show ip interface brief": _brief,
    "show ip ospf neighbor": _ospf,
    "show crypto session detail": _session_detail,
    "show ip route nhrp": _route,
    "show interfaces tunnel": _interface,
}
"""Our command name -> converter, for every command ntc-templates has a template for (see module doc)."""

def _ident(value: str, side: str) -> NtcRecord:
    """``1.2.3.4/255.255.255.255/47/0`` -> ntc's four ident fields (the address may hold no '/')."""
    parts = (value.rsplit("/", 3) + ["", "", ""])[:4] if value else ["", "", "", ""]
    return {f"{side}_ident_{name}": part for name, part in zip(("addr", "mask", "prot", "port"), parts, strict=True)}


_SA_SAME = ("pkts_encaps", "pkts_encrypt", "pkts_digest", "pkts_decaps", "pkts_decrypt", "pkts_verify",
            "pkts_compressed", "pkts_decompressed", "pkts_not_compressed", "pkts_not_decompressed",
            "pkts_compress_failed", "pkts_decompress_failed", "pkts_no_sa", "pkts_invalid_sa", "pkts_encaps_failed",
            "pkts_decaps_failed", "pkts_invalid_prot", "pkts_verify_failed", "pkts_invalid_identity",
            "pkts_invalid_len", "pkts_replay_rollover_send", "pkts_replay_rollover_recv", "pkts_replay_failed",
            "pkts_tagged", "pkts_untagged", "pkts_not_tagged", "pkts_not_untagged", "pkts_internal_err_send",
            "pkts_internal_err_recv")


def sa_to_ntc(sa: dict[str, str]) -> NtcRecord:
    """One SA of ``parse.sas`` (its ``fields``) as ntc's ``show crypto ipsec sa detail`` record."""
    spi = sa["spi"] if sa["spi"].startswith("0x") else ""  # ntc reads no `[Not Available]` SPI
    return {"interface": sa["interface"], "crypto_map_tag": sa["crypto_map"], "local_addr": sa["local_addr"],
            "protected_vrf": sa["protected_vrf"], **_ident(sa["local_ident"], "local"),
            **_ident(sa["remote_ident"], "remote"), "current_peer": sa["peer"], "port": sa["peer_port"],
            "action": sa["action"], "flags": sa["flags"], **{name: sa[name] for name in _SA_SAME},
            "local_crypto_endpt": sa["local_endpoint"], "remote_crypto_endpt": sa["remote_endpoint"],
            "plaintext_mtu": sa["plaintext_mtu"], "path_mtu": sa["path_mtu"], "ip_mtu": sa["ip_mtu"],
            "ip_mtu_idb": sa["ip_mtu_idb"], "current_outbound_spi_hex": sa["current_outbound_spi"],
            "current_outbound_spi_dec": sa["current_outbound_spi_dec"], "pfs": sa["pfs"],
            "dh_group": sa["dh_group"], "sa_orientation": sa["direction"], "sa_type": sa["protocol"],
            "sa_spi_hex": spi, "sa_spi_dec": sa["spi_dec"], "sa_transform": sa["transform"],
            "sa_in_use_settings": sa["in_use_settings"], "sa_conn_id": sa["conn_id"], "sa_flow_id": sa["flow_id"],
            "sa_sibling_flags": sa["sibling_flags"], "sa_crypto_map": sa["sa_crypto_map"],
            "sa_lifetime_kbytes": sa["lifetime_kbytes"], "sa_lifetime_sec": sa["lifetime_sec"],
            "sa_iv_size": sa["iv_size"], "sa_replay_detection_support": sa["replay_detection"],
            "sa_replay_window_size": sa["replay_window"], "sa_status": sa["status"]}


NTC_SA_COMMANDS = ("show crypto ipsec sa detail",)
"""Commands whose ntc view is one record per SA, projected from ``parse.sas`` rather than our records."""

NTC_NAMES = (*NTC_COMMANDS, *NTC_SA_COMMANDS)
"""Every command (full name) ``--fields ntc`` serves."""

NOT_PRODUCED: dict[str, tuple[str, ...]] = {
    "show crypto session detail": ("local_port", "remote_port", "origin"),
    "show ip bgp summary": ("address_family",),
    "show ip route nhrp": ("vrf", "type", "nexthop_vrf", "flag"),
    "show interfaces tunnel": ("hardware_type", "mac_address", "bia", "duplex", "speed", "media_type",
                               "encapsulation", "last_input", "last_output", "last_output_hang", "queue_strategy",
                               "input_rate", "output_rate", "input_pps", "output_pps", "runts", "giants", "crc",
                               "frame", "overrun", "abort", "vlan_id", "vlan_id_inner", "vlan_id_outer",
                               "queue_size", "queue_max", "queue_flushes"),
}
"""ntc fields our templates do not capture: absent from our ntc records rather than guessed."""


def ntc_record(command: str, record: Record) -> NtcRecord:
    """One of our records of ``command`` (full name) under ntc's names; KeyError if ntc has no template."""
    return NTC_COMMANDS[command](record)


def to_ntc(command: str, records: Iterable[Record]) -> list[NtcRecord]:
    """Our records of ``command`` (full name, e.g. from ``resolve_command``) as ntc-templates records."""
    convert = NTC_COMMANDS[command]
    return [convert(r) for r in records]


def ntc_command(command: str, *, host: str | None = None, file: str | None = None) -> str:
    """The full name of ``command`` if ntc has a template for it (else InputError, exit 2)."""
    from dmvpn_ops.parse.commands import resolve_command
    from dmvpn_ops.parse.parse import UnsupportedCommand

    spec = resolve_command(command)
    if spec is None:
        raise UnsupportedCommand(f"cannot parse `{' '.join(command.split())}`.", host=host, file=file)
    if spec.name not in NTC_NAMES:
        raise InputError(f"ntc-templates field names exist only for {', '.join(NTC_NAMES)}; "
                         f"`{spec.name}` has none (use the default fields).", field="--fields", host=host, file=file)
    return spec.name


def parse_ntc(command: str, text: str, *, host: str | None = None, file: str | None = None,
              paste: bool = False) -> list[NtcRecord]:
    """``parse`` then ntc's names and string values: what ``ntc_templates.parse.parse_output`` would give.

    ``paste`` as in ``parse``. Commands of NTC_SA_COMMANDS are read per SA (``parse.sas``).

    Raises:
        InputError: ntc has no template for the command (exit 2); plus everything ``parse`` raises.
    """
    from dmvpn_ops.parse.parse import parse

    name = ntc_command(command, host=host, file=file)
    if name in NTC_SA_COMMANDS:
        from dmvpn_ops.parse.sas import parse_sas

        return [sa_to_ntc(sa.fields) for sa in parse_sas(command, text, host=host, file=file, paste=paste)]
    return to_ntc(name, parse(command, text, host=host, file=file, paste=paste))


def check_fields(fields: str) -> str:
    """``fields`` if it is one of FIELDS, else InputError naming ``--fields`` (exit 2)."""
    if fields not in FIELDS:
        raise InputError(f"unknown fields {fields!r}; use {' or '.join(FIELDS)}.", field="--fields")
    return fields


def parse_fields(command: str, text: str, *, fields: str = "default", host: str | None = None,
                 file: str | None = None) -> list[dict[str, Any]]:
    """The API switch: ``fields="default"`` is ``parse`` (DESIGN.md names), ``"ntc"`` is ``parse_ntc``."""
    check_fields(fields)
    if fields == "ntc":
        return [dict(r) for r in parse_ntc(command, text, host=host, file=file)]
    from dmvpn_ops.parse.parse import parse

    return parse(command, text, host=host, file=file)
