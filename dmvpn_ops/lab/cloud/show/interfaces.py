"""`show ip interface brief` and `show interfaces [NAME]`."""
from __future__ import annotations

from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.configview import Iface
from dmvpn_ops.lab.cloud.route import bandwidth, delay_usec
from dmvpn_ops.lab.cloud.underlay import nbma

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World


def _status(world: World, snap: Snapshot, host: str, iface: Iface) -> tuple[str, str]:
    if iface.shutdown:
        return "administratively down", "down"
    up = (host, iface.name) in snap.up
    if iface.is_tunnel:
        return "up", "up" if up else "down"
    return ("up", "up") if up else ("down", "down")


def _address(world: World, host: str, iface: Iface) -> tuple[str, str]:
    if iface.dhcp and not iface.is_tunnel:
        return str(nbma_of(world, host, iface.name) or "unassigned"), "DHCP"
    return (str(iface.address.ip), "NVRAM") if iface.address else ("unassigned", "unset")


def nbma_of(world: World, host: str, name: str) -> object:
    for tun in world.conf(host).interfaces.values():
        if tun.is_tunnel and tun.source == name:
            return nbma(world, host, tun.name).private
    return None


def show_ip_interface_brief(world: World, snap: Snapshot, host: str) -> str:
    lines = ["Interface              IP-Address      OK? Method Status                Protocol"]
    for iface in world.conf(host).listed():
        addr, method = _address(world, host, iface)
        status, proto = _status(world, snap, host, iface)
        lines.append(f"{iface.name:<22} {addr:<15} YES {method:<6} {status:<21} {proto}")
    return "\n".join(lines) + "\n"


def _tunnel_lines(world: World, host: str, iface: Iface) -> list[str]:
    end = nbma(world, host, iface.name)
    mode = "multi-GRE/IP" if iface.mode_mgre else "GRE/IP"
    lines = [f"  Tunnel source {end.private or '0.0.0.0'} ({iface.source})"
             + ("" if iface.mode_mgre else f", destination {iface.destination}"),
             "   Tunnel Subblocks:", "      src-track:",
             f"         {iface.name} source tracking subblock associated with {iface.source}",
             f"          Set of tunnels with source {iface.source}, 1 member (includes iterators), on interface <OK>",
             f"  Tunnel protocol/transport {mode}"]
    if iface.key is not None:
        lines.append(f"    Key 0x{iface.key:X}, sequencing disabled")
    lines += ["    Checksumming of packets disabled", "  Tunnel TTL 255, Fast tunneling enabled",
              "  Tunnel transport MTU 1476 bytes", "  Tunnel transmit bandwidth 8000 (kbps)",
              "  Tunnel receive bandwidth 8000 (kbps)"]
    if iface.protection:
        lines.append(f'  Tunnel protection via IPSec (profile "{iface.protection}")')
    return lines


def _encapsulation(iface: Iface) -> str:
    """The encapsulation line; an 802.1Q sub-interface prints its VLAN (a real IOL `show interfaces`:
    `Ethernet0/1.100 is up` / ... / `  Encapsulation 802.1Q Virtual LAN, Vlan ID  100.`)."""
    dot1q = next((ln.split()[2] for ln in iface.lines if ln.startswith("encapsulation dot1Q ")), None)
    if dot1q is not None:
        return f"  Encapsulation 802.1Q Virtual LAN, Vlan ID  {dot1q}."
    return f"  Encapsulation {'TUNNEL' if iface.is_tunnel else 'ARPA'}, loopback not set"


