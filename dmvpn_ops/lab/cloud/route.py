"""Route records and per-interface link facts (bandwidth, delay, cost) IOS routing uses."""
from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.world import World


@dataclass
class Path:
    """One next hop of a route (``via`` names the router it leads to, for traffic)."""

    nexthop: IPv4Address | None
    iface: str | None
    via: str | None = None


@dataclass
class Route:
    """One RIB entry as `show ip route` prints it."""

    prefix: IPv4Network
    code: str                     # C L S D O B H (+ "%" override shown by the formatter)
    ad: int
    metric: int
    paths: list[Path]
    since: float
    nho: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def bandwidth(world: World, host: str, iface: str) -> int:
    """Interface bandwidth in kbit/s (IOS defaults: tunnel 100, loopback 8000000, GigE 1000000)."""
    conf = world.conf(host).interfaces.get(iface)
    if conf is not None and conf.bandwidth:
        return conf.bandwidth
    return 100 if iface.startswith("Tunnel") else 8000000 if iface.startswith("Loopback") else 1000000


def delay_usec(world: World, host: str, iface: str) -> int:
    """Interface delay in microseconds (configured in tens of microseconds)."""
    conf = world.conf(host).interfaces.get(iface)
    if conf is not None and conf.delay:
        return conf.delay * 10
    return 50000 if iface.startswith("Tunnel") else 5000 if iface.startswith("Loopback") else 10


def ospf_cost(world: World, host: str, iface: str) -> int:
    conf = world.conf(host).interfaces.get(iface)
    for line in conf.lines if conf else []:
        if line.startswith("ip ospf cost "):
            return int(line.split()[3])
    return max(1, 100000 // bandwidth(world, host, iface))


def eigrp_metric(bw_kbit: int, delay: int) -> int:
    """Classic composite metric with K1=K3=1: 256 * (10^7/min-bw + sum-delay/10)."""
    return 256 * (10 ** 7 // max(1, bw_kbit) + delay // 10)


def router_id(world: World, host: str, configured: IPv4Address | None) -> IPv4Address:
    """Configured, else highest loopback address, else highest interface address."""
    if configured is not None:
        return configured
    ifaces = [i for i in world.conf(host).interfaces.values() if i.address is not None]
    loops = [i.address.ip for i in ifaces if i.name.startswith("Loopback") and i.address]
    pool = loops or [i.address.ip for i in ifaces if i.address]
    return max(pool, default=IPv4Address("0.0.0.0"))
