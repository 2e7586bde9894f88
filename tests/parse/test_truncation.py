"""Output cut short (a dropped session, a pager, a paste that stops mid-line) is an error or a true prefix.

Every golden capture is cut at every position right after a separator
inside an address, prefix or time (`192.0.2.`, `00:10:`, `10.0.0.1/`, `2001:DB8:`): what is left of
the token is never a value IOS prints, so the parse must raise UnparseableOutput or give records
that agree with the full capture (the last one may lack the fields its missing lines carried). It
must never give a record with a half value or with the columns shifted (`1 192.0.2.2 10.0.0.2 UP` is
not a continuation row whose tunnel address is `1`).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from dmvpn_ops.parse import UnparseableOutput, parse

from .conftest import FIXTURES, golden_cases

SEPARATORS = ".:/"


def _cuts(text: str) -> list[tuple[int, str]]:
    """(line number, capture cut there) for every cut right after a separator between two token characters."""
    lines = text.rstrip("\n").split("\n")
    cuts = []
    for number, line in enumerate(lines, 1):
        for col in range(2, len(line) - 1):
            if line[col - 1] in SEPARATORS and line[col - 2] not in SEPARATORS + " " and \
                    line[col] not in SEPARATORS + " ":
                cuts.append((number, "\n".join([*lines[:number - 1], line[:col]]) + "\n"))
    return cuts


CASES = [(c, r) for c, r in golden_cases() if _cuts(r.read_text())]  # not the empty tables


def _agrees(got: list[dict[str, Any]], full: list[dict[str, Any]]) -> bool:
    """Records before the last equal the full parse; the last has only values the full record has."""
    if not got:
        return True
    if len(got) > len(full) or got[:-1] != full[:len(got) - 1]:
        return False
    last, whole = got[-1], full[len(got) - 1]
    return all(value in (None, "", [], 0) or whole.get(key) == value
               or (isinstance(value, list) and whole.get(key, [])[:len(value)] == value)  # later lines cut off
               for key, value in last.items())


@pytest.mark.parametrize(("command", "raw"), CASES, ids=[f"{r.parent.name}/{r.stem}" for _, r in CASES])
def test_cut_capture_is_an_error_or_a_true_prefix(command: str, raw: Path) -> None:
    text = raw.read_text()
    full = parse(command, text)
    cuts = _cuts(text)
    wrong = []
    for number, cut in cuts:
        try:
            got = parse(command, cut)
        except UnparseableOutput:
            continue
        if not _agrees(got, full):
            wrong.append((number, cut.rstrip("\n").rsplit("\n", 1)[-1], got[-1] if got else None))
    assert not wrong, f"{len(wrong)} cut(s) parsed to wrong records, first: {wrong[0]}"


@pytest.mark.parametrize(("command", "text", "where"), [
    # a row cut after the state: not a continuation row with tunnel address `1`
    ("show dmvpn", "Interface: Tunnel0, IPv4 NHRP Details\nType:Hub, NHRP Peers:2,\n\n"
                   " # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb\n"
                   " ----- --------------- --------------- ----- -------- -----\n"
                   "     1 192.0.2.1              10.0.0.1    UP 00:01:02     D\n"
                   "     1 192.0.2.2              10.0.0.2    UP\n", "line 7"),
    # an Attrb token cut inside a two-character code (DT1 -> DT) is no legend code
    ("show dmvpn", "Interface: Tunnel0, IPv4 NHRP Details\nType:Spoke, NHRP Peers:1,\n\n"
                   " # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb\n"
                   " ----- --------------- --------------- ----- -------- -----\n"
                   "     2 192.0.2.12            10.0.0.12    UP 00:01:12   DT\n", "line 6"),
    # a line wrapped at the terminal width leaves `8` of the expiry on a line of its own
    ("show ip nhrp", "10.0.0.1/32 via 10.0.0.1\n   Tunnel0 created 1w2d, never expire\n   Type: static, Flags: used\n"
                     "   NBMA address: 192.0.2.1\n10.0.0.2/32 via 10.0.0.2, Tunnel0 created 00:00:01, expire 01:59:5\n"
                     "8\n", "line 5"),
    ("show ip nhrp", "10.0.0.2/32 via 10.0.0.2\n   Tunnel0 created 00:00:01, expire 01:59:58\n   Type: dynam, Flags: unique\n", "line 3"),
])
def test_cut_rows_name_the_line(command: str, text: str, where: str) -> None:
    with pytest.raises(UnparseableOutput, match=where):
        parse(command, text)


@pytest.mark.parametrize(("command", "text", "field", "value"), [
    ("show dmvpn", "Interface: Tunnel0, IPv4 NHRP Details\nType:Spoke, NHRP Peers:2,\n\n"
                   " # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb\n"
                   " ----- --------------- --------------- ----- -------- -----\n"
                   "     1 192.0.2.1              10.0.0.1    UP     1w2d     S\n"
                   "     1 192.0.2.2              10.0.0.2    UP    3y12w     S\n", "updn_time", ["1w2d", "3y12w"]),
    ("show ip nhrp", "10.0.0.1/32 via 10.0.0.1\n   Tunnel0 created 3y12w, never expire\n   Type: static, Flags: used\n"
                     "   NBMA address: 192.0.2.1\n", "created", ["3y12w"]),
])
def test_long_uptimes_parse(command: str, text: str, field: str, value: list[str]) -> None:
    assert [r[field] for r in parse(command, text)] == value


DMVPN_HEAD = ("Interface: Tunnel0, IPv4 NHRP Details\nType:Hub, NHRP Peers:{peers},\n\n"
              " # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb\n"
              " ----- --------------- --------------- ----- -------- -----\n")
ROW_1 = "     1 192.0.2.1              10.0.0.1    UP 00:01:02     D\n"
ROWS_2 = ("     2 192.0.2.2              10.0.0.2    UP 00:01:02     D\n"
          "                           10.0.0.22    UP 00:01:02     D\n")


def test_rows_lost_at_a_line_boundary_are_an_error() -> None:
    """`NHRP Peers:3` with one row left (the cut fell between lines): not a table of one peer."""
    with pytest.raises(UnparseableOutput, match=r"Tunnel0 \(IPv4\) announces NHRP Peers:3 but only 1"):
        parse("show dmvpn", DMVPN_HEAD.format(peers=3) + ROW_1)


def test_peer_count_is_of_nbma_peers_not_rows() -> None:
    """Two `# Ent` rows behind one NBMA address are one peer; a filtered output is not checked."""
    assert len(parse("show dmvpn", DMVPN_HEAD.format(peers=2) + ROW_1 + ROWS_2)) == 3
    assert len(parse("show dmvpn | include UP", ROW_1)) == 1


def _last_row(raw: Path) -> int | None:
    """Index of the last peer row of a show dmvpn table (not the IPv6 blocks), or None."""
    lines = [line.rstrip() for line in raw.read_text().split("\n")]
    rows = [i for i, line in enumerate(lines) if re.match(r"\s+\d+\s+\S+\s+\S+\s+[A-Z]+\s+\S+\s+\S+$", line)]
    return rows[-1] if rows else None


TABLES = [raw for raw in sorted((FIXTURES / "show_dmvpn").glob("*.raw")) if _last_row(raw) is not None]


@pytest.mark.parametrize("raw", TABLES, ids=lambda p: p.stem)
def test_every_show_dmvpn_capture_dropping_its_last_row_is_an_error(raw: Path) -> None:
    last = _last_row(raw)
    assert last is not None
    lines = raw.read_text().split("\n")
    with pytest.raises(UnparseableOutput, match="announces NHRP Peers"):
        parse("show dmvpn", "\n".join(lines[:last]) + "\n")


@pytest.mark.parametrize(("command", "capture", "token", "keep", "field"), [
    ("show crypto isakmp sa", "show_crypto_isakmp_sa/lab_nat_t_1", "ACTIVE", "ACTI", "status"),
    ("show crypto ikev2 sa", "show_crypto_ikev2_sa/genieparser_iosxe_1", "READY", "REA", "status"),
    ("show crypto ikev2 sa", "show_crypto_ikev2_sa/genieparser_iosxe_1", "PSK", "PS", "auth_verify"),
    ("show crypto session", "show_crypto_session/lab_ikev1_duplicate_sa_1", "UP-ACTIVE", "UP-ACT", "session_status"),
    ("show crypto session", "show_crypto_session/lab_ikev1_duplicate_sa_1", "Active", "Act", "ike_status"),
    ("show ip ospf neighbor", "show_ip_ospf_neighbor/hub_p2mp", "Tunnel100", "Tunn", "interface"),
    ("show crypto session detail", "show_crypto_session_detail/ntc-templates_ikev2_1", "Tunnel11", "Tunnel", "interface"),
])
def test_last_word_cut_short_is_named(command: str, capture: str, token: str, keep: str, field: str) -> None:
    """The first line ending in ``token``, cut to ``keep``, ends the capture: the field is named, no record."""
    lines = (FIXTURES / f"{capture}.raw").read_text().split("\n")
    index = next(i for i, line in enumerate(lines) if line.rstrip().endswith(token))
    cut = "\n".join([*lines[:index], lines[index].rstrip()[:-len(token)] + keep]) + "\n"
    with pytest.raises(UnparseableOutput, match=rf"ends inside a value \({field} '{keep}'\)"):
        parse(command, cut)


# `show crypto ipsec sa | include peer|encaps|decaps|in use settings` on a hub (public GitHub markdown
# test log of IKEv1 DMVPN phase 3 runs, RT01; search index file id 71413604881): three peers, and no
# `interface:` / ident line to open a record for each.
FILTERED_IPSEC = """   current_peer 198.51.100.10 port 500
    #pkts encaps: 16, #pkts encrypt: 16, #pkts digest: 16
    #pkts decaps: 12, #pkts decrypt: 12, #pkts verify: 12
        in use settings ={Transport, }
        in use settings ={Transport, }
   current_peer 198.51.100.6 port 500
    #pkts encaps: 17, #pkts encrypt: 17, #pkts digest: 17
    #pkts decaps: 16, #pkts decrypt: 16, #pkts verify: 16
        in use settings ={Transport, }
        in use settings ={Transport, }
   current_peer 198.51.100.2 port 500
    #pkts encaps: 18, #pkts encrypt: 18, #pkts digest: 18
    #pkts decaps: 17, #pkts decrypt: 17, #pkts verify: 17
        in use settings ={Transport, }
        in use settings ={Transport, }
