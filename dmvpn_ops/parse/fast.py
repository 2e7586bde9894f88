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

# The column shapes of cisco_ios_show_dmvpn.textfsm (a row cut short matches neither path).
_V4 = r"\d{1,3}(?:\.\d{1,3}){3}"
_V6 = r"(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?|[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}"
_ADDR = rf"(?:{_V4}|{_V6})"
_CELLS = rf"({_ADDR})\s+([A-Za-z]{{2,}})\s+(\d{{2}}:\d{{2}}:\d{{2}}|never|\d+[ywd]\d+[wdh])\s+((?:T[123]|I2|[SDINLXCB])+)$"
_ROW = re.compile(rf"\s*(\d+)\s+({_ADDR}|UNKNOWN)\s+{_CELLS}")
_CONT = re.compile(rf"\s+{_CELLS}")
_WRAPPED = re.compile(rf"\s*(\d+)\s+({_ADDR}|UNKNOWN)$")
_INTERFACE = re.compile(r"Interface:\s+(\S+),\s+IPv([46])\s+NHRP\s+Details")
_TYPE = re.compile(r"Type:(\S+),\s+(?:NHRP\s+Peers:\s*\d+,?|Total\s+NBMA\s+Peers\s+\(v4/v6\):\s*\d+(?:/\d+)?)$")
_HEADER = re.compile(r"\s*#?\s*Ent\s+Peer\s+NBMA\s+Addr\s+Peer\s+Tunnel\s+Add\s+State\s+UpDn\s+Tm\s+Attrb$")
_DASHES = re.compile(r"\s*-+(?:\s+-+){5}$")
_RULE = re.compile(r"={5,}$")
_LEGEND_ITEM = re.compile(r"\S.*(?:\s-\s|-->)")


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
            elif not line[0].isspace() or not _LEGEND_ITEM.search(line):
                return None  # the template's legend rule: `S - Static` / `# Ent -->` items, nothing cut short
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


# ---- `show ip nhrp` / `show ipv6 nhrp` and `show crypto ikev2 sa` --------------------------------
# Same contract as the show dmvpn path: the template's own regexes (cisco_ios_show_ip_nhrp.textfsm,
# cisco_ios_show_crypto_ikev2_sa.textfsm) dispatched on the line's first word instead of tried in
# turn, records built as the converter builds them; any line outside the plain layout returns None.

_IF = r"[A-Za-z][\w\-]*\d+(?:[/.:]\d+)*"
_TIME = r"\d{1,2}:\d{2}:\d{2}|\d+[ywd]\d+[wdh]"
_CREATED = rf"({_IF})\s+created\s+({_TIME}),\s+(?=expire\s|never\s+expire$)(?:expire\s+)?({_TIME}|never)(?:\s+expire)?"
_NHRP_PREFIX = re.compile(rf"({_ADDR}(?:/\d{{1,3}})?)(?:\s+via\s+({_ADDR}))?(?:,?\s+{_CREATED})?$")
# the indented lines of an entry in one pass; m.lastindex says which (2 Type, 3 NBMA, 6 created, 7 Claimed, 8 no-socket)
_NHRP_BODY = re.compile(rf"\s*(?:Type:\s+(static|dynamic|incomplete),\s+Flags:\s*(.*?)|NBMA\s+address:\s+({_ADDR})"
                        rf"|{_CREATED}|\(Claimed\s+NBMA\s+address:\s+({_ADDR})\)|(\(no-socket\)))$")
_NHRP_IGNORED = re.compile(r"\s*(?:Preference:\s+\d+|Requester:\s+\S+\s+Request\s+ID:\s+\d+|Group:\s+\S+"
                           r"|Cache\s+hits:\s+\d+)$")


def parse_nhrp_fast(lines: list[str]) -> list[dict[str, Any]] | None:
    """Records of plain `show ip nhrp` output (no `detail` lines), or None when the template must decide.

    Builds the records the template + ``convert._nhrp`` build (tests compare both on every capture):
    interface/type/created/expire "" when absent, via/nbma/claimed_nbma None, flags split with
    "no-socket" last.
    """
    records: list[dict[str, Any]] = []
    record: dict[str, Any] | None = None
    no_socket = False
    prefix_match, body_match = _NHRP_PREFIX.match, _NHRP_BODY.match
    types: dict[str, tuple[str, list[str]]] = {}  # few distinct Type lines in a big cache: read each once
    for line in lines:
        if not line:
            continue
        if line[0] != " ":  # entries start in column 0 (the template's prefix rules are anchored there)
            m = prefix_match(line)
            if m is not None:
                prefix, via, interface, created, expire = m.groups()
                if "/" not in prefix:
                    prefix = f"{prefix}/{128 if ':' in prefix else 32}"
                record = {"interface": interface or "", "prefix": prefix, "via": via, "nbma": None,
                          "claimed_nbma": None, "type": "", "flags": [], "created": created or "",
                          "expire": expire or ""}
                records.append(record)
                no_socket = False
                continue
        if record is None:
            return None
        kind_flags = types.get(line)
        if kind_flags is not None:
            record["type"] = kind_flags[0]
            record["flags"] = kind_flags[1] + ["no-socket"] if no_socket else list(kind_flags[1])
            continue
        m = body_match(line)
        if m is None:
            if not _NHRP_IGNORED.match(line):
                return None
            continue
        which = m.lastindex
        if which == 2:  # Type:
            kind_flags = types[line] = (m.group(1), m.group(2).split())
            record["type"] = kind_flags[0]
            record["flags"] = kind_flags[1] + ["no-socket"] if no_socket else list(kind_flags[1])
        elif which == 3:
            record["nbma"] = m.group(3)
        elif which == 6:
            record["interface"], record["created"], record["expire"] = m.group(4, 5, 6)
        elif which == 7:
            record["claimed_nbma"] = m.group(7)
        else:  # (no-socket)
            no_socket = True
            record["flags"] = record["flags"] + ["no-socket"]
    return records


