"""Cloud model of the lab emulator: NHRP, IKE/IPsec, routing and traffic computed from configs."""
from __future__ import annotations

from dmvpn_ops.lab.cloud.cloud import Cloud

__all__ = ["Cloud"]
