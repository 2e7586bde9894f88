"""Regenerate inventory/examples/broken/: one small inventory per lint rule, each breaking it.

Each case is a clean dual-hub cloud plus one patch; the directory name starts with the rule
id the case must trip (tests/lint/test_examples.py reads it from there).
Run: python scripts/make_broken_examples.py
"""
from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import yaml

OUT = Path(__file__).resolve().parent.parent / "inventory" / "examples" / "broken"

DEFAULTS = {"hostname": "127.0.0.1", "platform": "cisco_ios", "username": "admin",
            "password": "env:DMVPN_SSH_PASSWORD"}
CLOUD = {"tunnel": 100, "subnet": "172.16.100.0/24", "network_id": 100, "tunnel_key": 100,
         "nhrp_auth": "env:DMVPN_NHRP_AUTH", "phase": 3,
         "routing": {"protocol": "eigrp", "as_number": 100},
         "crypto": {"type": "ikev2", "psk": "env:DMVPN_PSK", "mode": "transport"}}


def _host(role: str, index: int, nbma: str) -> dict[str, Any]:
    return {"port": 12400 + index, "groups": ["cloud"], "data": {"dmvpn": {
        "role": role,
        "underlay": {"interface": "GigabitEthernet1", "address": f"{nbma}/24", "gateway": nbma.rsplit(".", 1)[0] + ".254"},
        "lan": [{"interface": "GigabitEthernet2", "address": f"10.0.{index}.1/24"}],
        "clouds": {"C1": {"tunnel_ip": f"172.16.100.{index}"}}}}}


def _next_net(nbma: str) -> str:
    """The same host in the next /24 (a second underlay)."""
    a, b, c, d = nbma.split(".")
    return f"{a}.{b}.{int(c) + 1}.{d}"


def base() -> dict[str, Any]:
    hosts = {"hub1": _host("hub", 1, "198.51.100.1"), "hub2": _host("hub", 2, "198.51.100.2"),
             "spoke1": _host("spoke", 11, "203.0.113.11"), "spoke2": _host("spoke", 12, "203.0.113.12")}
    return copy.deepcopy({"defaults": DEFAULTS, "groups": {"cloud": {"data": {"dmvpn": {"clouds": {"C1": CLOUD}}}}},
            "hosts": hosts})


def cloud(**patch: Any) -> dict[str, Any]:
    return {"groups": {"cloud": {"data": {"dmvpn": {"clouds": {"C1": patch}}}}}}


def member(host: str, **patch: Any) -> dict[str, Any]:
    return {"hosts": {host: {"data": {"dmvpn": {"clouds": {"C1": patch}}}}}}


def host_dmvpn(host: str, **patch: Any) -> dict[str, Any]:
    return {"hosts": {host: {"data": {"dmvpn": patch}}}}


