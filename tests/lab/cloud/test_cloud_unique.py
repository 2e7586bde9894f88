"""NHRP's unique flag: a spoke whose NBMA changes is refused until its old entry expires, unless it
registers with `ip nhrp registration no-unique` (what the renderer gives a DHCP spoke)."""
from __future__ import annotations

import re
from pathlib import Path

from dmvpn_ops.intent import load_design
from dmvpn_ops.lab.cloud import Cloud
from dmvpn_ops.render import render_config

EXAMPLE = Path(__file__).resolve().parents[3] / "inventory" / "examples" / "fvrf-nat-spoke"
SPOKE = "branch-dhcp"


def _cloud(no_unique: bool) -> tuple[Cloud, str]:
    design = load_design(str(EXAMPLE))
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    assert " ip nhrp registration no-unique\n" in configs[SPOKE]   # rendered for the DHCP spoke
    if not no_unique:
        configs[SPOKE] = configs[SPOKE].replace(" ip nhrp registration no-unique\n", "")
    cloud = Cloud(design, configs.__getitem__)
    hub = design.hub_names[0]
    return cloud, hub


def _entry(cloud: Cloud, hub: str) -> tuple[str, str]:
    """(NBMA, flags) of the spoke's entry on the hub."""
    text = cloud.execute(hub, "show ip nhrp") or ""
    spoke_ip = str(next(t.address.ip for t in cloud.world.conf(SPOKE).tunnels() if t.address))
    block = text.split(f"{spoke_ip}/32 via {spoke_ip}")[1].split("/32 via")[0]
    nbma = re.search(r"NBMA address: (\S+)", block)
    flags = re.search(r"Flags: (.*)", block)
    assert nbma and flags, text
    return nbma.group(1), flags.group(1).strip()


def test_unique_registration_is_refused_until_the_old_entry_expires() -> None:
    cloud, hub = _cloud(no_unique=False)
    old, flags = _entry(cloud, hub)
    assert flags == "unique registered used nhop"
    cloud.inject("nbma-change", SPOKE)              # the DHCP lease moved
    assert _entry(cloud, hub)[0] == old             # the hub still holds the old NBMA
    assert " RE " not in (cloud.execute(SPOKE, "show ip nhrp nhs") or "").split("Tunnel")[1]
    cloud.clock.advance(301)                        # hold time 300 s: the old entry expired
    new, _ = _entry(cloud, hub)
    assert new != old


def test_no_unique_registration_replaces_the_entry_at_once() -> None:
    cloud, hub = _cloud(no_unique=True)
    old, flags = _entry(cloud, hub)
    assert flags == "registered used nhop"          # no unique flag on the entry
    cloud.inject("nbma-change", SPOKE)
    new, _ = _entry(cloud, hub)
    assert new != old
