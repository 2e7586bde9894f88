"""verify stage: the observed DMVPN cloud compared with the intent, edge by edge.

Public API: ``verify(design, nornir, mode="fast"|"full", probe=False, probe_pairs=None, ...)``
returning a ``VerifyResult`` (findings, edges, hosts, probes, ``exit_code``); ``evaluate``
for already-collected outputs.
"""
from __future__ import annotations

from dmvpn_ops.verify.compare import evaluate, host_findings, hosts_for_mode, verify
from dmvpn_ops.verify.observed import DeviceView, Edge, EdgeIntent, IkeSa, IpsecSa, Neighbor, Side, device_view
from dmvpn_ops.verify.result import HostStatus, ProbeResult, VerifyResult

__all__ = ["verify", "evaluate", "host_findings", "hosts_for_mode", "VerifyResult", "HostStatus", "ProbeResult", "Edge",
           "EdgeIntent", "Side", "IkeSa", "IpsecSa", "Neighbor", "DeviceView", "device_view"]
