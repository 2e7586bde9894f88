"""The cloud recomputes lazily (once per query after any number of events) and scales linearly."""
from __future__ import annotations

import os
from ipaddress import IPv4Network
from typing import Any

import pytest

from dmvpn_ops.intent import load_design
from dmvpn_ops.lab.cloud import Cloud
from dmvpn_ops.lab.scale import grow_inventory
from dmvpn_ops.render import render_config
from tests.lab.cloud.conftest import SECRETS


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, str]]:
    for key, value in SECRETS.items():
        os.environ.setdefault(key, value)
    design = load_design(str(grow_inventory(tmp_path_factory.mktemp("scale"), 302)))
    return design, {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}


def test_config_changes_only_mark_dirty(lab: Any) -> None:
    lab.run("hub1", "show dmvpn")
    before = lab.cloud.recomputes
    for host in lab.design.hosts:
        lab.cloud.config_changed(host)
    assert lab.cloud.recomputes == before
    lab.run("hub1", "show dmvpn")
    lab.run("spoke1", "show ip route")
    assert lab.cloud.recomputes == before + 1


def test_300_spokes_snapshot_routes_are_right(big: tuple[Any, dict[str, str]]) -> None:
    """Correctness at scale; the speed of it is measured by bench/lab.py, never timed in a test."""
    design, configs = big
    cloud = Cloud(design, lambda h: configs[h])
    snap = cloud.snapshot()
    hub = cloud.execute("hub1", "show dmvpn") or ""
    assert hub.count(" UP ") == 301          # 300 spokes + hub2, mapped statically
    rib = {r.prefix: r for r in snap.ribs["spoke7"]}
    far = rib[IPv4Network("10.101.50.0/24")]             # spoke 299's LAN, learned via both hubs (ECMP)
    assert far.code == "D" and {p.via for p in far.paths} == {"hub1", "hub2"}
    assert sum(r.code == "D" for r in rib.values()) == 301  # every other LAN: 299 spokes + 2 hubs


def test_changing_many_spokes_costs_one_recompute(big: tuple[Any, dict[str, str]]) -> None:
    """100 config changes between two queries are one recompute, not 100 (cost counted, not timed)."""
    design, configs = big
    cloud = Cloud(design, lambda h: configs[h])
    cloud.execute("hub1", "show dmvpn")
    before = cloud.recomputes
    for host in list(design.hosts)[:100]:
        cloud.config_changed(host)
    assert cloud.recomputes == before
    cloud.execute("hub1", "show dmvpn")
    assert cloud.recomputes == before + 1
