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
    for iface in world.conf(host).interfaces.values():
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


def _one(world: World, snap: Snapshot, host: str, iface: Iface) -> list[str]:
    status, proto = _status(world, snap, host, iface)
    kind = "Tunnel" if iface.is_tunnel else "Loopback" if iface.name.startswith("Loopback") else "CSR vNIC"
    lines = [f"{iface.name} is {status}, line protocol is {proto} ", f"  Hardware is {kind}"]
    if iface.description:
        lines.append(f"  Description: {iface.description}")
    if iface.address:
        lines.append(f"  Internet address is {iface.address.with_prefixlen}")
    mtu = 17916 if iface.is_tunnel else 1514 if not iface.name.startswith("Loopback") else 1514
    lines += [f"  MTU {mtu} bytes, BW {bandwidth(world, host, iface.name)} Kbit/sec, "
              f"DLY {delay_usec(world, host, iface.name)} usec, ",
              "     reliability 255/255, txload 1/255, rxload 1/255",
              f"  Encapsulation {'TUNNEL' if iface.is_tunnel else 'ARPA'}, loopback not set"]
    if iface.is_tunnel:
        lines += ["  Keepalive not set"] + _tunnel_lines(world, host, iface)
    else:
        lines.append("  Keepalive set (10 sec)")
    lines += ["  Last input never, output never, output hang never",
              "  Input queue: 0/375/0/0 (size/max/drops/flushes); Total output drops: 0",
              "  5 minute input rate 0 bits/sec, 0 packets/sec",
              "  5 minute output rate 0 bits/sec, 0 packets/sec"]
    return lines


def show_interfaces(world: World, snap: Snapshot, host: str, only: str | None = None) -> str:
    out: list[str] = []
    for iface in world.conf(host).interfaces.values():
        if only is None or iface.name == only:
            out += _one(world, snap, host, iface)
    return "\n".join(out) + "\n"
