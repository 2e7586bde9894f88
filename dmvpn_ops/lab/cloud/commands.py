"""Exec commands the cloud answers: the keyword table the core abbreviates, and the dispatcher."""
from __future__ import annotations

from collections.abc import Callable
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud import probe
from dmvpn_ops.lab.cloud.show import bgp, crypto, dmvpn, interfaces, nhrp, routes, routing, views

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.cloud import Cloud
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

Handler = Callable[["World", "Snapshot", str], str]

SHOWS: dict[str, Handler] = {
    "show dmvpn": dmvpn.show_dmvpn,
    "show dmvpn detail": dmvpn.show_dmvpn_detail,
    "show ip nhrp": nhrp.show_ip_nhrp,
    "show ip nhrp detail": nhrp.show_ip_nhrp_detail,
    "show ip nhrp nhs": nhrp.show_nhs,
    "show ip nhrp nhs detail": nhrp.show_nhs_detail,
    "show ip nhrp shortcut": nhrp.show_shortcut,
    "show crypto isakmp sa": crypto.show_isakmp_sa,
    "show crypto ikev2 sa": crypto.show_ikev2_sa,
    "show crypto ikev2 sa detail": crypto.show_ikev2_sa_detail,
    "show crypto ipsec sa": crypto.show_ipsec_sa,
    "show crypto ipsec sa detail": crypto.show_ipsec_sa_detail,
    "show crypto session": crypto.show_session,
    "show crypto session detail": crypto.show_session_detail,
    "show ip eigrp neighbors": routing.show_eigrp_neighbors,
    "show ip ospf neighbor": routing.show_ospf_neighbor,
    "show ip bgp summary": bgp.show_bgp_summary,
    "show ip route": routes.show_ip_route,
    "show ip route nhrp": routes.show_ip_route_nhrp,
    "show ip interface brief": interfaces.show_ip_interface_brief,
    "show interfaces": interfaces.show_interfaces,
    "show interfaces accounting": interfaces.show_interfaces_accounting,
}
ACTIONS = ["ping", "traceroute", "clear ip nhrp", "clear crypto session", "clear crypto sa"]
SHOW_COMMANDS: list[str] = list(SHOWS) + ACTIONS


def _interfaces(cloud: Cloud, host: str, command: str) -> str | None:
    name = command.split()[2]
    world = cloud.world
    if name not in world.conf(host).interfaces:
        return "                          ^\n% Invalid input detected at '^' marker.\n"
    return interfaces.show_interfaces(world, cloud.snapshot(), host, only=name)


def _clear(cloud: Cloud, host: str, command: str) -> str:
    world = cloud.world
    words = command.split()
    target = IPv4Address(words[3]) if len(words) > 3 and words[3][0].isdigit() else None
    cloud.snapshot()
    if words[:3] == ["clear", "ip", "nhrp"]:
        nhrp.clear_nhrp(world, host, target)
    else:
        crypto.clear_crypto(world, host)
    cloud.invalidate()
    return ""


def dispatch(cloud: Cloud, host: str, command: str) -> str | None:
    """Route a canonical command to its formatter or action."""
    world = cloud.world
    if command.startswith("ping ip "):  # `ping ip X` is `ping X` (Cisco IOS Network Management command reference)
        command = "ping " + command[len("ping ip "):]
    if command in SHOWS:
        return SHOWS[command](world, cloud.snapshot(), host)
    if command.startswith("show interfaces ") and len(command.split()) == 3 and command not in views.SIMPLE:
        return _interfaces(cloud, host, command)
    if command.startswith(("ping ", "traceroute ")):
        run = probe.run_ping if command.startswith("ping") else probe.run_traceroute
        out = run(world, cloud.snapshot(), host, command)
        cloud.invalidate()
        return out
    if command.startswith(("clear ip nhrp", "clear crypto session", "clear crypto sa")):
        return _clear(cloud, host, command)
    if command.startswith("show "):  # argument forms and the other read-only commands
        return views.dispatch(world, cloud.snapshot(), host, command)
    return None
