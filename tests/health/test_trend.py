"""Trend rules on hand-made records: uptime precision, re-keys, counters, missing/appeared, findings diff."""
from __future__ import annotations

from typing import Any

import pytest

from dmvpn_ops.health.record import EdgeState, FindingState, HealthRecord, SaCounters, Uptime, parse_uptime
from dmvpn_ops.health.trend import compare


@pytest.mark.parametrize("text,seconds,resolution", [
    ("00:05:12", 312, 1), ("1d02h", 93600, 3600), ("3w5d", 26 * 86400, 86400), ("1y17w", 365 * 86400 + 119 * 86400,
                                                                                  7 * 86400),
    (42, 42, 1), ("never", None, None), ("-", None, None), (None, None, None)])
def test_parse_uptime(text: Any, seconds: int | None, resolution: int | None) -> None:
    up = parse_uptime(text)
    assert (up.seconds, up.resolution) == (seconds, resolution) if up else seconds is None


def _edge(spoke: str = "spoke1", registered: bool | None = True, counters: tuple[int, int] | None = (100, 100),
          flaps: int = 0, **uptimes: Uptime) -> EdgeState:
    sa = {"hub": SaCounters(peer="203.0.113.11", encaps=counters[0], decaps=counters[1], active=True)} \
        if counters else {}
    return EdgeState(cloud="C", hub="hub1", spoke=spoke, status="up", registered=registered, nbma=None,
                     uptimes=uptimes, counters=sa, flaps_total=flaps)


def _record(ts: float, edges: list[EdgeState], findings: list[FindingState] = ()) -> HealthRecord:
    return HealthRecord(timestamp=ts, inventory="inv", mode="full", exit_code=0, summary={}, hosts={},
                        edges=edges, findings=list(findings))


def test_first_run_is_a_baseline() -> None:
    trend, record = compare(None, _record(0, [_edge()]))
    assert trend.first_run and not trend.changed and record.changes["counts"]["flaps"] == 0


def test_uptime_that_kept_running_is_no_flap_even_when_truncated() -> None:
    before = _record(0, [_edge(registration=parse_uptime("23:30:00"))])
    now = _record(86400, [_edge(counters=(200, 200), registration=parse_uptime("1d23h"))])
    trend, _ = compare(before, now)
    assert not trend.flaps and not trend.stalled


def test_younger_registration_is_a_flap_and_totals_accumulate() -> None:
    before = _record(0, [_edge(flaps=2, registration=Uptime(seconds=7200))])
    trend, record = compare(before, _record(600, [_edge(counters=(150, 150), registration=Uptime(seconds=60))]))
    assert [f.signals for f in trend.flaps] == [("registration",)]
    assert record.edges[0].flaps_total == 3
    assert {f.code for f in trend.new} == {"EDGE_FLAPPED"}


def test_ike_rekey_at_lifetime_is_no_flap() -> None:
    before = _record(0, [_edge(ike=Uptime(seconds=80000, lifetime=86400))])
    trend, _ = compare(before, _record(86400, [_edge(counters=(200, 200), ike=Uptime(seconds=80000 - 86400 + 86400 // 2,
                                                                                       lifetime=86400))]))
    assert not trend.flaps


def test_counters_reset_is_a_flap_and_frozen_counters_are_stalled() -> None:
    before = _record(0, [_edge("spoke1"), _edge("spoke2")])
    trend, _ = compare(before, _record(3600, [_edge("spoke1", counters=(5, 5)), _edge("spoke2", counters=(100, 100))]))
    assert [(f.spoke, f.signals) for f in trend.flaps] == [("spoke1", ("ipsec",))]
    assert [(s.spoke, s.side) for s in trend.stalled] == [("spoke2", "hub")]
    assert ("IPSEC_NO_TRAFFIC", "spoke2", "C", "hub1") in {f.key for f in trend.new}


