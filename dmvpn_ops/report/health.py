"""Nightly health run for people (changes first), Prometheus textfile and JUnit. Computes nothing."""
from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from junitparser import JUnitXml, TestCase, TestSuite
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from dmvpn_ops.health.record import uptime_signals
from dmvpn_ops.report.console import verify_renderable
from dmvpn_ops.report.junit import one_failure, verify_junit
from dmvpn_ops.report.prom import findings_family, verify_prometheus
from dmvpn_ops.secrets import mask

if TYPE_CHECKING:
    from dmvpn_ops.health.nightly import HealthRun

__all__ = ["health_renderable", "print_health", "health_prometheus", "health_junit", "TREND_CODES"]

TREND_CODES = ("EDGE_FLAPPED", "IPSEC_NO_TRAFFIC", "NHRP_ERRORS_GROWING")  # the codes health.trend adds


def _when(stamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(stamp))


def _ago(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 1440}d {minutes % 1440 // 60}h" if minutes >= 1440 else f"{minutes // 60}h {minutes % 60}m"


def _changes_table(run: HealthRun) -> Table:
    t = run.trend
    table = Table(show_header=True, title_justify="left", box=None)
    for col in ("change", "where", "detail"):
        table.add_column(col, overflow="fold")
    for f in t.flaps:
        table.add_row("[yellow]flap[/]", f"{f.cloud} {f.hub}<->{f.spoke}", f.detail)
    for cloud, hub, spoke in t.missing:
        table.add_row("[red]missing[/]", f"{cloud} {hub}<->{spoke}", "registered last run, not now")
    for cloud, hub, spoke in t.appeared:
        table.add_row("[green]appeared[/]", f"{cloud} {hub}<->{spoke}", "registered now, not last run")
    for s in t.stalled:
        table.add_row("[red]stalled[/]", f"{s.cloud} {s.hub}<->{s.spoke}",
                      f"{s.side} SA to {s.peer}: {s.before[0]}/{s.before[1]} -> {s.now[0]}/{s.now[1]} pkts")
    for g in t.nhrp_errors:
        table.add_row("[yellow]nhrp errors[/]", f"{g.host} {g.interface}",
                      f"+{g.sent} sent, +{g.rcvd} received Error Indications" + (" (counters restarted)" if g.reset else ""))
    for label, items in (("[red]new[/]", t.new), ("[green]resolved[/]", t.resolved)):
        for item in items:
            table.add_row(label, f"{item.code} {item.host or '-'}", mask(item.message))
    return table


def _changes(run: HealthRun) -> Panel:
    t = run.trend
    if t.first_run:
        return Panel("First run: this record is the baseline the next run compares with.",
                     title="What changed", title_align="left")
    head = (f"since {_when(t.previous_timestamp or 0)} ({_ago(t.elapsed or 0)} ago): "
            + ", ".join(f"{n} {k}" for k, n in t.counts().items()))
    body: RenderableType = _changes_table(run) if t.changed else Text("nothing changed", style="green")
    return Panel(Group(Text(head), body), title="What changed", title_align="left",
                 border_style="yellow" if t.changed else "green")


def health_renderable(run: HealthRun, *, show_all: bool | None = None, failed_only: bool = False) -> Group:
    """Changes since the last run first, then the verify view, then the verdict and the record path."""
    colour = {0: "green", 1: "yellow", 3: "red"}.get(run.exit_code, "red")
    verdict = {0: "healthy", 1: "findings", 3: "devices unreachable"}.get(run.exit_code, "failed")
    tail = Text.from_markup(f"[{colour}]health: {verdict}[/] (exit {run.exit_code}); record {run.record_path}"
                            + (f"; pruned {run.pruned} old record(s)" if run.pruned else ""))
    return Group(_changes(run), verify_renderable(run.result, show_all=show_all, failed_only=failed_only), tail)


def print_health(run: HealthRun, console: Console, *, show_all: bool | None = None,
                 failed_only: bool = False) -> None:
    console.print(health_renderable(run, show_all=show_all, failed_only=failed_only))


class _Collector:
    def __init__(self, run: HealthRun) -> None:
        self.run = run

    def collect(self) -> Iterator[Metric]:
        run, t = self.run, self.run.trend
        yield GaugeMetricFamily("dmvpn_health_run_timestamp_seconds", "Start of the health run (unix time)",
                                value=run.record.timestamp)
        yield GaugeMetricFamily("dmvpn_health_exit_code", "0 healthy, 1 findings, 3 unreachable devices",
                                value=float(run.exit_code))
        flaps = CounterMetricFamily("dmvpn_edge_flaps", "Restarts of the edge seen by health runs (history)",
                                    labels=["cloud", "hub", "spoke"])
        uptime = GaugeMetricFamily("dmvpn_edge_uptime_seconds", "Registration, NHS, IKE SA, adjacency uptime "
                                   "(0 while it is down; every signal the edge has, every run)",
                                   labels=["cloud", "hub", "spoke", "signal"])
        # The run's edges (not the record's, which carries unselected ones forward): one series per edge
        # and signal on every run, the state in the value, so nothing comes and goes with a flap.
        asked = {name for name, status in run.result.hosts.items() if status.collected}
        states = run.record.edge_map()
        for e in run.result.edges:
            state = states.get((e.cloud, e.hub, e.spoke))
            flaps.add_metric([e.cloud, e.hub, e.spoke], float(state.flaps_total if state else 0))
            for signal in uptime_signals(e, asked):
                up = state.uptimes.get(signal) if state else None
                uptime.add_metric([e.cloud, e.hub, e.spoke, signal], float(up.seconds if up else 0))
        yield from (flaps, uptime)
        changes = GaugeMetricFamily("dmvpn_health_changes", "Changes since the previous run, by kind",
                                    labels=["kind"])
        for kind, n in t.counts().items():
            changes.add_metric([kind], float(n))
        yield changes
        yield findings_family("dmvpn_health_trend_findings", "Findings of the trend (flaps, stalled SAs) by code "
                              "and severity (every pair, 0 if none)", TREND_CODES,
                              [f for f in run.findings if f.code in TREND_CODES])


def health_prometheus(run: HealthRun) -> str:
    """Verify's metrics plus the run's timestamp, flaps, uptimes and changes (textfile collector)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(run))
    return mask(verify_prometheus(run.result) + generate_latest(registry).decode())


def health_junit(run: HealthRun) -> str:
    """Verify's suites plus a ``dmvpn-health`` suite: flaps, missing spokes, IPsec counters, new findings."""
    xml = JUnitXml.fromstring(verify_junit(run.result))
    suite = TestSuite("dmvpn-health")
    t = run.trend
    cases = (("flaps", [("EDGE_FLAPPED", f"{f.cloud} {f.hub}<->{f.spoke}: {f.detail}") for f in t.flaps]),
             ("spokes_missing", [("SPOKE_MISSING", f"{c} {h}<->{s} registered last run, not now")
                                 for c, h, s in t.missing]),
             ("ipsec_counters", [("IPSEC_NO_TRAFFIC", f"{s.cloud} {s.hub}<->{s.spoke} {s.side} SA to {s.peer} "
                                  "stalled") for s in t.stalled]),
             ("nhrp_errors", [("NHRP_ERRORS_GROWING", f"{g.host} {g.interface}: +{g.sent} sent, +{g.rcvd} received "
                               "Error Indications") for g in t.nhrp_errors]),
             ("new_findings", [(f.code, f"{f.host}: {f.message}") for f in t.new]))
    for name, failures in cases:
        case = TestCase(name, classname="dmvpn.health", time=0.0)  # judged from records, no device time
        if failures:
            case.result = [one_failure(failures)]
        suite.add_testcase(case)
    xml.add_testsuite(suite)
    raw = xml.tostring()  # type: ignore[no-untyped-call]
    return mask(raw.decode() if isinstance(raw, bytes) else str(raw))
