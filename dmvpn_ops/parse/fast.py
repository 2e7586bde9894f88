"""Fast path for large `show dmvpn` tables (hubs with thousands of peers).

TextFSM tries every rule of the current state on every line; a hub's table is one
shape of line repeated thousands of times, so a hand-written loop over the same
grammar is several times faster. The template stays the specification: this path
handles only the plain IPv4/IPv6 table layout and returns None for anything else
(detail columns, IPv6 NHRP blocks, unknown lines), letting TextFSM decide. Tests
assert that both paths give identical records on every golden capture.
"""
from __future__ import annotations

import re
from typing import Any

__all__ = ["parse_dmvpn_fast"]

_ROW = re.compile(r"\s*(\d+)\s+(\S+)\s+([0-9A-Fa-f:.]+)\s+(\S+)\s+(\S+)\s+(\S+)$")
_CONT = re.compile(r"\s+([0-9A-Fa-f:.]+)\s+(\S+)\s+(\S+)\s+(\S+)$")
_WRAPPED = re.compile(r"\s*(\d+)\s+(\S+)$")
_INTERFACE = re.compile(r"Interface:\s+(\S+),\s+IPv([46])\s+NHRP\s+Details")
_TYPE = re.compile(r"Type:(\S+),\s+(?:NHRP\s+Peers:\s*\d+,?|Total\s+NBMA\s+Peers\s+\(v4/v6\):\s*\d+(?:/\d+)?)$")
_HEADER = re.compile(r"\s*#?\s*Ent\s+Peer\s+NBMA\s+Addr\s+Peer\s+Tunnel\s+Add\s+State\s+UpDn\s+Tm\s+Attrb$")
_DASHES = re.compile(r"\s*-+(?:\s+-+){5}$")
_RULE = re.compile(r"={5,}$")


def parse_dmvpn_fast(lines: list[str]) -> list[dict[str, Any]] | None:
    """Parse normalised `show dmvpn` lines, or return None when the layout needs TextFSM."""
    records: list[dict[str, Any]] = []
    append = records.append
    row_match, cont_match = _ROW.match, _CONT.match
    interface = kind = ""
    version = 0
    ent = nbma = ""
    state = "start"
    for line in lines:
        if state == "table":
            m = row_match(line)
            if m:
                ent, nbma, tunnel, peer_state, updn, attrs = m.groups()
                append({"interface": interface, "type": kind, "ip_version": version or (6 if ":" in tunnel else 4),
                        "peer_nbma": nbma, "peer_tunnel": tunnel, "state": peer_state,
                        "updn_time": updn, "attributes": [attrs], "ent": int(ent)})
                continue
            m = cont_match(line)
            if m:
                if not ent:
                    return None
                tunnel, peer_state, updn, attrs = m.groups()
                append({"interface": interface, "type": kind, "ip_version": version or (6 if ":" in tunnel else 4),
                        "peer_nbma": nbma, "peer_tunnel": tunnel, "state": peer_state,
                        "updn_time": updn, "attributes": [attrs], "ent": int(ent)})
                continue
            if not line:
                continue
            m = _WRAPPED.match(line)
            if m:
                ent, nbma = m.groups()
                continue
            m = _TYPE.match(line)
            if m:
                kind = m.group(1)
                continue
            if _HEADER.match(line) or _DASHES.match(line):
                continue
            m = _INTERFACE.match(line)
            if m:
                interface, version = m.group(1), int(m.group(2))
                continue
            return None
        if not line:
            continue
        if state == "legend":
            if _RULE.match(line):
                state = "start"
            elif not line[0].isspace():
                return None
            continue
        if line.startswith("Legend:") and re.match(r"Legend:\s+Attrb\s+-->", line):
            state = "legend"
            continue
        if _RULE.match(line):
            continue
        m = _INTERFACE.match(line)
        if m:
            interface, version = m.group(1), int(m.group(2))
            state = "table"
            continue
        return None
    return records
