"""Prometheus: state as the value, the same series every run; JUnit: one failure per testcase, honest times.

Parsed back with prometheus_client's own parser and junitparser, on verify results of saved outputs and
health runs built from them (the emulator runs of the same reporters are in tests/schemas and tests/health).
"""
from __future__ import annotations

from pathlib import Path

from junitparser import Failure, JUnitXml
from prometheus_client.parser import text_string_to_metric_families

from dmvpn_ops.health.nightly import HealthRun
from dmvpn_ops.health.record import build_record
from dmvpn_ops.health.trend import compare
from dmvpn_ops.intent import load_design
from dmvpn_ops.report import render_verify
from dmvpn_ops.report.health import TREND_CODES, health_junit, health_prometheus
from dmvpn_ops.report.junit import CHECK_COMMANDS
from dmvpn_ops.report.prom import EDGE_STATES
from dmvpn_ops.verify import VerifyResult, evaluate
from dmvpn_ops.verify.checks import CODES
from tests.verify.outputs import load_collections, scenario_inventory

SCENARIOS = ("demo_clean", "demo_hub1_down", "demo_wrong_psk_spoke2", "demo_link_loss_spoke1")


def result(name: str, mode: str = "full") -> VerifyResult:
    design = load_design(scenario_inventory(name))
    return evaluate(design, load_collections(name, design), mode=mode)