CASES: dict[str, dict[str, Any]] = {
    "dmv101-eigrp-split-horizon": cloud(routing={"split_horizon": True}),
    "dmv102-eigrp-next-hop-self-phase2": cloud(phase=2, routing={"next_hop_self": True}),
    "dmv103-ospf-p2mp-phase2": cloud(phase=2, routing={"protocol": "ospf", "as_number": None,
                                                       "network_type": "point-to-multipoint"}),
    "dmv104-ospf-spoke-priority": cloud(phase=2, routing={"protocol": "ospf", "as_number": None,
                                                          "spoke_priority": 1}),
    "dmv105-no-multicast": cloud(multicast=False),
    "dmv201-phase3-no-redirect": member("hub1", nhrp_redirect=False),
    "dmv202-phase3-no-shortcut": member("spoke2", nhrp_shortcut=False),
    "dmv203-missing-nhs": member("spoke1", nhs=[{"tunnel_ip": "172.16.100.1", "nbma": "198.51.100.1"}]),
    "dmv204-long-nhrp-auth": cloud(nhrp_auth="env:DMVPN_LONG_NHRP_AUTH"),
    "dmv205-hub-dhcp": host_dmvpn("hub2", underlay={"interface": "GigabitEthernet1", "address": "dhcp"}),
    "dmv206-single-hub": {"hosts": {"hub2": None}},
    "dmv301-two-tunnels-one-source": {
        "groups": {"cloud": {"data": {"dmvpn": {"clouds": {"C2": {**CLOUD, "tunnel": 200,
                                                                  "subnet": "172.16.200.0/24"}}}}}},
        "hosts": {h: {"data": {"dmvpn": {"clouds": {"C2": {"tunnel_ip": f"172.16.200.{i}"}}}}}
                  for h, i in (("hub1", 1), ("hub2", 2), ("spoke1", 11), ("spoke2", 12))}},
    "dmv302-no-mtu-mss": cloud(mtu=None, tcp_mss=None),
    "dmv401-nat-transport-mode": host_dmvpn("spoke2", underlay={
        "interface": "GigabitEthernet1", "address": "192.168.1.10/24", "gateway": "192.168.1.1",
        "nat_public": "192.0.2.12"}),
    "dmv402-dual-cloud-shared-psk-ambiguous": {
        "groups": {"cloud": {"data": {"dmvpn": {"clouds": {
            "C1": {"crypto": {"shared": True}},
            "C2": {**CLOUD, "tunnel": 200, "tunnel_key": 200, "subnet": "172.16.200.0/24",
                   "crypto": {**CLOUD["crypto"], "psk": "env:DMVPN_OTHER_PSK", "shared": True}}}}}}},
        "hosts": {h: {"data": {"dmvpn": {"clouds": {"C2": {"tunnel_ip": f"172.16.200.{i}"}}}}}
                  for h, i in (("hub1", 1), ("hub2", 2), ("spoke1", 11), ("spoke2", 12))}},
    "dmv403-shared-profile-two-transforms": {
        "groups": {"cloud": {"data": {"dmvpn": {"clouds": {
            "C1": {"crypto": {"shared": True}},
            "C2": {**CLOUD, "tunnel": 200, "tunnel_key": 200, "subnet": "172.16.200.0/24",
                   "crypto": {**CLOUD["crypto"], "shared": True, "transform": "esp-gcm 256"}}}}}}},
        "hosts": {h: {"data": {"dmvpn": {"clouds": {"C2": {"tunnel_ip": f"172.16.200.{i}"}}}}}
                  for h, i in (("hub1", 1), ("hub2", 2), ("spoke1", 11), ("spoke2", 12))}},
    "dmv501-tunnel-key-mismatch": member("spoke1", tunnel_key=999),
    "dmv502-nhrp-auth-mismatch": member("spoke1", nhrp_auth="env:DMVPN_OTHER_NHRP_AUTH"),
    "dmv503-psk-mismatch": member("spoke1", crypto={"psk": "env:DMVPN_OTHER_PSK"}),
    "dmv504-network-id-mismatch": member("spoke1", network_id=7),
    "dmv505-phase-mismatch": member("spoke1", phase=2),
    "dmv506-secret-reused": {
        "defaults": {"data": {"dmvpn": {"unique_secrets_per_cloud": True}}},
        "groups": {"cloud": {"data": {"dmvpn": {"clouds": {"C2": {**CLOUD, "tunnel": 200, "tunnel_key": 200,
                                                                  "subnet": "172.16.200.0/24"}}}}}},
        "hosts": {h: {"data": {"dmvpn": {"underlay": [
            {"interface": "GigabitEthernet1", "address": f"{n}/24", "gateway": n.rsplit(".", 1)[0] + ".254"},
            {"interface": "GigabitEthernet3", "address": f"{_next_net(n)}/24",
             "gateway": _next_net(n).rsplit(".", 1)[0] + ".254"}],
            "clouds": {"C2": {"tunnel_ip": f"172.16.200.{i}", "source": "GigabitEthernet3"}}}}}
            for h, i, n in (("hub1", 1, "198.51.100.1"), ("hub2", 2, "198.51.100.2"),
                            ("spoke1", 11, "203.0.113.11"), ("spoke2", 12, "203.0.113.12"))}},
    "dmv701-hub-unreachable": host_dmvpn("spoke2", underlay={"gateway": None}),
    "dmv702-source-in-two-vrfs": {
        "groups": {"cloud": {"data": {"dmvpn": {"clouds": {
            "C1": {"fvrf": "INET", "crypto": {"shared": True}},
            "C2": {**CLOUD, "tunnel": 200, "tunnel_key": 200, "subnet": "172.16.200.0/24",
                   "crypto": {**CLOUD["crypto"], "shared": True}}}}}}},
        "hosts": {h: {"data": {"dmvpn": {"clouds": {"C2": {"tunnel_ip": f"172.16.200.{i}"}}}}}
                  for h, i in (("hub1", 1), ("hub2", 2), ("spoke1", 11), ("spoke2", 12))}},
    "dmv601-duplicate-tunnel-ip": member("spoke2", tunnel_ip="172.16.100.11"),
    "dmv602-duplicate-nbma": host_dmvpn("spoke2", underlay={"interface": "GigabitEthernet1",
                                                           "address": "203.0.113.11/24"}),
    "dmv603-tunnel-ip-outside-subnet": member("spoke2", tunnel_ip="172.16.99.12"),
}


def merge(target: dict[str, Any], patch: dict[str, Any]) -> None:
    for key, value in patch.items():
        if value is None and key in target and isinstance(target, dict) and key in ("hub2",):
            del target[key]
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    for name, patch in CASES.items():
        inventory = base()
        merge(inventory, patch)
        folder = OUT / name
        folder.mkdir(parents=True)
        header = f"# Broken on purpose: must trip {name.split('-')[0].upper()} "\
                 f"(generated by scripts/make_broken_examples.py)\n"
        for part in ("hosts", "groups", "defaults"):
            text = yaml.safe_dump(inventory[part], sort_keys=False, default_flow_style=None)
            (folder / f"{part}.yaml").write_text(header + text)
    print(f"wrote {len(CASES)} cases to {OUT}")


if __name__ == "__main__":
    main()
