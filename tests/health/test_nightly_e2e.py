"""Three nightly runs on the emulator, the clock advanced between them, faults before the third."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from junitparser import JUnitXml
from prometheus_client.parser import text_string_to_metric_families

from dmvpn_ops.health.history import JsonDirHistory
from dmvpn_ops.health.nightly import HealthOptions, HealthRun, run_health
from dmvpn_ops.health.record import load_records
from tests.conftest import TEST_SECRETS

pytestmark = pytest.mark.lab
NIGHT = 6 * 3600  # lab clock and our clock move together, as on a real network between cron runs
REAUTH = 86400    # IKE SA lifetime (IOS default): a changed key is checked when the IKE SA authenticates again


def _run(cloud, tmp_path: Path, now: float) -> HealthRun:
    options = HealthOptions(history=tmp_path / "history", prom_file=tmp_path / "dmvpn.prom",
                            junit_file=tmp_path / "health.xml", read_timeout=10, now=lambda: now)
    return run_health(cloud.design, cloud.nornir(), options)


def test_three_nights_flap_and_new_finding(cloud, tmp_path: Path) -> None:
    t0 = 1_700_000_000.0
    cloud.lab.advance(REAUTH - 2 * NIGHT)     # the SAs are 12 h old: their IKE SA lifetime ends on night 3
    first = _run(cloud, tmp_path, t0)
    assert first.trend.first_run and first.exit_code == 0, [f.to_dict() for f in first.result.findings]

    cloud.lab.advance(NIGHT)
    second = _run(cloud, tmp_path, t0 + NIGHT)
    assert second.exit_code == 0, (second.trend.to_dict(), [f.to_dict() for f in second.result.findings])
    assert not second.trend.changed and not second.trend.stalled
    cloud.fault("wrong-psk", "spoke2")        # a new finding once the IKE SA authenticates with the wrong key

    cloud.lab.advance(NIGHT - 600)
    cloud.fault("link-loss", "spoke1")        # spoke1 drops off and comes back: a flap
    cloud.lab.advance(400)
    cloud.clear("spoke1")
    cloud.lab.advance(200)
    third = _run(cloud, tmp_path, t0 + 2 * NIGHT)
    try:
        flapped = {(f.hub, f.spoke) for f in third.trend.flaps}
        assert flapped == {("hub1", "spoke1"), ("hub2", "spoke1")}, third.trend.to_dict()
        assert "registration" in third.trend.flaps[0].signals
        new = {(f.code, f.host) for f in third.trend.new}
        assert ("IKE_NOT_ESTABLISHED", "spoke2") in new and ("EDGE_FLAPPED", "spoke1") in new, new
        assert third.exit_code == 1, [f.key for f in third.trend.new]
    finally:
        cloud.clear()
        cloud.lab.advance(600)

    store = JsonDirHistory(tmp_path / "history")
    records = load_records(store)
    assert len(store.records()) == 3 and len(records) == 3
    assert [r.exit_code for r in records] == [0, 0, 1]
    assert {e.flaps_total for e in records[-1].edges if e.spoke == "spoke1"} == {1}
    raw = "".join(p.read_text() for p in (tmp_path / "history").glob("run-*.json"))
    raw += (tmp_path / "dmvpn.prom").read_text() + (tmp_path / "health.xml").read_text()
    assert not [v for v in TEST_SECRETS.values() if v in raw]

    families = {f.name: f for f in text_string_to_metric_families((tmp_path / "dmvpn.prom").read_text())}
    assert {"dmvpn_health_run_timestamp_seconds", "dmvpn_spoke_registered", "dmvpn_edge_flaps",
            "dmvpn_findings", "dmvpn_ipsec_pkts"} <= set(families)
    flaps = {s.labels["spoke"]: s.value for s in families["dmvpn_edge_flaps"].samples if s.name.endswith("_total")}
    assert flaps["spoke1"] == 1 and flaps["spoke3"] == 0
    assert families["dmvpn_health_run_timestamp_seconds"].samples[0].value == t0 + 2 * NIGHT

    xml = JUnitXml.fromfile(str(tmp_path / "health.xml"))
    suites = {s.name: s for s in xml}
    health = {c.name: c for c in suites["dmvpn-health"]}
    assert not health["flaps"].is_passed and not health["new_findings"].is_passed
    assert health["spokes_missing"].is_passed
    assert json.loads(json.dumps(records[-1].changes))["counts"]["flaps"] == 2