_IKE_AF = re.compile(r"\s*IPv([46])\s+Crypto\s+IKEv2\s+SA$")
_IKE_HEADER = re.compile(r"\s*Tunnel-id\s+(?:Local\s+Remote\s+)?fvrf/ivrf\s+Status$")
_IKE_ROW4 = re.compile(rf"\s*(\d+)\s+({_ADDR})/(\d+)\s+({_ADDR})/(\d+)\s+(\S+)/(\S+)\s+([A-Z][A-Z\-]+)$")
_IKE_ROW6 = re.compile(r"\s*(\d+)\s+(\S+)/(\S+)\s+([A-Z][A-Z\-]+)$")
_IKE_ENDPOINT = re.compile(rf"\s*(Local|Remote)\s+({_ADDR})/(\d+)$")
_IKE_ENCR = re.compile(r"\s*Encr:\s+([^,]+)(?:,\s+keysize:\s+(\d+))?(?:,\s+PRF:\s+([^,]+))?,\s+Hash:\s+([^,]+),"
                       r"\s+DH\s+Grp:\s*(\d+),\s+Auth\s+sign:\s+([^,]+),\s+Auth\s+verify:\s+([^,]+?)(?:,\s+QR)?$")
_IKE_LIFE = re.compile(r"\s*Life/Active\s+Time:\s+(\d+)/(\d+)\s+sec$")
_IKE_CE = re.compile(r"\s*CE\s+id:\s+\d+,\s+Session-id:\s+(\d+)$")
_IKE_SPI = re.compile(r"\s*Local\s+spi:\s+([0-9A-Fa-f]+)\s+Remote\s+spi:\s+([0-9A-Fa-f]+)$")
_IKE_PQC = re.compile(r"\s*PQC\s+Key\s+Exchange:\s+\S+$")


def _ikev2_record(tunnel_id: str, version: str) -> dict[str, Any]:
    return {"tunnel_id": int(tunnel_id), "ip_version": int(version) if version else 0, "local": "",
            "local_port": None, "remote": "", "remote_port": None, "fvrf": "", "ivrf": "", "status": "",
            "encryption": None, "keysize": None, "prf": None, "hash": None, "dh_group": None, "auth_sign": None,
            "auth_verify": None, "lifetime": None, "active_time": None, "session_id": None}


def parse_ikev2_fast(lines: list[str]) -> list[dict[str, Any]] | None:
    """Records of plain `show crypto ikev2 sa` output, or None when the template must decide (e.g. `detail`).

    Builds what the template + ``convert._ikev2`` build (tests compare both on every capture).
    """
    records: list[dict[str, Any]] = []
    record: dict[str, Any] | None = None
    version = ""
    proposals: dict[str, dict[str, Any]] = {}
    headers: set[str] = set()
    for line in lines:
        if not line:
            continue
        text = line.lstrip()
        key = text[:4]
        if text[0].isdigit():
            m = _IKE_ROW4.match(line)
            if m is not None:
                tid, local, lport, remote, rport, fvrf, ivrf, status = m.groups()
                record = {"tunnel_id": int(tid), "ip_version": int(version) if version else 0, "local": local,
                          "local_port": int(lport), "remote": remote, "remote_port": int(rport), "fvrf": fvrf,
                          "ivrf": ivrf, "status": status, "encryption": None, "keysize": None, "prf": None,
                          "hash": None, "dh_group": None, "auth_sign": None, "auth_verify": None, "lifetime": None,
                          "active_time": None, "session_id": None}
            else:
                m = _IKE_ROW6.match(line)
                if m is None:
                    return None
                tid, fvrf, ivrf, status = m.groups()
                record = _ikev2_record(tid, version)
                record.update(fvrf=fvrf, ivrf=ivrf, status=status)
            records.append(record)
        elif record is not None and key == "Encr":
            proposal = proposals.get(line)  # a hub's SAs mostly share one proposal: read each line once
            if proposal is None:
                m = _IKE_ENCR.match(line)
                if m is None:
                    return None
                enc, keysize, prf, hsh, dh, sign, verify = m.groups()
                proposal = proposals[line] = {
                    "encryption": enc or None, "keysize": int(keysize) if keysize else None, "prf": prf or None,
                    "hash": hsh or None, "dh_group": int(dh), "auth_sign": sign or None,
                    "auth_verify": verify or None}
            record.update(proposal)
        elif record is not None and key == "Life":
            m = _IKE_LIFE.match(line)
            if m is None:
                return None
            record["lifetime"], record["active_time"] = int(m.group(1)), int(m.group(2))
        elif record is not None and key == "CE i":
            m = _IKE_CE.match(line)
            if m is None:
                return None
            record["session_id"] = int(m.group(1))
        elif record is not None and key in ("Loca", "Remo"):
            m = _IKE_ENDPOINT.match(line)
            if m is not None:
                side = m.group(1).lower()
                record[side], record[f"{side}_port"] = m.group(2), int(m.group(3))
            elif _IKE_SPI.match(line) is None:
                return None
        elif key == "Tunn":
            if line not in headers:
                if _IKE_HEADER.match(line) is None:
                    return None
                headers.add(line)
        else:
            m = _IKE_AF.match(line)
            if m is not None:
                version, record = m.group(1), None
            elif _IKE_PQC.match(line) is None:
                return None
    for record in records:
        if not record["ip_version"]:
            record["ip_version"] = 6 if ":" in record["local"] else 4
    return records
