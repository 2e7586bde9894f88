"""Underlay routing decides NBMA reachability (connected + static routes + DHCP default, per front-door
VRF), and same-source tunnels sharing an IPsec profile need `shared`."""
from __future__ import annotations

import re
from pathlib import Path

from dmvpn_ops.intent import load_design
from dmvpn_ops.lab.cloud import Cloud
from dmvpn_ops.render import render_config

INVENTORY = Path(__file__).resolve().parents[3] / "inventory"


def _cloud(inventory: Path, edits: dict[str, tuple[str, str]]) -> Cloud:
    design = load_design(str(inventory))
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    for host, (pattern, replacement) in edits.items():
        changed = re.sub(pattern, replacement, configs[host], flags=re.M)
        assert changed != configs[host], (host, pattern)
        configs[host] = changed
    return Cloud(design, configs.__getitem__)


def _registered(cloud: Cloud, spoke: str) -> list[str]:
    """The NHS rows of ``spoke`` that are responding."""
    nhs = cloud.execute(spoke, "show ip nhrp nhs") or ""
    return [line for line in nhs.splitlines() if "NBMA Address" in line and " RE " in line]


def test_a_spoke_without_a_route_to_the_hubs_does_not_register() -> None:
    cloud = _cloud(INVENTORY, {"spoke1": (r"^ip route 0\.0\.0\.0 0\.0\.0\.0 .*\n", "")})
    assert _registered(cloud, "spoke1") == []
    assert "172.16.100.11" not in (cloud.execute("hub1", "show dmvpn") or "")
    assert "READY" not in (cloud.execute("spoke1", "show crypto ikev2 sa") or "")
    assert _registered(cloud, "spoke2")                          # the others have their gateway


def test_a_route_in_the_wrong_vrf_does_not_reach_through_the_front_door_vrf() -> None:
    example = INVENTORY / "examples" / "fvrf-nat-spoke"
    cloud = _cloud(example, {"branch-nat": (r"^ip route vrf INET ", "ip route ")})  # global table, not INET
    assert _registered(cloud, "branch-nat") == []
    assert _registered(cloud, "branch-dhcp")                     # DHCP's default route in INET


def test_same_source_tunnels_on_one_profile_need_shared() -> None:
    example = INVENTORY / "examples" / "phase3-bgp-dual-cloud"
    assert _registered(_cloud(example, {}), "spoke1")
    cloud = _cloud(example, {"spoke1": (r"^( tunnel protection ipsec profile \S+) shared$", r"\1")})
    assert _registered(cloud, "spoke1") == []
    assert _registered(cloud, "spoke2")
