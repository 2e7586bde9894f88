"""Deploy stage: backup (proof or nothing is pushed), diff, push hubs first then spokes under a revert timer,
confirm, roll back on failure (owned objects only); audit every host; stop cleanly on SIGINT/SIGTERM."""
from __future__ import annotations

from dmvpn_ops.deploy.audit import read_entries
from dmvpn_ops.deploy.confirm import gate_host
from dmvpn_ops.deploy.deploy import deploy
from dmvpn_ops.deploy.host import HubWatch, deploy_host
from dmvpn_ops.deploy.interrupt import StopFlag, handle_signals
from dmvpn_ops.deploy.manual import rollback_host
from dmvpn_ops.deploy.model import DeployOptions, DeployResult, HostDeploy, Revert, Status
from dmvpn_ops.deploy.remediation import Remediation, equivalent, remediate

__all__ = ["deploy", "deploy_host", "gate_host", "HubWatch", "DeployOptions", "DeployResult", "HostDeploy",
           "Status", "Revert", "Remediation", "equivalent", "remediate", "StopFlag", "handle_signals", "read_entries", "rollback_host"]
