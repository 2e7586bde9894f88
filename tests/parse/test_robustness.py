"""Messy-but-valid captures parse; output that is not the command's is UnparseableOutput, never []."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dmvpn_ops.errors import InputError, ParseError
from dmvpn_ops.parse import SUPPORTED_COMMANDS, UnparseableOutput, UnsupportedCommand, parse, resolve_command

from .conftest import FIXTURES, golden_cases

DMVPN = (FIXTURES / "show_dmvpn" / "hub_nat_dual_cloud.raw").read_text()
NHRP = (FIXTURES / "show_ip_nhrp" / "genieparser_iosxe_1.raw").read_text()
EXPECTED = parse("show dmvpn", DMVPN)


@pytest.mark.parametrize("mangle", [
    pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
    pytest.param(lambda t: t.rstrip("\n"), id="no-final-newline"),
    pytest.param(lambda t: "\n".join("\t" + line if line.startswith(" ") else line for line in t.split("\n")),
                 id="tabs"),
    pytest.param(lambda t: "\n".join(line + "   " for line in t.split("\n")), id="trailing-spaces"),
    pytest.param(lambda t: "\n".join("    " + line for line in t.split("\n")), id="common-indent"),
    pytest.param(lambda t: "hub1#show dmvpn\n" + t + "hub1#", id="prompt-echo"),
    pytest.param(lambda t: "**** Authorized access only ****\n\nhub1#terminal length 0\nhub1#sh dmvpn\n" + t,
                 id="banner-and-prompt"),
    pytest.param(lambda t: "Load for five secs: 4%/0%; one minute: 1%; five minutes: 0%\n"
                           "Time source is NTP, 12:08:56.318 UTC Sat Aug 27 2016\n\n" + t, id="exec-timestamp"),
    pytest.param(lambda t: t.replace("Interface: Tunnel200", " --More-- \x08\x08\x08\x08\x08\x08\x08\x08\x08\x08"
                                                          "          \x08\x08\x08\x08\x08\x08\x08\x08\x08\x08"
                                                          "Interface: Tunnel200"), id="more-remnant"),
])
def test_messy_dmvpn_parses_the_same(mangle) -> None:  # type: ignore[no-untyped-def]
    assert parse("show dmvpn", mangle(DMVPN)) == EXPECTED


def test_messy_nhrp_echo_and_crlf() -> None:
    clean = parse("show ip nhrp", NHRP)
    assert parse("show ip nhrp", "spoke1#show ip nhrp\r\n" + NHRP.replace("\n", "\r\n")) == clean
    assert len(clean) == 5


@pytest.mark.parametrize("command", SUPPORTED_COMMANDS)
@pytest.mark.parametrize("text", [
    "hello world\nthis is not IOS\n",
    "show dmvpn\n        ^\n% Invalid input detected at '^' marker.\n",
    "% Incomplete command.\n",
])
def test_garbage_and_ios_errors_are_unparseable(command: str, text: str) -> None:
    with pytest.raises(UnparseableOutput) as info:
        parse(command, text)
    assert info.value.reason
    assert isinstance(info.value, ParseError) and info.value.exit_code == 1


def test_invalid_input_reason_quotes_the_device() -> None:
    with pytest.raises(UnparseableOutput, match="Invalid input detected"):
        parse("show dmvpn", "hub1#show dmvpn\n        ^\n% Invalid input detected at '^' marker.\n")


@pytest.mark.parametrize(("command", "other"), [
    ("show dmvpn", "show_ip_nhrp/genieparser_iosxe_1.raw"),
    ("show ip nhrp", "show_dmvpn/ntc-templates_1.raw"),
    ("show ip nhrp nhs", "show_ip_nhrp/genieparser_iosxe_1.raw"),
    ("show crypto isakmp sa", "show_crypto_ikev2_sa/ipv4_and_ipv6.raw"),
    ("show crypto ikev2 sa", "show_crypto_isakmp_sa/genieparser_iosxe_1.raw"),
    ("show crypto ipsec sa", "show_crypto_session/genieparser_iosxe_2.raw"),
    ("show crypto session", "show_crypto_ipsec_sa/genieparser_iosxe_1.raw"),
    ("show ip eigrp neighbors", "show_ip_ospf_neighbor/hub_p2mp.raw"),
    ("show ip ospf neighbor", "show_ip_eigrp_neighbors/ntc-templates_1.raw"),
    ("show ip bgp summary", "show_ip_interface_brief/genieparser_iosxe_sdwan_1.raw"),
    ("show ip interface brief", "show_ip_bgp_summary/hub_listen_range.raw"),
])
def test_other_commands_output_is_unparseable(command: str, other: str) -> None:
    with pytest.raises(UnparseableOutput, match="not part of this command's output"):
        parse(command, (FIXTURES / other).read_text())


@pytest.mark.parametrize("command", ["show dmvpn", "show crypto isakmp sa", "show crypto session",
                                     "show ip interface brief", "show ip bgp summary"])
def test_empty_output_is_unparseable_where_ios_always_prints_a_header(command: str) -> None:
    with pytest.raises(UnparseableOutput, match="empty"):
        parse(command, "  \r\n\n")


@pytest.mark.parametrize("command", ["show ip nhrp", "show ip ospf neighbor", "show crypto ipsec sa"])
def test_empty_output_is_an_empty_table_where_ios_prints_nothing(command: str) -> None:
    assert parse(command, "") == []


def test_continuation_row_without_parent_is_unparseable() -> None:
    text = DMVPN.replace("     1 192.0.2.11           10.100.0.11    UP 01:02:03     D",
                         "                            10.100.0.11    UP 01:02:03     D")
    with pytest.raises(UnparseableOutput):
        parse("show dmvpn", text)


@pytest.mark.parametrize(("typed", "canonical"), [
    ("sh dmvpn", "show dmvpn"),
    ("SHOW DMVPN DETAIL", "show dmvpn detail"),
    ("show dmvpn interface Tunnel100", "show dmvpn"),
    ("show  ip nhrp nhs detail", "show ip nhrp nhs detail"),
    ("show ip nhrp nhs tunnel 100", "show ip nhrp nhs"),
    ("sh ip nhrp nhs tu 100 det", "show ip nhrp nhs detail"),
    ("sh ip nh", "show ip nhrp"),
    ("sh ip nhrp de", "show ip nhrp detail"),
    ("sh cry isa sa", "show crypto isakmp sa"),
    ("sh cry ikev2 sa", "show crypto ikev2 sa"),
    ("sh cry ip sa", "show crypto ipsec sa"),
    ("show crypto ipsec sa peer 192.0.2.1", "show crypto ipsec sa"),
    ("sh cry ses det", "show crypto session detail"),
    ("sh ip ei nei", "show ip eigrp neighbors"),
    ("sh ip os nei", "show ip ospf neighbor"),
    ("sh ip bg su", "show ip bgp summary"),
    ("show bgp ipv4 unicast summary", "show ip bgp summary"),
    ("sh ip int br", "show ip interface brief"),
])
def test_command_abbreviations(typed: str, canonical: str) -> None:
    spec = resolve_command(typed)
    assert spec is not None and spec.name == canonical


@pytest.mark.parametrize("typed", ["show ip nhrp purge", "show version", "show ip route", "sh ip nhrp nhs foo"])
def test_unsupported_commands(typed: str) -> None:
    with pytest.raises(UnsupportedCommand) as info:
        parse(typed, "anything")
    assert isinstance(info.value, InputError) and info.value.exit_code == 2


def test_templates_compiled_once() -> None:
    import sys
    engine = sys.modules["dmvpn_ops.parse.parse"]
    parse("show ip nhrp", NHRP)
    first = engine._TEMPLATES["cisco_ios_show_ip_nhrp.textfsm"]
    parse("show ip nhrp", NHRP)
    assert engine._TEMPLATES["cisco_ios_show_ip_nhrp.textfsm"] is first


def test_attribute_codes() -> None:
    from dmvpn_ops.parse import attribute_codes
    assert attribute_codes(["DT1"]) == ["D", "T1"]
    assert attribute_codes(["IX"]) == ["I", "X"]
    assert attribute_codes("DN") == ["D", "N"]
    assert attribute_codes(["I2"]) == ["I2"]


@pytest.mark.parametrize(("typed", "canonical"), [
    ("show crypto isakmp sa vrf INET", "show crypto isakmp sa"),
    ("show crypto ikev2 sa local 192.0.2.1", "show crypto ikev2 sa"),
    ("show crypto ikev2 sa remote 2001:db8::1", "show crypto ikev2 sa"),
    ("show crypto ikev2 sa fvrf INET ivrf CORP", "show crypto ikev2 sa"),
    ("show bgp ipv6 unicast summary", "show ip bgp summary"),
    ("sh bgp ipv4 uni sum", "show ip bgp summary"),
    ("show ip bgp vpnv4 all summary", "show ip bgp summary"),
    ("show ip bgp vpnv4 vrf CORP summary", "show ip bgp summary"),
    ("show ip ospf 1 neighbor", "show ip ospf neighbor"),
    ("show ip ospf neighbor Tunnel100", "show ip ospf neighbor"),
    ("show ip eigrp vrf CORP neighbors", "show ip eigrp neighbors"),
    ("show ip eigrp vrf CORP 100 neighbors Tunnel0", "show ip eigrp neighbors"),
    ("show eigrp address-family ipv4 100 neighbors", "show ip eigrp neighbors"),
    ("show crypto ipsec sa peer 192.0.2.1", "show crypto ipsec sa"),
    ("show crypto ipsec sa peer vrf INET 192.0.2.1 detail", "show crypto ipsec sa detail"),
    ("show crypto ipsec sa interface Tunnel100", "show crypto ipsec sa"),
    ("show crypto ipsec sa interface tunnel 100", "show crypto ipsec sa"),
    ("show crypto session remote 192.0.2.1 detail", "show crypto session detail"),
    ("show crypto ipsec sa ipv6 detailed", "show crypto ipsec sa detail"),
    ("show crypto isakmp sa detail vrf INET", "show crypto isakmp sa detail"),
    ("show crypto session detail remote 192.0.2.1", "show crypto session detail"),
    ("show crypto session brief fvrf INET", "show crypto session brief"),
    ("show dmvpn ipv4 vrf CORP interface Tunnel100 detail", "show dmvpn detail"),
    ("show dmvpn peer nbma 192.0.2.11", "show dmvpn"),
    ("show ip nhrp vrf CORP Tunnel100", "show ip nhrp"),
    ("show ip nhrp 10.100.0.11", "show ip nhrp"),
    ("show ip nhrp dynamic detail", "show ip nhrp detail"),
    ("show ip nhrp local", "show ip nhrp"),
    ("sh ip nhrp shortcut Tunnel0", "show ip nhrp"),
    ("show dmvpn | include UP", "show dmvpn"),
    ("sh ip nhrp | i NBMA", "show ip nhrp"),
    ("show crypto session detail | section Peer", "show crypto session detail"),
])
def test_scope_forms_share_the_table(typed: str, canonical: str) -> None:
    spec = resolve_command(typed)
    assert spec is not None and spec.name == canonical
    assert spec.filtered == ("|" in typed)


@pytest.mark.parametrize("typed", ["show ip ospf neighbor detail", "show ip eigrp neighbors detail",
                                   "show dmvpn | redirect flash:x", "show crypto ikev2 sa bogus",
                                   "show ip bgp neighbors", "show crypto ipsec sa peer"])
def test_other_layouts_are_not_taken_for_scope_forms(typed: str) -> None:
    assert resolve_command(typed) is None


def _include(text: str, pattern: str) -> str:
    """What IOS `| include REGEX` prints: the lines the regex finds, in order."""
    return "\n".join(line for line in text.splitlines() if re.search(pattern, line)) + "\n"


def test_include_filtered_dmvpn_gives_the_rows_there() -> None:
    rows = parse("show dmvpn | include UP", _include(DMVPN, "UP"))
    assert [(r["peer_nbma"], r["peer_tunnel"]) for r in rows] == \
        [(r["peer_nbma"], r["peer_tunnel"]) for r in EXPECTED if r["state"] == "UP"]
    assert all(r["interface"] is None and r["state"] == "UP" for r in rows)


def test_include_filtered_nhrp_keeps_what_is_there() -> None:
    rows = parse("sh ip nhrp | i via|NBMA", _include(NHRP, "via|NBMA"))
    clean = parse("show ip nhrp", NHRP)
    assert [(r["prefix"], r["nbma"]) for r in rows] == [(r["prefix"], r["nbma"]) for r in clean]
    assert parse("show ip nhrp | include nothing-matches", "") == []


@pytest.mark.parametrize(("command", "raw"), golden_cases(), ids=lambda v: getattr(v, "stem", v))
def test_include_everything_gives_the_same_records(command: str, raw: Path) -> None:
    """`| include .` drops only blank lines: the one-state template must read the rest alike."""
    expected = json.loads(raw.with_suffix(".json").read_text())
    got = parse(f"{command} | include .", _include(raw.read_text(), "."))
    # identical lines told apart only by their section: inbound/outbound `spi:`, Sent/Rcvd counters,
    # Remote/Local cache counts; there the one-state template keeps what the section does not decide
    same_line_keys = {"show crypto ipsec sa": ("interface", "peer", "local_ident", "remote_ident", "pkts_encaps",
                                               "pkts_decaps", "status"),
                      "show ip nhrp traffic": ("interface", "max_send_limit", "usage", "sent_total", "rcvd_total"),
                      "show ip nhrp summary": ("ip_version", "entries", "bytes", "remote", "local")}
    keys = same_line_keys.get(command.removesuffix(" detail"))
    if keys:
        got, expected = ([{k: r[k] for k in keys} for r in rs] for rs in (got, expected))
    expected = [{k: None if v == "" else v for k, v in r.items()} for r in expected]
    assert got == expected


def test_filtered_garbage_is_still_unparseable() -> None:
    with pytest.raises(UnparseableOutput):
        parse("show dmvpn | include UP", "hello world\n")
