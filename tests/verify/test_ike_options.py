"""IKE_DPD_MISSING / IKE_DPD_MISMATCH / IKE_LIFETIME_MISMATCH from `show crypto ikev2 sa detail` (full mode).

Saved emulator outputs (tests/fixtures/verify/demo_clean) edited where a real router would differ; the
intent decides whether DPD is expected (``crypto.dpd``, default on; ``dpd: null`` turns it off).
"""
from __future__ import annotations

import shutil
from pathlib import Path

from dmvpn_ops.intent import load_design
from dmvpn_ops.results import Severity
from dmvpn_ops.verify import evaluate
from tests.verify.outputs import load_collections

ROOT = Path(__file__).resolve().parents[2]
DETAIL = "show crypto ikev2 sa detail"
FIX = ROOT / "tests" / "fixtures" / "verify" / "demo_clean"


def _detail(host: str) -> str:
    return (FIX / host / "show_crypto_ikev2_sa_detail.txt").read_text()


def _no_dpd(host: str) -> dict[tuple[str, str], str]:
    text = _detail(host)
    assert "DPD configured for 10 seconds, retry 3" in text  # the emulator prints the rendered `dpd 10 3`
    return {(host, DETAIL): text.replace("DPD configured for 10 seconds, retry 3", "DPD configured for 0 seconds, retry 0")}


def _run(edit: dict[tuple[str, str], str], inventory: Path = ROOT / "inventory", mode: str = "full"):
    design = load_design(inventory)
    hosts = None if mode == "full" else design.hub_names
    return evaluate(design, load_collections("demo_clean", design, hosts, edit, full=mode == "full"), mode=mode)


def test_a_spoke_without_dpd_is_one_warning_naming_both_sas():
    result = _run(_no_dpd("spoke1"))
    found = [f for f in result.findings if f.code.startswith("IKE_")]
    assert [(f.code, f.host, f.severity) for f in found] == [("IKE_DPD_MISSING", "spoke1", Severity.WARNING)]
    assert set(found[0].observed) == {"hub1", "hub2"}            # its SA to each hub
    assert found[0].message.startswith("spoke1: 2 IKE SAs of ") and "(to hub1, hub2) run without dead peer" \
        in found[0].message
    assert found[0].expected == {"interval": 10, "retry": 3}
    assert all(e.status == "up" for e in result.edges)            # a warning, not an outage
    assert result.exit_code == 1


def test_no_dpd_finding_when_the_intent_does_not_ask_for_dpd(tmp_path):
    inventory = tmp_path / "inventory"
    shutil.copytree(ROOT / "inventory", inventory, ignore=shutil.ignore_patterns("examples"))
    groups = inventory / "groups.yaml"
    text = groups.read_text()
    assert "            mode: transport\n" in text
    groups.write_text(text.replace("            mode: transport\n", "            mode: transport\n            dpd: null\n", 1))
    assert load_design(inventory).hosts["spoke1"].tunnels[0].spec.crypto.dpd is None
    result = _run(_no_dpd("spoke1"), inventory)
    assert not [f for f in result.findings if f.code.startswith("IKE_")], result.findings


def test_other_dpd_values_and_lifetime_are_mismatches():
    text = _detail("hub1").replace("DPD configured for 10 seconds, retry 3", "DPD configured for 60 seconds, retry 5")
    text = text.replace("Life/Active Time: 86400/", "Life/Active Time: 3600/")
    result = _run({("hub1", DETAIL): text})
    found = {(f.code, f.host) for f in result.findings if f.code.startswith("IKE_")}
    assert found == {("IKE_DPD_MISMATCH", "hub1"), ("IKE_LIFETIME_MISMATCH", "hub1")}
    lifetime = next(f for f in result.findings if f.code == "IKE_LIFETIME_MISMATCH")
    assert lifetime.expected == 86400 and set(lifetime.observed.values()) == {3600}


def test_fast_mode_does_not_collect_the_detail():
    design = load_design(ROOT / "inventory")
    colls = load_collections("demo_clean", design, design.hub_names, _no_dpd("hub1"))
    assert all(DETAIL not in c.commands for c in colls.values())
    assert not [f for f in evaluate(design, colls, mode="fast").findings if f.code.startswith("IKE_")]


def test_junit_files_the_warning_under_the_ike_check():
    from junitparser import JUnitXml

    from dmvpn_ops.report.junit import verify_junit

    xml = JUnitXml.fromstring(verify_junit(_run(_no_dpd("spoke1"))))
    failed = {(suite.name, case.name) for suite in xml for case in suite if case.result and not case.is_skipped}
    assert failed == {("spoke1 (spoke)", "ike")}


def test_ikev1_sa_without_the_dpd_capability():
    design = load_design(ROOT / "inventory" / "examples" / "ikev1-phase2-ospf")
    path = ROOT / "tests" / "fixtures" / "verify" / "ikev1_ospf_clean" / "spoke2" / "show_crypto_isakmp_sa_detail.txt"
    text = path.read_text()
    assert " D\n" in text                                # the emulator prints the rendered keepalive as D
    edit = {("spoke2", "show crypto isakmp sa detail"): text.replace(" D\n", "  \n")}
    clean = evaluate(design, load_collections("ikev1_ospf_clean", design, full=True), mode="full")
    assert clean.findings == []
    result = evaluate(design, load_collections("ikev1_ospf_clean", design, edit=edit, full=True), mode="full")
    assert [(f.code, f.host) for f in result.findings] == [("IKE_DPD_MISSING", "spoke2")], result.findings
