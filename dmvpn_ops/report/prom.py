"""Verify result in the Prometheus text exposition format (node_exporter textfile or a pushgateway)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from dmvpn_ops.verify.checks import CODES
from dmvpn_ops.verify.result import VerifyResult

__all__ = ["verify_prometheus"]


class _Collector:
    def __init__(self, result: VerifyResult) -> None:
        self.result = result

    def collect(self) -> Iterator[Metric]:
        r = self.result
        reg = GaugeMetricFamily("dmvpn_spoke_registered", "1 if the hub has the spoke registered (UP)",
                                labels=["cloud", "hub", "spoke"])
        edge = GaugeMetricFamily("dmvpn_edge_up", "1 if the (hub, spoke) edge has no finding",
                                 labels=["cloud", "hub", "spoke", "status"])
        pkts = CounterMetricFamily("dmvpn_ipsec_pkts", "IPsec packets on the edge's SA, seen from `side`",
                                   labels=["cloud", "hub", "spoke", "side", "direction"])
        for e in r.edges:
            if e.registered is not None:
                reg.add_metric([e.cloud, e.hub, e.spoke], 1.0 if e.registered else 0.0)
            edge.add_metric([e.cloud, e.hub, e.spoke, e.status], 1.0 if e.status == "up" else 0.0)
            for side_name, side in (("hub", e.hub_side), ("spoke", e.spoke_side)):
                if side is not None and side.ipsec is not None:
                    pkts.add_metric([e.cloud, e.hub, e.spoke, side_name, "encaps"], side.ipsec.pkts_encaps)
                    pkts.add_metric([e.cloud, e.hub, e.spoke, side_name, "decaps"], side.ipsec.pkts_decaps)
        yield from (reg, edge, pkts)
        found = GaugeMetricFamily("dmvpn_findings", "Findings of the run by code and severity",
                                  labels=["code", "severity"])
        counts = Counter((f.code, f.severity.value) for f in r.findings)
        for code in CODES:
            if not any(c == code for c, _ in counts):
                found.add_metric([code, "error"], 0.0)
        for (code, sev), n in sorted(counts.items()):
            found.add_metric([code, sev], float(n))
        yield found
        dev = GaugeMetricFamily("dmvpn_device_reachable", "1 if the device answered (only asked devices)",
                                labels=["host", "role"])
        for name, s in sorted(r.hosts.items()):
            if s.collected:
                dev.add_metric([name, s.role], 1.0 if s.reachable else 0.0)
        yield dev
        if r.probes:
            probe = GaugeMetricFamily("dmvpn_probe_ok", "1 if the spoke-to-spoke probe passed",
                                      labels=["cloud", "source", "target"])
            for p in r.probes:
                probe.add_metric([p.cloud, p.source, p.target], 1.0 if p.ok else 0.0)
            yield probe
        yield GaugeMetricFamily("dmvpn_verify_ok", "1 if verify found nothing", value=1.0 if r.ok else 0.0)
        yield GaugeMetricFamily("dmvpn_verify_duration_seconds", "Wall time of the verify run",
                                value=r.duration)


def verify_prometheus(result: VerifyResult) -> str:
    """The exposition text (``# HELP``/``# TYPE`` + samples) for one verify run."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(result))
    return generate_latest(registry).decode()
