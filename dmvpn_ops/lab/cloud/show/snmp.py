"""`show snmp chassis`: the chassis ID, or the error IOS gives while its SNMP agent is off.

IOS starts the SNMP agent with the first `snmp-server` line; before that every `show snmp ...` prints
`%SNMP agent not enabled` (real captures: `show snmp` / `show snmp engineID` on an IOS router with no
snmp-server line, `show snmp mib ifmib ifindex` on a CSR1000V; the same line is in Ansible's cisco.ios and
scrapli's IOS error patterns). Without `snmp-server chassis-id`, the chassis ID is the hardware serial number
(Cisco SNMP command reference, snmp-server chassis-id: "the default is the serial number"), the lab's
Processor board ID. NAPALM's get_snmp_information reads this when the config has no chassis-id.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

SERIAL = "9LAB0DMVPN0"      # the Processor board ID of the lab's `show version`


def show_snmp_chassis(world: World, snap: Snapshot, host: str) -> str:
    if not world.conf(host).snmp_agent:
        return "%SNMP agent not enabled\n"
    return SERIAL + "\n"