def _one(world: World, snap: Snapshot, host: str, iface: Iface) -> list[str]:
    status, proto = _status(world, snap, host, iface)
    kind = "Tunnel" if iface.is_tunnel else "Loopback" if iface.name.startswith("Loopback") else "CSR vNIC"
    ether = kind == "CSR vNIC"
    hw = f"  Hardware is {kind}"
    if ether:  # CSR1000v capture: `Hardware is CSR vNIC, address is 5254.0012.3456 (bia 5254.0012.3456)`
        from dmvpn_ops.lab.cloud.show.system import mac
        hw += f", address is {mac(host, iface.name)} (bia {mac(host, iface.name)})"
    lines = [f"{iface.name} is {status}, line protocol is {proto} ", hw]
    if iface.description:
        lines.append(f"  Description: {iface.description}")
    if iface.address:
        lines.append(f"  Internet address is {iface.address.with_prefixlen}")
    # CSR1000V: GigabitEthernet 1500 (DevNet sandbox CSR `show interfaces`: MTU 1500), Loopback 1514,
    # IOS-XE tunnels 17916 (real captures in tests/fixtures/parse/show_interfaces_tunnel)
    mtu = 17916 if iface.is_tunnel else 1514 if iface.name.startswith("Loopback") else 1500
    lines += [f"  MTU {mtu} bytes, BW {bandwidth(world, host, iface.name)} Kbit/sec, "
              f"DLY {delay_usec(world, host, iface.name)} usec, ",
              "     reliability 255/255, txload 1/255, rxload 1/255", _encapsulation(iface)]
    if iface.is_tunnel:
        lines += ["  Keepalive not set"] + _tunnel_lines(world, host, iface)
    else:
        lines.append("  Keepalive set (10 sec)")
    if ether:
        lines += ["  Full Duplex, 1000Mbps, link type is auto, media type is Virtual",
                  "  output flow-control is unsupported, input flow-control is unsupported",
                  "  ARP type: ARPA, ARP Timeout 04:00:00"]
    lines += ["  Last input never, output never, output hang never",
              '  Last clearing of "show interface" counters never',
              "  Input queue: 0/375/0/0 (size/max/drops/flushes); Total output drops: 0",
              "  Queueing strategy: fifo", "  Output queue: 0/40 (size/max)",
              "  5 minute input rate 0 bits/sec, 0 packets/sec",
              "  5 minute output rate 0 bits/sec, 0 packets/sec"]
    return lines + _counters(world, host, iface)


def _packets(world: World, host: str, iface: Iface) -> int:
    """Packets each way so far: the counts grow with the time the line has been up (keepalives/hellos: one
    packet every 5 s each way, 100 bytes each)."""
    up = world.since(("if", host, iface.name))
    return int((world.clock.now() - up.since) // 5) if up and up.ok else 0


def _counters(world: World, host: str, iface: Iface) -> list[str]:
    """The packet counter block of a CSR1000v capture, from :func:`_packets`."""
    pkts = _packets(world, host, iface)
    return [f"     {pkts} packets input, {pkts * 100} bytes, 0 no buffer",
            "     Received 0 broadcasts (0 IP multicasts)", "     0 runts, 0 giants, 0 throttles ",
            "     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored", "     0 watchdog, 0 multicast, 0 pause input",
            f"     {pkts} packets output, {pkts * 100} bytes, 0 underruns",
            "     Output 0 broadcasts (0 IP multicasts)", "     0 output errors, 0 collisions, 0 interface resets",
            "     0 unknown protocol drops", "     0 babbles, 0 late collision, 0 deferred",
            "     0 lost carrier, 0 no carrier, 0 pause output",
            "     0 output buffer failures, 0 output buffers swapped out"]


def show_interfaces(world: World, snap: Snapshot, host: str, only: str | None = None) -> str:
    out: list[str] = []
    for iface in world.conf(host).listed():
        if only is None or iface.name == only:
            out += _one(world, snap, host, iface)
    return "\n".join(out) + "\n"


# `show interfaces accounting`: per interface its name (with IOS's trailing space), the column header, then a
# row per protocol that carried traffic or `No traffic sent or received on this interface.` (real CSR1000v
# capture: genieparser iosxe ShowInterfacesAccounting golden_output, GigabitEthernet1-3 and Loopback0-1;
# columns right-aligned to 24/11/11/11/11). The counter model's packets are the hellos of :func:`_packets`,
# all IP; it has no ARP or other protocol traffic, so only the IP row is printed.
_ACCOUNTING_HEADER = "                Protocol    Pkts In   Chars In   Pkts Out  Chars Out"


def show_interfaces_accounting(world: World, snap: Snapshot, host: str) -> str:
    """Genie's interface learn reads it on IOS-XE; the counts are those `show interfaces` prints."""
    out: list[str] = []
    for iface in world.conf(host).listed():
        pkts = _packets(world, host, iface)
        out += [f"{iface.name} ", _ACCOUNTING_HEADER]
        if pkts:
            out.append(f"{'IP':>24}{pkts:>11}{pkts * 100:>11}{pkts:>11}{pkts * 100:>11}")
        else:
            out.append("No traffic sent or received on this interface.")
    return "\n".join(out) + "\n"