def families(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    out: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        out.setdefault(family.name, []).extend((dict(s.labels), s.value) for s in family.samples)
    return out


def series(samples: list[tuple[dict[str, str], float]]) -> set[tuple[tuple[str, str], ...]]:
    return {tuple(sorted(labels.items())) for labels, _ in samples}


def test_edge_up_is_the_value_with_stable_labels() -> None:
    for name in SCENARIOS:
        res = result(name)
        fam = families(render_verify(res, "prom"))
        up = {(lb["cloud"], lb["hub"], lb["spoke"]): v for lb, v in fam["dmvpn_edge_up"]}
        assert all(set(lb) == {"cloud", "hub", "spoke"} for lb, _ in fam["dmvpn_edge_up"])
        assert up == {(e.cloud, e.hub, e.spoke): 1.0 if e.status == "up" else 0.0 for e in res.edges}
        state: dict[tuple[str, str, str], dict[str, float]] = {}
        for lb, v in fam["dmvpn_edge_state"]:
            state.setdefault((lb["cloud"], lb["hub"], lb["spoke"]), {})[lb["state"]] = v
        assert all(set(s) == set(EDGE_STATES) and sum(s.values()) == 1.0 for s in state.values())
        assert {k for k, s in state.items() if s["up"] == 1.0} == {k for k, v in up.items() if v == 1.0}
    down = families(render_verify(result("demo_hub1_down"), "prom"))["dmvpn_edge_up"]
    assert {v for lb, v in down if lb["hub"] == "hub1"} == {0.0}
    assert {v for lb, v in down if lb["hub"] == "hub2"} == {1.0}


def test_same_series_every_run_whatever_was_found() -> None:
    """A clean run and a broken run expose the same label sets: nothing comes and goes with the state."""
    runs = [families(render_verify(result(name), "prom")) for name in SCENARIOS]
    for metric in ("dmvpn_edge_up", "dmvpn_edge_state", "dmvpn_findings"):
        assert all(series(r[metric]) == series(runs[0][metric]) for r in runs), metric
    findings = runs[0]["dmvpn_findings"]
    assert {(lb["code"], lb["severity"]) for lb, _ in findings} == {
        (c, s) for c in CODES for s in ("error", "warning", "info")}
    broken = {(lb["code"], lb["severity"]): v for lb, v in runs[2]["dmvpn_findings"]}
    assert broken[("IKE_NOT_ESTABLISHED", "error")] >= 1 and broken[("IKE_NOT_ESTABLISHED", "info")] == 0


def _health(previous_name: str | None, name: str, tmp_path: Path) -> HealthRun:
    previous = None
    if previous_name is not None:
        previous = build_record(result(previous_name), timestamp=1_700_000_000.0, inventory="demo")
    res = result(name)
    trend, record = compare(previous, build_record(res, timestamp=1_700_021_600.0, inventory="demo"))
    return HealthRun(result=res, record=record, previous=previous, trend=trend, record_path=tmp_path / "r.json")


def test_health_trend_findings_every_severity_every_run(tmp_path: Path) -> None:
    first = families(health_prometheus(_health(None, "demo_clean", tmp_path)))
    later = families(health_prometheus(_health("demo_clean", "demo_link_loss_spoke1", tmp_path)))
    trend = first["dmvpn_health_trend_findings"]
    assert {(lb["code"], lb["severity"]) for lb, _ in trend} == {
        (c, s) for c in TREND_CODES for s in ("error", "warning", "info")}
    assert all(v == 0.0 for _, v in trend)
    assert series(later["dmvpn_health_trend_findings"]) == series(trend)
    assert series(later["dmvpn_edge_up"]) == series(first["dmvpn_edge_up"])


def _cases(xml_text: str, tmp_path: Path) -> list[tuple[str, str, list[object], float]]:
    path = tmp_path / "report.xml"
    path.write_text(xml_text)
    return [(suite.name, case.name, list(case.result), case.time) for suite in JUnitXml.fromfile(str(path))
            for case in suite]


def test_junit_one_failure_per_testcase_with_every_problem(tmp_path: Path) -> None:
    res = result("demo_hub1_down")
    cases = _cases(render_verify(res, "junit"), tmp_path)
    failures = [(s, c, r) for s, c, r, _ in cases if any(isinstance(x, Failure) for x in r)]
    assert failures and all(len(r) == 1 for _, _, r in failures)
    # hub1 is down: several findings land on some host's testcase, all named in its single failure
    failure = next(r[0] for s, c, r in failures if s.startswith("hub1 ") and c == "reachable")
    assert isinstance(failure, Failure) and "DEVICE_UNREACHABLE" in failure.type
    multi = [r[0] for _, _, r in failures if isinstance(r[0], Failure) and r[0].message.count(": ") >= 2]
    assert multi, "some testcase carries more than one finding in its single <failure>"
    assert all(code in multi[0].text for code in multi[0].type.split(","))


def test_junit_time_is_per_testcase(tmp_path: Path) -> None:
    """Each check carries the device time of the commands it reads; reachable the rest (login etc.)."""
    res = result("demo_clean")
    for name, status in res.hosts.items():
        status.elapsed = 2.0
        res.collections[name].timings = dict.fromkeys(res.collections[name].commands, 0.1)
    cases = _cases(render_verify(res, "junit"), tmp_path)
    by_case = {(suite, case): time for suite, case, _, time in cases}
    hub = res.collections["hub1"]
    assert by_case[("hub1 (hub)", "registration")] == 0.2        # show dmvpn + show ip nhrp
    assert by_case[("hub1 (hub)", "ike")] == round(0.1 * sum(c in CHECK_COMMANDS["ike"] for c in hub.commands), 3) > 0
    assert by_case[("hub1 (hub)", "reachable")] == round(2.0 - 0.1 * len(hub.commands), 3)
    assert by_case[("hub1 (hub)", "parse")] == 0.0
    per_suite: dict[str, float] = {}
    for (suite, _), time in by_case.items():
        per_suite[suite] = per_suite.get(suite, 0.0) + time
    assert all(abs(total - 2.0) < 0.01 or total < 2.0 for total in per_suite.values())
    assert len(set(by_case.values())) > 2  # not one time copied onto every testcase


def test_health_junit_one_failure_per_case(tmp_path: Path) -> None:
    run = _health("demo_clean", "demo_link_loss_spoke1", tmp_path)
    cases = [(s, c, r) for s, c, r, _ in _cases(health_junit(run), tmp_path) if s == "dmvpn-health"]
    assert {c for _, c, _ in cases} >= {"flaps", "spokes_missing", "ipsec_counters", "new_findings"}
    assert all(len(r) <= 1 for _, _, r in cases)
    new = next(r for _, c, r in cases if c == "new_findings")
    assert len(new) == 1 and isinstance(new[0], Failure) and len(run.trend.new) >= 2
    assert all(f.code in new[0].text for f in run.trend.new)
