"""Golden-file tests: every capture parses to exactly its expected JSON (count, keys, values)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dmvpn_ops.parse import parse
from dmvpn_ops.parse.commands import resolve_command
from dmvpn_ops.parse.fast import parse_dmvpn_fast, parse_ikev2_fast, parse_nhrp_fast
from dmvpn_ops.parse.normalise import normalise
from dmvpn_ops.parse.parse import parse_lines

from .conftest import FIXTURES, golden_cases

CASES = golden_cases()


@pytest.mark.parametrize(("command", "raw"), CASES, ids=[f"{r.parent.name}/{r.stem}" for _, r in CASES])
def test_golden(command: str, raw: Path) -> None:
    expected = json.loads(raw.with_suffix(".json").read_text())
    records = parse(command, raw.read_text())
    assert len(records) == len(expected), "missing or extra records"
    for index, (got, want) in enumerate(zip(records, expected)):
        assert sorted(got) == sorted(want), f"record {index}: key set differs"
        assert got == want, f"record {index}: values differ"


@pytest.mark.parametrize("raw", sorted(FIXTURES.glob("show_dmvpn/*.raw")), ids=lambda p: p.stem)
def test_fast_path_matches_template(raw: Path) -> None:
    """The show dmvpn fast path must agree with the TextFSM template (the specification)."""
    lines = normalise(raw.read_text())
    fast = parse_dmvpn_fast(lines)
    spec = resolve_command("show dmvpn")
    assert spec is not None
    slow = parse_lines(spec, lines, fast=False)
    if fast is not None:
        assert fast == slow


FAST = {"show ip nhrp": parse_nhrp_fast, "show ipv6 nhrp": parse_nhrp_fast, "show crypto ikev2 sa": parse_ikev2_fast}
FAST_CASES = [(c, r) for c, r in CASES if c in FAST]


@pytest.mark.parametrize(("command", "raw"), FAST_CASES, ids=[f"{r.parent.name}/{r.stem}" for _, r in FAST_CASES])
def test_nhrp_and_ikev2_fast_paths_equal_the_template(command: str, raw: Path) -> None:
    """Every plain capture of these commands is read by the fast path, and it equals the template."""
    spec = resolve_command(command)
    assert spec is not None
    for text in (raw.read_text(), "\n".join(line.lstrip() for line in raw.read_text().splitlines())):
        lines = normalise(text)
        fast = FAST[command](lines)
        assert fast is not None, "the fast path gave up on a plain capture"
        assert fast == parse_lines(spec, lines, fast=False)


@pytest.mark.parametrize("bad", ["   Type: dynamic, Flags: unique\n   Owner: x\n", "10.0.0.1/32 via 10.0.0.1\n   Bogus: 1\n",
                                 "1  192.0.2.1/500  198.51.100.1/500  none/none  READY\n   Fragmentation configured.\n"])
def test_fast_paths_leave_unknown_lines_to_the_template(bad: str) -> None:
    lines = normalise(bad)
    assert parse_nhrp_fast(lines) is None and parse_ikev2_fast(lines) is None


def test_every_command_has_a_golden_case() -> None:
    from dmvpn_ops.parse import SUPPORTED_COMMANDS
    dirs = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    missing = [c for c in SUPPORTED_COMMANDS if c.replace(" ", "_") not in dirs]
    assert not missing


def test_ntc_show_dmvpn_upstream_agrees() -> None:
    """Our records carry everything ntc-templates' expected parse has, with the same values."""
    raw = FIXTURES / "show_dmvpn" / "ntc-templates_1.raw"
    upstream = json.loads(raw.with_name("ntc-templates_1.upstream.json").read_text())["parsed_sample"]
    ours = parse("show dmvpn", raw.read_text())
    assert [(r["peer_nbma"], r["peer_tunnel"], r["state"], r["updn_time"], r["attributes"]) for r in ours] == \
        [(u["peer_nbma"], u["peer_tunnel"], u["state"], u["uptime"], [u["attribute"]]) for u in upstream]


def test_ntc_eigrp_upstream_agrees() -> None:
    raw = FIXTURES / "show_ip_eigrp_neighbors" / "ntc-templates_1.raw"
    upstream = json.loads(raw.with_name("ntc-templates_1.upstream.json").read_text())["parsed_sample"]
    ours = parse("show ip eigrp neighbors", raw.read_text())
    assert [(r["address"], r["interface"], str(r["hold"]), r["uptime"]) for r in ours] == \
        [(u["address"], u["interface"], u["hold"], u["uptime"]) for u in upstream]


def test_ntc_session_detail_upstream_agrees() -> None:
    raw = FIXTURES / "show_crypto_session_detail" / "ntc-templates_1.raw"
    upstream = json.loads(raw.with_name("ntc-templates_1.upstream.json").read_text())["parsed_sample"]
    ours = parse("show crypto session detail", raw.read_text())
    assert [(r["interface"], r["peer"], r["port"], r["session_status"], r["ike_statuses"][-1], r["active_sas"])
            for r in ours] == \
        [(u["interface"], u["peer"], int(u["port"]), u["session_status"], u["ikev1_status"], int(u["active_sa"]))
         for u in upstream]


def test_genie_isakmp_upstream_agrees() -> None:
    raw = FIXTURES / "show_crypto_isakmp_sa" / "genieparser_iosxe_1.raw"
    upstream = json.loads(raw.with_name("genieparser_iosxe_1.upstream.json").read_text())
    text = json.dumps(upstream)
    ours = parse("show crypto isakmp sa", raw.read_text())
    assert len(ours) == 6
    for record in ours:
        assert record["dst"] in text and record["src"] in text and str(record["conn_id"]) in text
