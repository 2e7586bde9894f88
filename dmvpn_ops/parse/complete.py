"""Completeness of a parsed table: rows the output announces but does not hold, a last value cut short.

Output cut at a line boundary (a dropped session, a paste that stops early, a pager quit with `q`)
loses whole rows, and every line left still parses. Where IOS prints how many entries follow, the
records are checked against that count so the loss is an error naming the command, not a table that
silently misses peers (verify would then call those peers down).

`show dmvpn` (``Type:Hub, NHRP Peers:3,``): the number of NBMA peers of that table. On every capture
in tests/fixtures/parse (IOS 12.4, 15.x, IOS-XE 16/17, dual-stack, `# Ent` 2 shortcut rows) it equals
the distinct peer NBMA addresses of the table's rows (an `UNKNOWN` NBMA row of an incomplete entry counts
once per tunnel address: IOS counts it in some captures, `# Ent` 0 rows in others not; counting more
peers can only hide a loss, never report one that is not); only fewer rows than announced is reported,
and not the IPv6 blocks' ``Total NBMA Peers (v4/v6)`` whose split is not documented.

`show crypto ipsec sa`: each SA block ends with `outbound pcp sas:`; a last block without it was cut.

Output cut inside a line can only have cut its last token; ``cut_value`` names it when that token is
the last record's value and no value IOS prints (see its docstring).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["COMPLETENESS", "FILTERED_COMPLETENESS", "cut_value"]

_TABLE = re.compile(r"Interface:\s+(\S+),\s+IPv([46])\s+NHRP\s+Details|Interface\s+(\S+)\s+is\s+\S+,\s+Addr\.\s+is")
_PEERS = re.compile(r"(?:(\S+),\s+)?Type:\S+,\s+NHRP\s+Peers:\s*(\d+),?$")


def _dmvpn(lines: list[str], records: list[dict[str, Any]]) -> str | None:
    """Each table's announced NHRP peers against the distinct NBMA addresses of its rows.

    A table is an interface and, where the header says it (`IPv4 NHRP Details`), an address family;
    IOS 12.4 and `detail` headers name no family, so their rows of either family count.
    """
    announced: dict[tuple[str, int | None], int] = {}
    table: tuple[str, int | None] = ("", None)
    for line in lines:
        header = _TABLE.match(line.strip())  # detail's `Interface X is up/up` may come indented
        if header:
            name, version, detail_name = header.groups()
            table = (name, int(version)) if name else (detail_name, None)
            continue
        peers = _PEERS.match(line.strip())
        if peers:
            if peers.group(1):  # IOS 12.4 names the tunnel on this line
                table = (peers.group(1), None)
            announced[table] = announced.get(table, 0) + int(peers.group(2))
    for (name, version), count in announced.items():
        seen = {(r["ip_version"], r["peer_nbma"], r["peer_tunnel"] if r["peer_nbma"] == "UNKNOWN" else "")
                for r in records if r["interface"] == name and version in (None, r["ip_version"])}
        if len(seen) < count:
            family = f" (IPv{version})" if version else ""
            return (f"{name}{family} announces NHRP Peers:{count} but only {len(seen)} peer(s) follow: "
                    "the output was cut short or lines were lost")
    return None


_IPSEC_BLOCK = re.compile(r"\s*(?:protected\s+vrf:|interface:)")
_IPSEC_END = re.compile(r"\s*outbound\s+pcp\s+sas:$")


def _ipsec(lines: list[str], records: list[dict[str, Any]]) -> str | None:
    """Every SA block ends with `outbound pcp sas:` (IOS 12.4 to IOS-XE 17, every capture in
    tests/fixtures/parse); a last block without it was cut inside its SA lists."""
    starts = [i for i, line in enumerate(lines) if _IPSEC_BLOCK.match(line)]
    if not records or not starts or any(_IPSEC_END.match(line) for line in lines[starts[-1]:]):
        return None
    return ("the last SA block has no `outbound pcp sas:` line, which ends every block: "
            "the output was cut short")


# template -> check(lines, records) -> reason or None
COMPLETENESS: dict[str, Callable[[list[str], list[dict[str, Any]]], str | None]] = {
    "cisco_ios_show_dmvpn.textfsm": _dmvpn,
    "cisco_ios_show_crypto_ipsec_sa.textfsm": _ipsec,
}


# Lines IOS prints once per record. An output filter (`| include peer|encaps`) that drops the lines
# the template opens records on would merge every block into one record or drop them all; more of
# these lines than records is that, reported rather than answered with one peer's counters.
_ONCE_PER_RECORD = {
    "cisco_ios_show_crypto_ipsec_sa.textfsm": re.compile(r"\s*current_peer\s"),
    "cisco_ios_show_crypto_session.textfsm": re.compile(r"Peer:\s"),
}


def _filtered(template: str) -> Callable[[list[str], list[dict[str, Any]]], str | None]:
    def check(lines: list[str], records: list[dict[str, Any]]) -> str | None:
        count = sum(1 for line in lines if _ONCE_PER_RECORD[template].match(line))
        if count > len(records):
            return (f"the output filter left {count} peer lines but {len(records)} record(s): it dropped the "
                    "line each block opens with; include `protected vrf|ident` (show crypto ipsec sa) or "
                    "`Interface:` (show crypto session) in the filter")
        return None
    return check


FILTERED_COMPLETENESS: dict[str, Callable[[list[str], list[dict[str, Any]]], str | None]] = {
    template: _filtered(template) for template in _ONCE_PER_RECORD}

# A token that ends in one separator after a token character (`192.0.2.`, `00:10:`, `Tunnel0/`,
# `FE80::C800:`; not `2001:DB8::`) is no value IOS prints.
_SEPARATOR_CUT = re.compile(r"[^\s.:/][.:/]$")
# The words of the closed columns that end a line (status words the command references and the
# captures in tests/fixtures/parse print): a strict beginning of one (`REA`, `ACTI`, `UP-ACT`) is cut.
_ISAKMP_STATUS = frozenset({"ACTIVE", "STDBY"})
_IKEV2_STATUS = frozenset({"READY", "IN-NEG", "DELETE", "UNKNOWN"})
_IKEV2_AUTH = frozenset({"PSK", "RSA", "ECDSA", "EAP"})
_SESSION_STATUS = frozenset({"UP-ACTIVE", "UP-IDLE", "UP-NO-IKE", "UP-STANDBY", "DOWN", "DOWN-NEGOTIATING",
                             "DOWN-NO-IKE"})
_IKE = "cisco_ios_show_crypto_ikev2_sa.textfsm"
_VOCABULARY: dict[str, dict[str, frozenset[str]]] = {
    "cisco_ios_show_crypto_isakmp_sa.textfsm": {"status": _ISAKMP_STATUS},
    _IKE: {"status": _IKEV2_STATUS, "auth_sign": _IKEV2_AUTH, "auth_verify": _IKEV2_AUTH},
    "cisco_ios_show_crypto_ikev2_session.textfsm": {"status": _SESSION_STATUS, "ike_status": _IKEV2_STATUS,
                                                    "auth_sign": _IKEV2_AUTH, "auth_verify": _IKEV2_AUTH},
    "cisco_ios_show_crypto_session.textfsm": {"session_status": _SESSION_STATUS,
                                              "ike_status": frozenset({"Active", "Inactive"})},
}
_NO_NUMBER = re.compile(r"[A-Za-z][A-Za-z\-]*")


def _looks_cut(template: str, key: str, value: str) -> bool:
    """A value IOS never prints at the end of a line: half an address/time, a status word or an interface name."""
    if _SEPARATOR_CUT.search(value):
        return True
    if key == "interface" and _NO_NUMBER.fullmatch(value):
        return True  # `Tunnel` of `Tunnel100`, `GigabitEthernet` of `GigabitEthernet0/1`
    words = _VOCABULARY.get(template, {}).get(key, frozenset())
    return value not in words and any(word.startswith(value) for word in words)


def cut_value(template: str, records: list[dict[str, Any]], lines: list[str]) -> tuple[str, str] | None:
    """(field, value) of the last record when the capture's last token is that value cut short, else None.

    Output cut by a dropped session or a paste stops mid-line; only the last line can hold half a
    value, and a template whose column accepts any word (a VRF, an id, an interface) would take it.
    Numbers and free words cut short stay undetectable (`Tunnel10` of `Tunnel100`).
    """
    words = lines[-1].split() if lines else []
    if not records or not words:
        return None
    last = words[-1]
    for key, value in records[-1].items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and item and (item.endswith(last) or last.endswith(item)) \
                    and _looks_cut(template, key, item):
                return key, item
    return None
