"""BGP on the phase3-bgp-dual-cloud example: a spoke whose session to one hub is down (NHRP and IPsec
still up) is a ROUTING_NEIGHBOR_MISSING, although the spoke's `show ip bgp summary` now lists the
configured neighbour (state `Idle (Admin)` / `Active`, Up/Down `never` or the time since it went down)
instead of leaving it out. Outputs come from the current cloud model (no saved fixtures)."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from dmvpn_ops.collect.collect import HostCollection
from dmvpn_ops.collect.commands import commands_for
from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.cloud.cloud import Cloud
from dmvpn_ops.parse import parse
from dmvpn_ops.render import render_config
from dmvpn_ops.verify import evaluate
from tests.conftest import TEST_SECRETS

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT / "inventory/examples/phase3-bgp-dual-cloud"
BLUE = "172.16.102.1"      # hub-blue's tunnel address, a configured neighbour on each spoke


def _collect(edit: Callable[[str], str]) -> tuple[Design, dict[str, HostCollection]]:
    for key, value in TEST_SECRETS.items():
        os.environ.setdefault(key, value)
    design = load_design(INVENTORY)
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    cloud = Cloud(design, configs.__getitem__)
    cloud.snapshot()
    cloud.clock.advance(60)
    configs["spoke1"] = edit(configs["spoke1"])
    cloud.config_changed("spoke1")
    cloud.clock.advance(60)
    colls = {}
    for name, host in design.hosts.items():
        coll = HostCollection(name, commands_for(host))
        for command in coll.commands:
            coll.outputs[command] = cloud.execute(name, command) or ""
            coll.records[command] = parse(command, coll.outputs[command], host=name)
        colls[name] = coll
    return design, colls


def _shut_blue(config: str) -> str:
    line = f" neighbor {BLUE} remote-as 65000\n"
    assert line in config
    return config.replace(line, line + f" neighbor {BLUE} shutdown\n", 1)


def test_clean_dual_cloud_bgp_verifies_clean() -> None:
    design, colls = _collect(lambda c: c)
    assert evaluate(design, colls, mode="full").findings == []


@pytest.mark.parametrize("mode", ["fast", "full"])
def test_spoke_session_to_a_hub_down_is_routing_neighbor_missing(mode: str) -> None:
    design, colls = _collect(_shut_blue)
    rows = {r["neighbor"]: r for r in colls["spoke1"].records["show ip bgp summary"]}
    assert rows[BLUE]["state"] == "Idle (Admin)" and rows[BLUE]["up_down"] == "00:01:00"   # listed, not up
    assert rows["172.16.101.1"]["state"] == "Established"
    blue = {r["neighbor"] for r in colls["hub-blue"].records["show ip bgp summary"]}
    assert "172.16.102.11" not in blue and "172.16.102.12" in blue    # the dynamic neighbour is gone
    if mode == "fast":
        colls = {h: c for h, c in colls.items() if h in design.hub_names}
    result = evaluate(design, colls, mode=mode)
    found = [(f.code, f.host) for f in result.findings]
    assert found == [("ROUTING_NEIGHBOR_MISSING", "spoke1")], [f.to_dict() for f in result.findings]


def test_spoke_view_alone_reports_the_down_state() -> None:
    """Without the hub's table the spoke's own row (present, not Established) is the evidence."""
    design, colls = _collect(_shut_blue)
    colls["hub-blue"].records.pop("show ip bgp summary")
    result = evaluate(design, colls, mode="full")
    missing = [f for f in result.findings if f.code == "ROUTING_NEIGHBOR_MISSING"]
    assert [f.host for f in missing] == ["spoke1"]
    assert missing[0].observed == "Idle (Admin)" and "state Idle (Admin)" in missing[0].message
