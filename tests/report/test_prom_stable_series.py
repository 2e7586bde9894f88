"""Prometheus series that do not come and go: uptimes, reachability and registration carry the state as the value.

Verify results of saved outputs (clean, hub1 down, wrong PSK on spoke2, link loss on spoke1) and health runs
built from them, parsed back with prometheus_client's own parser: every run exposes the same label sets, and
a down edge or device reads 0.
"""
from __future__ import annotations

from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from dmvpn_ops.health.nightly import HealthRun
from dmvpn_ops.health.record import build_record
from dmvpn_ops.health.trend import compare
from dmvpn_ops.intent import load_design
from dmvpn_ops.report import render_verify
from dmvpn_ops.report.health import health_prometheus
from dmvpn_ops.verify import VerifyResult, evaluate
from tests.report.test_prom_junit import SCENARIOS
from tests.report.test_prom_junit import result as full_result
from tests.verify.outputs import load_collections, scenario_inventory

Labels = tuple[tuple[str, str], ...]


def result(name: str, mode: str = "full") -> VerifyResult:
    """Full mode: every device's saved outputs; fast mode: the hubs' only, as verify asks them."""
    if mode == "full":
        return full_result(name)
    design = load_design(scenario_inventory(name))
    hubs = {h: c for h, c in load_collections(name, design).items() if design.hosts[h].is_hub}
    return evaluate(design, hubs, mode="fast")


def _samples(text: str, name: str) -> dict[Labels, float]:
    out: dict[Labels, float] = {}
    for family in text_string_to_metric_families(text):
        if family.name == name:
            out.update({tuple(sorted(s.labels.items())): s.value for s in family.samples})
    return out


def _health(name: str, tmp_path: Path, mode: str = "full") -> str:
    res = result(name, mode)
    previous = build_record(result("demo_clean", mode), timestamp=1_700_000_000.0, inventory="demo")
    trend, record = compare(previous, build_record(res, timestamp=1_700_021_600.0, inventory="demo"))
    return health_prometheus(HealthRun(result=res, record=record, previous=previous, trend=trend,
                                       record_path=tmp_path / "r.json"))


def test_uptime_series_are_the_same_every_run_and_zero_while_down(tmp_path: Path) -> None:
    runs = {name: _samples(_health(name, tmp_path), "dmvpn_edge_uptime_seconds") for name in SCENARIOS}
    clean = runs["demo_clean"]
    assert clean and all(set(r) == set(clean) for r in runs.values()), {n: len(r) for n, r in runs.items()}
    signals = {dict(k)["signal"] for k in clean}
    assert {"registration", "nhs", "ike"} <= signals  # the demo cloud is IKEv2
    assert all(v > 0 for v in clean.values()), [dict(k) for k, v in clean.items() if v <= 0]
    down = {dict(k)["signal"]: v for k, v in runs["demo_hub1_down"].items()
            if dict(k)["hub"] == "hub1" and dict(k)["spoke"] == "spoke1"}
    assert down["registration"] == 0.0  # hub1 does not answer: its registrations read 0, not vanish
    assert {v for k, v in runs["demo_hub1_down"].items() if dict(k)["hub"] == "hub2"} != {0.0}


def test_device_reachable_and_registered_series_are_stable(tmp_path: Path) -> None:
    for metric in ("dmvpn_device_reachable", "dmvpn_spoke_registered"):
        runs = {name: _samples(render_verify(result(name), "prom"), metric) for name in SCENARIOS}
        assert all(set(r) == set(runs["demo_clean"]) for r in runs.values()), metric
    reachable = {dict(k)["host"]: v for k, v in
                 _samples(render_verify(result("demo_hub1_down"), "prom"), "dmvpn_device_reachable").items()}
    assert reachable["hub1"] == 0.0 and reachable["hub2"] == 1.0 and len(reachable) == 6
    registered = _samples(render_verify(result("demo_hub1_down"), "prom"), "dmvpn_spoke_registered")
    assert {v for k, v in registered.items() if dict(k)["hub"] == "hub1"} == {0.0}


def test_fast_mode_has_series_only_for_what_it_asks(tmp_path: Path) -> None:
    """Spokes are not asked in fast mode: no reachability and no NHS uptime for them (0 would say "down")."""
    reachable = _samples(render_verify(result("demo_clean", "fast"), "prom"), "dmvpn_device_reachable")
    assert {dict(k)["host"] for k in reachable} == {"hub1", "hub2"}
    uptimes = _samples(_health("demo_clean", tmp_path, "fast"), "dmvpn_edge_uptime_seconds")
    assert uptimes and "nhs" not in {dict(k)["signal"] for k in uptimes}
    assert set(uptimes) == set(_samples(_health("demo_hub1_down", tmp_path, "fast"), "dmvpn_edge_uptime_seconds"))