def test_missing_appeared_and_findings_diff() -> None:
    gone = FindingState(code="WRONG_NBMA", severity="error", host="spoke3", cloud="C", peer="hub1")
    stays = FindingState(code="NHS_DOWN", severity="error", host="spoke2", cloud="C", peer="hub1")
    came = FindingState(code="SPOKE_NOT_REGISTERED", severity="error", host="spoke1", cloud="C", peer="hub1")
    before = _record(0, [_edge("spoke1"), _edge("spoke2", registered=False, counters=None)], [gone, stays])
    now = _record(60, [_edge("spoke1", registered=False, counters=None), _edge("spoke2", counters=None),
                       _edge("spoke4", counters=None)], [stays, came])
    trend, _ = compare(before, now)
    assert trend.missing == [("C", "hub1", "spoke1")]
    assert trend.appeared == [("C", "hub1", "spoke2"), ("C", "hub1", "spoke4")]
    assert [f.code for f in trend.new] == ["SPOKE_NOT_REGISTERED"]
    assert [f.code for f in trend.resolved] == ["WRONG_NBMA"]
    assert [f.code for f in trend.persisting] == ["NHS_DOWN"]


def test_record_round_trips_and_rejects_other_versions() -> None:
    record = _record(1.5, [_edge(registration=Uptime(seconds=5))])
    assert HealthRecord.model_validate(record.to_json()) == record
    with pytest.raises(ValueError):
        HealthRecord.model_validate({**record.to_json(), "version": 2})


def _limited(ts: float, edges: list[EdgeState], findings: list[FindingState], skipped: set[str]) -> HealthRecord:
    """A run with --limit: the hosts outside it are "not-selected" in the record, as verify names them."""
    hosts = {h: ("not-selected" if h in skipped else "ok") for h in ("hub1", "spoke1", "spoke2", "spoke3")}
    return HealthRecord(timestamp=ts, inventory="inv", mode="full", exit_code=0, summary={}, hosts=hosts,
                        edges=edges, findings=findings)


def test_findings_of_hosts_outside_limit_are_carried_not_resolved() -> None:
    spoke3 = FindingState(code="IKE_NOT_ESTABLISHED", severity="error", host="spoke3", cloud="C", peer="hub1")
    spoke1 = FindingState(code="NHS_DOWN", severity="error", host="spoke1", cloud="C", peer="hub1")
    before = _record(0, [_edge("spoke1"), _edge("spoke3", registration=Uptime(seconds=7200), flaps=4)],
                     [spoke1, spoke3])
    # --limit spoke1: spoke1's finding is gone (resolved), spoke3 was not looked at
    trend, stored = compare(before, _limited(600, [_edge("spoke1", counters=(200, 200))], [], {"hub1", "spoke3"}))
    assert [f.code for f in trend.resolved] == ["NHS_DOWN"]
    assert trend.not_selected == [spoke3] and not trend.new and not trend.persisting
    assert trend.counts()["not_selected"] == 1 and trend.to_dict()["not_selected"] == [spoke3.key]
    assert stored.findings == [spoke3]  # carried unchanged, for the next run to compare with
    carried = stored.edge_map()[("C", "hub1", "spoke3")]
    assert carried == before.edge_map()[("C", "hub1", "spoke3")]  # uptime, counters and flap total kept
    # the next full run compares spoke3 with its last real reading: persisting, no "appeared", no flap
    later = _record(1200, [_edge("spoke1", counters=(300, 300)),
                           _edge("spoke3", counters=(200, 200), registration=Uptime(seconds=8400))], [spoke3])
    again, record = compare(stored, later)
    assert again.persisting == [spoke3] and not again.new and not again.resolved and not again.not_selected
    assert not again.appeared and not again.flaps
    assert record.edge_map()[("C", "hub1", "spoke3")].flaps_total == 4


def test_an_edge_whose_hub_was_not_selected_keeps_what_the_hub_reported() -> None:
    before = _record(0, [_edge("spoke1", registration=Uptime(seconds=7200), nhs=Uptime(seconds=7200))])
    now = _edge("spoke1", registered=None, counters=None, nhs=Uptime(seconds=7800))  # the spoke's view only
    trend, stored = compare(before, _limited(600, [now], [], {"hub1"}))
    assert not trend.flaps and not trend.missing and not trend.appeared
    edge = stored.edges[0]
    assert edge.uptimes == {"registration": Uptime(seconds=7200), "nhs": Uptime(seconds=7800)}
    assert edge.registered is True and edge.counters == before.edges[0].counters