"""


def test_filter_that_drops_the_record_openers_is_an_error_not_no_records() -> None:
    with pytest.raises(UnparseableOutput, match="filter left 3 peer lines but 0 record"):
        parse("show crypto ipsec sa | include peer|encaps|decaps|in use settings", FILTERED_IPSEC)
    raw = (FIXTURES / "show_crypto_ipsec_sa" / "genieparser_iosxe_1.raw").read_text()
    merged = "\n".join(line for line in raw.split("\n") if re.search(r"interface:|ident|current_peer", line))
    with pytest.raises(UnparseableOutput, match="filter left 3 peer lines but 2 record"):
        parse("show crypto ipsec sa | include interface:|ident|current_peer", merged + "\n")


def test_filter_keeping_the_openers_gives_one_record_per_peer() -> None:
    """With `protected vrf` (each block's first line) kept, two ident blocks under one interface stay two."""
    raw = (FIXTURES / "show_crypto_ipsec_sa" / "genieparser_iosxe_1.raw").read_text()
    full = parse("show crypto ipsec sa", raw)
    kept = "\n".join(line for line in raw.split("\n")
                     if re.search(r"interface:|protected vrf|ident|current_peer|#pkts encaps", line)) + "\n"
    got = parse("show crypto ipsec sa | include interface:|protected vrf|ident|current_peer|#pkts encaps", kept)
    assert [(r["peer"], r["pkts_encaps"]) for r in got] == [(r["peer"], r["pkts_encaps"]) for r in full]


WRAP_CASES = golden_cases()


@pytest.mark.parametrize(("command", "raw"), WRAP_CASES, ids=[f"{r.parent.name}/{r.stem}" for _, r in WRAP_CASES])
def test_lines_wrapped_at_80_columns_are_refused_or_read_the_same(command: str, raw: Path) -> None:
    """A terminal or mail client that wraps at 80 columns splits the long lines: never other records."""
    text = raw.read_text()
    wrapped = "\n".join(part for line in text.split("\n")
                        for part in ([line[i:i + 80] for i in range(0, len(line), 80)] or [""]))
    full = parse(command, text)
    try:
        got = parse(command, wrapped)
    except UnparseableOutput:
        return
    assert got == full


FAST_COMMANDS = {"show dmvpn", "show ip nhrp", "show ipv6 nhrp", "show crypto ikev2 sa"}
FAST_CASES = [(c, r) for c, r in golden_cases() if c in FAST_COMMANDS]


def _outcome(spec: Any, lines: list[str], fast: bool) -> list[dict[str, Any]] | None:
    from dmvpn_ops.parse.parse import parse_lines
    try:
        return parse_lines(spec, lines, fast=fast)
    except UnparseableOutput:
        return None


@pytest.mark.parametrize(("command", "raw"), FAST_CASES, ids=[f"{r.parent.name}/{r.stem}" for _, r in FAST_CASES])
def test_fast_path_agrees_with_the_template_on_every_cut(command: str, raw: Path) -> None:
    """Cut at every character: with and without the fast path the parse gives the same records or refuses."""
    from dmvpn_ops.parse.commands import resolve_command
    from dmvpn_ops.parse.normalise import normalise

    spec = resolve_command(command)
    assert spec is not None
    lines = raw.read_text().rstrip("\n").split("\n")
    disagree = []
    for number, line in enumerate(lines, 1):
        for col in range(len(line) + 1):
            cut = normalise("\n".join([*lines[:number - 1], line[:col]]) + "\n")
            if cut and _outcome(spec, cut, True) != _outcome(spec, cut, False):
                disagree.append((number, col, line[:col]))
    assert not disagree, f"{len(disagree)} cuts where the fast path and the template disagree, first: {disagree[0]}"


def test_each_unknown_nbma_row_may_be_a_peer_of_its_own() -> None:
    """Incomplete entries print NBMA `UNKNOWN`; IOS counts one (tests/fixtures/parse/show_dmvpn/
    lab_hub_unknown_incomplete_1), so two of them are two peers, not one peer and a lost row."""
    rows = ("     1 UNKNOWN                10.0.0.5  NHRP    never    IX\n"
            "     1 UNKNOWN                10.0.0.6  NHRP    never    IX\n")
    assert len(parse("show dmvpn", DMVPN_HEAD.format(peers=3) + ROW_1 + rows)) == 3
