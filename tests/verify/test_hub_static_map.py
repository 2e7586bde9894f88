"""Hubs of a dual-hub cloud map each other statically (`ip nhrp map` + `map multicast`): the other
hub's S row on a hub's `show dmvpn`, its IKE session and routing neighbour are intended, never an
UNKNOWN_PEER; a real rogue still is. Outputs come from the current cloud model (no saved fixtures)."""
from __future__ import annotations

import os
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


def _collect(inventory: str, faults: list[tuple[str, str]], skip: tuple[str, ...] = ()
             ) -> tuple[Design, dict[str, HostCollection]]:
    for key, value in TEST_SECRETS.items():
        os.environ.setdefault(key, value)
    design = load_design(ROOT / inventory)
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    cloud = Cloud(design, configs.__getitem__)
    cloud.snapshot()
    cloud.clock.advance(5)
    for kind, host in faults:
        cloud.inject(kind, host)
        cloud.snapshot()
    cloud.clock.advance(60)
    colls = {}
    for name, host in design.hosts.items():
        coll = HostCollection(name, commands_for(host))
        if name in skip:
            coll.error, coll.error_kind = "cannot connect: [Errno 111] Connection refused", "unreachable"
        else:
            for command in coll.commands:
                coll.outputs[command] = cloud.execute(name, command) or ""
                coll.records[command] = parse(command, coll.outputs[command], host=name)
        colls[name] = coll
    return design, colls


@pytest.mark.parametrize("inventory", ["inventory", "inventory/examples/ikev1-phase2-ospf",
                                       "inventory/examples/phase2-eigrp"])
@pytest.mark.parametrize("mode", ["fast", "full"])
def test_hubs_mapping_each_other_verify_clean(inventory: str, mode: str) -> None:
    design, colls = _collect(inventory, [])
    hub1, hub2 = design.hub_names[:2]
    other = str(design.hosts[hub2].tunnels[0].tunnel_ip)
    rows = {r["peer_tunnel"]: r for r in colls[hub1].records["show dmvpn"]}
    assert rows[other]["attributes"] == ["S"] and rows[other]["state"] == "UP"   # the premise
    if mode == "fast":
        colls = {h: c for h, c in colls.items() if h in design.hub_names}
    result = evaluate(design, colls, mode=mode)
    assert result.findings == [], [f.to_dict() for f in result.findings]


def test_down_hub_static_row_is_no_unknown_peer_but_a_rogue_is() -> None:
    design, colls = _collect("inventory", [("hub-down", "hub1"), ("rogue-spoke", "hub2")], skip=("hub1",))
    rows = {r["peer_tunnel"]: r for r in colls["hub2"].records["show dmvpn"]}
    assert rows["172.16.100.1"]["state"] != "UP"                  # hub2 still maps the dead hub1
    result = evaluate(design, colls, mode="full")
    unknown = [f for f in result.findings if f.code == "UNKNOWN_PEER"]
    assert [(f.host, f.peer) for f in unknown] == [("hub2", "172.16.100.254")]
