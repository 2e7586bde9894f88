"""Reporters on verify results built from saved outputs: JSON shape, JUnit cases, Prometheus text, console."""
from __future__ import annotations

import json

from junitparser import JUnitXml
from prometheus_client.parser import text_string_to_metric_families
from rich.console import Console

from dmvpn_ops.intent import load_design
from dmvpn_ops.report import print_verify, render_verify
from dmvpn_ops.report.junit import CHECK_CODES
from dmvpn_ops.verify import evaluate
from tests.verify.outputs import load_collections, scenario_inventory


def result(name: str, mode: str = "full"):
    design = load_design(scenario_inventory(name))
    return evaluate(design, load_collections(name, design), mode=mode)


def test_json_is_design_shape_and_masked():
    from tests.conftest import TEST_SECRETS
    text = render_verify(result("demo_wrong_psk_spoke2"), "json")
    data = json.loads(text)
    assert list(data)[:4] == ["schema_version", "summary", "hosts", "findings"]
    assert data["summary"]["exit_code"] == 1 and len(data["edges"]) == 8
    assert not any(v in text for v in TEST_SECRETS.values())


def test_junit_one_case_per_host_per_check(tmp_path):
    path = tmp_path / "verify.xml"
    path.write_text(render_verify(result("demo_wrong_psk_spoke2"), "junit"))
    xml = JUnitXml.fromfile(str(path))
    suites = list(xml)
    assert len(suites) == 6
    cases = [(s.name, c.name, [r.type for r in c.result]) for s in suites for c in s]
    assert len(cases) == 6 * len(CHECK_CODES)
    failed = [(s, c) for s, c, r in cases if "IKE_NOT_ESTABLISHED" in r]
    assert failed == [("spoke2 (spoke)", "ike")]


def test_prometheus_exposition_parses():
    text = render_verify(result("demo_hub1_down"), "prom")
    families = {f.name: f for f in text_string_to_metric_families(text)}
    assert {"dmvpn_spoke_registered", "dmvpn_ipsec_pkts", "dmvpn_findings", "dmvpn_device_reachable",
            "dmvpn_edge_up"} <= set(families)
    reachable = {s.labels["host"]: s.value for s in families["dmvpn_device_reachable"].samples}
    assert reachable["hub1"] == 0 and reachable["hub2"] == 1
    nhs = [s for s in families["dmvpn_findings"].samples if s.labels["code"] == "NHS_DOWN"]
    assert nhs[0].value == 1 and nhs[0].labels["severity"] == "error"


def test_console_groups_cloud_hub_spoke():
    console = Console(record=True, width=200)
    print_verify(result("demo_link_loss_spoke1"), console)
    text = console.export_text()
    assert "DMVPN1" in text and "hub1" in text and "spoke1" in text
    assert "✘ down" in text and "SPOKE_NOT_REGISTERED" in text and "INTERFACE_DOWN" in text
