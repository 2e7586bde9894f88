"""NHRP_ERRORS_GROWING: `show ip nhrp traffic` Error Indication counters compared between two records."""
from __future__ import annotations

from dmvpn_ops.health.record import HealthRecord, NhrpErrors
from dmvpn_ops.health.trend import compare
from dmvpn_ops.results import Severity


def _record(ts: float, **tunnels: tuple[int, int]) -> HealthRecord:
    errors = {"hub1": {name: NhrpErrors(sent=s, rcvd=r) for name, (s, r) in tunnels.items()}} if tunnels else {}
    return HealthRecord(timestamp=ts, inventory="inv", mode="full", exit_code=0, summary={}, hosts={},
                        edges=[], findings=[], nhrp_errors=errors)


def test_steady_counters_are_quiet_even_when_not_zero() -> None:
    trend, record = compare(_record(0, Tunnel100=(7, 2)), _record(600, Tunnel100=(7, 2)))
    assert not trend.nhrp_errors and not trend.findings()
    assert record.changes["counts"]["nhrp_errors"] == 0


def test_growth_is_a_warning_with_the_delta() -> None:
    trend, record = compare(_record(0, Tunnel100=(7, 2)), _record(600, Tunnel100=(20, 2)))
    [finding] = trend.findings()
    assert (finding.code, finding.host, finding.severity) == ("NHRP_ERRORS_GROWING", "hub1", Severity.WARNING)
    assert finding.observed == {"interface": "Tunnel100", "sent": 13, "rcvd": 0, "reset": False}
    assert "sent 13" in finding.message and "since the last run" in finding.message
    assert [f.code for f in record.findings] == ["NHRP_ERRORS_GROWING"]   # stored with the record


def test_counters_that_went_down_were_restarted_and_count_from_zero() -> None:
    trend, _ = compare(_record(0, Tunnel100=(50, 0)), _record(600, Tunnel100=(3, 0)))
    [growth] = trend.nhrp_errors
    assert (growth.sent, growth.reset) == (3, True)
    trend, _ = compare(_record(0, Tunnel100=(50, 0)), _record(600, Tunnel100=(0, 0)))
    assert not trend.nhrp_errors   # reloaded and clean since


def test_no_baseline_no_verdict() -> None:
    trend, _ = compare(_record(0), _record(600, Tunnel100=(9, 9)))   # the previous run had no traffic table
    assert not trend.nhrp_errors
