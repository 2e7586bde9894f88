"""Deploy stage: backup, diff, push hubs first then spokes, confirm, roll back on failure."""
from __future__ import annotations

from dmvpn_ops.deploy.deploy import deploy
from dmvpn_ops.deploy.model import DeployOptions, DeployResult, HostDeploy, Status
from dmvpn_ops.deploy.remediation import Remediation, equivalent, remediate

__all__ = ["deploy", "DeployOptions", "DeployResult", "HostDeploy", "Status", "Remediation",
           "equivalent", "remediate"]
