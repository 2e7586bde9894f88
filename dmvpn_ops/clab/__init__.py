"""clab stage: a containerlab lab (topology, startup configs, lab inventory) generated from the intent."""
from __future__ import annotations

from dmvpn_ops.clab.generate import DEFAULT_MGMT_SUBNET, LabFiles, generate_lab, lab_name_for
from dmvpn_ops.clab.inventory import rehearsal_ports
from dmvpn_ops.clab.kinds import KINDS, SPOKE_KINDS, KindProfile

__all__ = ["DEFAULT_MGMT_SUBNET", "KINDS", "SPOKE_KINDS", "KindProfile", "LabFiles", "generate_lab",
           "lab_name_for", "rehearsal_ports"]
