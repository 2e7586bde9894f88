"""Lint: clean examples pass, every broken case trips exactly its rule, every rule has a case."""
from __future__ import annotations

from pathlib import Path

import pytest

from dmvpn_ops.intent import load_design
from dmvpn_ops.lint import RULES, run_rules
from dmvpn_ops.results import Severity
from tests.conftest import EXAMPLES, INVENTORY, TEST_SECRETS

BROKEN = sorted(p for p in (EXAMPLES / "broken").iterdir() if p.is_dir())
CLEAN = [INVENTORY] + sorted(p for p in EXAMPLES.iterdir() if p.is_dir() and p.name != "broken")


def _rule_of(case: Path) -> str:
    return case.name.split("-")[0].upper()


@pytest.mark.parametrize("path", CLEAN, ids=[p.name for p in CLEAN])
def test_examples_have_no_errors(path: Path, cli) -> None:
    findings = run_rules(load_design(path))
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    assert cli("lint", "-i", str(path)).code == 0


def test_demo_and_dual_hub_examples_are_fully_clean() -> None:
    for name in ("phase2-eigrp", "ikev1-phase2-ospf", "phase3-bgp-dual-cloud", "fvrf-nat-spoke"):
        assert run_rules(load_design(EXAMPLES / name)) == [], name
    assert run_rules(load_design(INVENTORY)) == []


# Findings a broken case trips besides its own rule, each a direct consequence of the one defect it shows.
CONSEQUENCES = {
    # a hub without a fixed NBMA address cannot be mapped statically by its spokes (ip nhrp nhs ... nbma X)
    "dmv205-hub-dhcp": {"DMV203"},
}


@pytest.mark.parametrize("case", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_case_trips_exactly_its_rule(case: Path, cli) -> None:
    import json

    rule = _rule_of(case)
    expected = {rule} | CONSEQUENCES.get(case.name, set())
    codes = {f.code for f in run_rules(load_design(case, require_secrets=False))}
    assert codes == expected
    result = cli("lint", "-i", str(case))
    expected_exit = 1 if any(RULES[r].severity is Severity.ERROR for r in expected) else 0
    assert result.code == expected_exit, result.text
    assert rule in result.out
    as_json = cli("lint", "-i", str(case), "--format", "json")
    assert {f["code"] for f in json.loads(as_json.out)["findings"]} == expected


def test_every_rule_has_a_broken_case() -> None:
    assert {_rule_of(c) for c in BROKEN} == set(RULES)
    assert set(CONSEQUENCES) <= {c.name for c in BROKEN}


def test_findings_carry_host_and_hint() -> None:
    findings = run_rules(load_design(EXAMPLES / "broken" / "dmv501-tunnel-key-mismatch"))
    (finding,) = [f for f in findings if f.code == "DMV501"]
    assert finding.host == "spoke1" and finding.cloud == "C1"
    assert (finding.expected, finding.observed) == (100, 999)
    assert finding.hint


def test_nhrp_auth_length_needs_the_value(monkeypatch) -> None:
    case = EXAMPLES / "broken" / "dmv204-long-nhrp-auth"
    monkeypatch.setenv("DMVPN_LONG_NHRP_AUTH", "short")
    assert "DMV204" not in {f.code for f in run_rules(load_design(case))}


def test_explain_every_rule(cli) -> None:
    for rule_id in RULES:
        result = cli("lint", "--explain", rule_id.lower())
        assert result.code == 0
        assert RULES[rule_id].title.split()[0] in result.out


def test_explain_unknown_rule(cli) -> None:
    result = cli("lint", "--explain", "DMV999")
    assert result.code == 2 and "DMV999" in result.err


def test_lint_json_and_no_secret_leak(cli) -> None:
    import json

    result = cli("lint", "-i", str(EXAMPLES / "broken" / "dmv204-long-nhrp-auth"), "--format", "json")
    records = json.loads(result.out)["findings"]
    assert {r["code"] for r in records} == {"DMV204"}
    assert TEST_SECRETS["DMVPN_LONG_NHRP_AUTH"] not in result.text
