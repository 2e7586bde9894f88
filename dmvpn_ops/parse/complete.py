"""Completeness of a parsed table: rows the output announces but does not hold.

Output cut at a line boundary (a dropped session, a paste that stops early, a pager quit with `q`)
loses whole rows, and every line left still parses. Where IOS prints how many entries follow, the
records are checked against that count so the loss is an error naming the command, not a table that
silently misses peers (verify would then call those peers down).

`show dmvpn` (``Type:Hub, NHRP Peers:3,``): the number of NBMA peers of that table. On every capture
in tests/fixtures/parse (IOS 12.4, 15.x, IOS-XE 16/17, dual-stack, `# Ent` 2 shortcut rows) it equals
the distinct peer NBMA addresses of the table's rows; only fewer rows than announced is reported,
and not the IPv6 blocks' ``Total NBMA Peers (v4/v6)`` whose split is not documented.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["COMPLETENESS"]

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
        header = _TABLE.match(line)
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
        seen = {(r["ip_version"], r["peer_nbma"]) for r in records
                if r["interface"] == name and version in (None, r["ip_version"])}
        if len(seen) < count:
            family = f" (IPv{version})" if version else ""
            return (f"{name}{family} announces NHRP Peers:{count} but only {len(seen)} peer(s) follow: "
                    "the output was cut short or lines were lost")
    return None


# template -> check(lines, records) -> reason or None
COMPLETENESS: dict[str, Callable[[list[str], list[dict[str, Any]]], str | None]] = {
    "cisco_ios_show_dmvpn.textfsm": _dmvpn,
}
