"""`show vrf detail`: one block per VRF, blank-line separated, as IOS-XE prints it.

Layout from genieparser's iosxe ShowVrfDetail golden outputs (copies with their source in
tests/fixtures/lab/show_vrf_detail/): the `VRF NAME (VRF Id = N); default RD X; default VPNID <not set>` head,
the CLI format line, Flags, the interfaces (short names, three to a line), then each address family, active or
`not active`. NAPALM's get_network_instances splits this output on blank lines and reads the head and the
Interfaces list. IOS prints nothing when no VRF is defined (NAPALM's driver tests for that empty answer).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.configview import VrfDef
from dmvpn_ops.lab.cloud.show.routing import short

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

# An active IPv4 family with no route targets or maps (golden_output_output.txt, the Mgmt-vrf block)
_IPV4_BODY = ["  Flags: 0x0", "  No Export VPN route-target communities", "  No Import VPN route-target communities",
              "  No import route-map", "  No global export route-map", "  No export route-map",
              "  VRF label distribution protocol: not configured", "  VRF label allocation mode: per-prefix"]


def show_vrf_detail(world: World, snap: Snapshot, host: str) -> str:
    """Every VRF the running config defines, VRF IDs in definition order from 1 (a CSR1000V without a
    management VRF; the IPv4 table ID is the VRF ID, as in golden_output_5: `VRF Id = 19` / `0x13`)."""
    conf = world.conf(host)
    members: dict[str, list[str]] = {}
    for iface in conf.interfaces.values():
        if iface.vrf:
            members.setdefault(iface.vrf, []).append(short(iface.name))
    blocks = [_block(vrf, n, members.get(vrf.name, [])) for n, vrf in enumerate(conf.vrfs, 1)]
    return "\n".join("\n".join(b) + "\n" for b in blocks)


def _block(vrf: VrfDef, vrf_id: int, ifaces: list[str]) -> list[str]:
    rd = vrf.rd or "<not set>"
    # Flags: 0x1808 new format without RD, 0x180C with one (golden outputs 7 and 1); 0xC old format (output 5)
    flags = ("0x180C" if vrf.rd else "0x1808") if vrf.new_format else ("0xC" if vrf.rd else "0x8")
    fmt = "New CLI format, supports multiple address-families" if vrf.new_format else \
        "Old CLI format, supports IPv4 only"
    out = [f"VRF {vrf.name} (VRF Id = {vrf_id}); default RD {rd}; default VPNID <not set>", f"  {fmt}",
           f"  Flags: {flags}"]
    if ifaces:
        out.append("  Interfaces:")
        out += ["    " + "".join(f"{i:<25}" for i in ifaces[at:at + 3]).rstrip() for at in range(0, len(ifaces), 3)]
    else:
        out.append("  No interfaces")
    if vrf.ipv4:
        out += [f"Address family ipv4 unicast (Table ID = {vrf_id:#x}):", *_IPV4_BODY]
    else:
        out.append("Address family ipv4 unicast not active")
    return out + ["Address family ipv6 unicast not active", "Address family ipv4 multicast not active",
                  "Address family ipv6 multicast not active"]
