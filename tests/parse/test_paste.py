"""Paste damage: every golden capture, mangled as tickets, mail and web pages mangle it, parses the same.

`dmvpn-ops parse FILE` reads what operators paste; device output (collect, verify) stays strict.
The damages are generated from each capture, so every new golden case is covered too.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from dmvpn_ops.parse import UnparseableOutput, parse

from .conftest import golden_cases

CASES = golden_cases()
IDS = [f"{r.parent.name}/{r.stem}" for _, r in CASES]


def _lines(text: str) -> list[str]:
    return text.rstrip("\n").split("\n")


def _tabs(text: str) -> str:
    """Editors and mail clients: leading indentation and column gaps of 2+ spaces become tabs."""
    out = []
    for line in _lines(text):
        body = line.lstrip(" ")
        lead = "\t" if len(line) > len(body) else ""
        out.append(lead + re.sub(r" {2,}", "\t", body))
    return "\n".join(out) + "\n"


def _stripped(text: str) -> str:
    """Web pages and chat tools drop leading whitespace."""
    return "\n".join(line.lstrip() for line in _lines(text)) + "\n"


def _entities(text: str) -> str:
    """HTML source of a <pre> block: &gt; &lt; &amp; and &nbsp; runs."""
    escaped = html.escape(text, quote=False)
    return "<pre>" + re.sub(r"  ", "&nbsp; ", escaped) + "</pre>\n"


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def _prompt(command: str) -> Callable[[str], str]:
    def mangle(text: str) -> str:
        return f"hub-1#{command}\n{text}hub-1#exit\n"
    return mangle


def _markdown(command: str) -> Callable[[str], str]:
    def mangle(text: str) -> str:
        return f"Output from the hub:\n\n```text\nR1# {command}\n{text}```\n\nThanks!\n"
    return mangle


def _markdown_tail(command: str) -> Callable[[str], str]:
    """A selection from inside a fenced block down to its closing fence (the opening fence left out)."""
    def mangle(text: str) -> str:
        return f"R1#{command}\n{text} R1#\n\n  ```\n</details>\n"
    return mangle


def _md_indent(text: str) -> str:
    return "\n".join("    " + line if line else "" for line in _lines(text)) + "\n"


def _damages(command: str) -> dict[str, Callable[[str], str]]:
    return {
        "tabs": _tabs,
        "stripped": _stripped,
        "entities": _entities,
        "crlf": _crlf,
        "prompt+echo": _prompt(command),
        "markdown-fence": _markdown(command),
        "markdown-indent": _md_indent,
        "markdown-tail": _markdown_tail(command),
        "all": lambda t: _crlf(_prompt(command)(_entities(_tabs(_stripped(t))).removeprefix("<pre>"))),
    }


DAMAGES = list(_damages("x"))


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize(("command", "raw"), CASES, ids=IDS)
def test_paste_damaged_capture_parses_the_same(command: str, raw: Path, damage: str) -> None:
    expected = json.loads(raw.with_suffix(".json").read_text())
    text = raw.read_text().rstrip("\n") + "\n"
    damaged = _damages(command)[damage](text)
    assert parse(command, damaged, paste=True) == expected


def test_unknown_line_reported_with_its_line_number_in_the_paste() -> None:
    raw = next(r for c, r in CASES if c == "show dmvpn" and r.stem == "hub_nat_dual_cloud")
    text = "Hi team, see below\n\n```\nhub1#show dmvpn\n" + raw.read_text().replace(
        "Interface: Tunnel200", "this line is not IOS\nInterface: Tunnel200") + "```\n"
    number = text.split("\n").index("this line is not IOS") + 1
    with pytest.raises(UnparseableOutput) as info:
        parse("show dmvpn", text, paste=True)
    assert info.value.line == number and f"line {number}" in info.value.reason


def test_device_output_stays_strict() -> None:
    """Only pastes are un-HTML'd: an entity in device output is a line the command never prints."""
    raw = next(r for c, r in CASES if c == "show dmvpn" and r.stem == "hub_nat_dual_cloud")
    with pytest.raises(UnparseableOutput):
        parse("show dmvpn", _entities(raw.read_text()))
    with pytest.raises(UnparseableOutput):
        parse("show dmvpn", _markdown("show dmvpn")(raw.read_text()))


def test_paste_of_two_commands_parses_the_first() -> None:
    """A ticket pastes the session as it was: the first command's output ends at the next prompt."""
    text = ("R2# show crypto isakmp sa detail\n\nCodes: N - NAT-traversal\n\nIPv4 Crypto ISAKMP SA\n\n"
            "C-id  Local           Remote          I-VRF  Status Encr Hash   Auth DH Lifetime Cap.\n\n"
            "1013  2.2.2.2         1.1.1.1                ACTIVE aes  sha384 psk  14 23:47:45 N   \n"
            "       Engine-id:Conn-id =  SW:13\n\nR2# show crypto ips sa detail   \n\ninterface: GigabitEthernet0/1\n")
    records = parse("show crypto isakmp sa detail", text, paste=True)
    assert [(r["conn_id"], r["remote"], r["capabilities"]) for r in records] == [(1013, "1.1.1.1", ["N"])]


def test_console_syslog_lines_in_a_paste_are_dropped() -> None:
    """Logging to the terminal interleaves syslog lines with the output; a paste keeps them."""
    raw = next(r for c, r in CASES if c == "show dmvpn" and r.stem == "hub_nat_dual_cloud")
    expected = json.loads(raw.with_suffix(".json").read_text())
    text = raw.read_text().replace(
        "Interface: Tunnel200",
        "*Oct 25 19:16:01.153: %CRYPTO-4-IKMP_NO_SA: IKE message from 203.0.113.10 has no SA\n"
        "Dec  1 10:00:00.001 UTC: %DMVPN-5-NHRP_NHC_UP: Tunnel100: Next Hop Client (NHC) Up\n"
        "000123: %LINEPROTO-5-UPDOWN: Line protocol on Interface Tunnel100, changed state to up\n"
        "Interface: Tunnel200")
    assert parse("show dmvpn", "hub1#show dmvpn\n" + text, paste=True) == expected
    with pytest.raises(UnparseableOutput):
        parse("show dmvpn", text)  # device output stays strict


PASTES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "parse_paste").glob("*/*.txt"))


@pytest.mark.parametrize("paste", PASTES, ids=[f"{p.parent.name}/{p.stem}" for p in PASTES])
def test_real_paste_parses_to_its_records(paste: Path) -> None:
    """Captures as published on web pages (``.source``), parsed as `dmvpn-ops parse FILE` reads them."""
    command = paste.parent.name.replace("_", " ")
    assert paste.with_suffix(".source").read_text().strip()
    expected = json.loads(paste.with_suffix(".json").read_text())
    assert expected, "a real paste golden case holds records"
    assert parse(command, paste.read_text(), paste=True) == expected
    try:  # device mode is strict: it refuses the web debris, or reads the same records, never others
        assert parse(command, paste.read_text()) == expected
    except UnparseableOutput:
        pass
