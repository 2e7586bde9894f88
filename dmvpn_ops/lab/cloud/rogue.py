"""The rogue-spoke fault: an unknown router, built from a hub's own config, registers to it."""
from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.configtree import parse_config
from dmvpn_ops.lab.cloud.underlay import nbma

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.world import World

ROGUE_NBMA = IPv4Address("100.66.66.66")
ROGUE_GATEWAY = IPv4Address("100.66.66.1")
_HUB_ONLY = ("ip nhrp map multicast dynamic", "ip nhrp redirect", "no ip split-horizon",
             "no ip next-hop-self", "ip nhrp nhs", "ip nhrp map ", "ip address", "description")


def _free_address(world: World, network: IPv4Network) -> IPv4Address:
    used = {i.address.ip for h in world.routers() for i in world.conf(h).connected() if i.address}
    hosts = list(network.hosts())
    return next(a for a in reversed(hosts) if a not in used)


def rogue_config(world: World, hub: str) -> str:
    """Crypto + tunnels copied from the hub (right key, auth and PSK), NHS pointing at the hub."""
    root = parse_config(world.config_of(hub))
    lines = [f"hostname rogue-{hub}"]
    for block in root.children:
        if block.text.startswith("crypto "):
            lines.append(block.text)
            lines += [f" {c.text}" for c in block.children]
            lines += [f"  {g.text}" for c in block.children for g in c.children]
    fvrf = next((t.tunnel_vrf for t in world.conf(hub).tunnels() if t.tunnel_vrf), None)
    lines += ["interface GigabitEthernet1", *([f" vrf forwarding {fvrf}"] if fvrf else []),
              f" ip address {ROGUE_NBMA} 255.255.255.0"]
    # like any router on the Internet it has a default route (the underlay is routed, see reach.py)
    lines += [f"ip route {f'vrf {fvrf} ' if fvrf else ''}0.0.0.0 0.0.0.0 {ROGUE_GATEWAY}"]
    for tun in world.conf(hub).tunnels():
        if tun.address is None:
            continue
        end = nbma(world, hub, tun.name)
        lines += [f"interface {tun.name}",
                  f" ip address {_free_address(world, tun.address.network)} {tun.address.netmask}"]
        lines += [f" {x}" for x in tun.lines if not x.startswith(_HUB_ONLY) and not x.startswith("tunnel source")]
        lines += [f" ip nhrp nhs {tun.address.ip} nbma {end.public}", " tunnel source GigabitEthernet1"]
    return "\n".join(lines) + "\n"


def add_rogue(world: World, host: str) -> None:
    """Attach a rogue to ``host`` (a hub), or to every hub of ``host``'s clouds for a spoke."""
    hubs = [host] if world.role(host) == "hub" else world.design.hub_names
    for hub in hubs:
        world.extra[f"rogue-{hub}"] = rogue_config(world, hub)
        world.forget(f"rogue-{hub}")


def remove_rogues(world: World, host: str | None) -> None:
    for name in list(world.extra):
        if host is None or name.startswith("rogue-") and (name == f"rogue-{host}" or
                                                          world.role(host) != "hub"):
            del world.extra[name]
            world.forget(name)
