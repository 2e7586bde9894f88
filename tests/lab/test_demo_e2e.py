"""Both lab halves together: rendered configs pushed with netmiko, the cloud's view parsed by ntc-templates."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
Connect = Callable[..., Any]


def test_pushed_demo_cloud_registers_every_spoke_on_both_hubs(lab: Lab, connect: Connect,
                                                              design: Design) -> None:
    assert lab.core.cloud is not None, "the lab must run the cloud model"
    for host in design.hosts:
        conn = connect(host)
        conn.send_config_set(render_config(design, host, reveal_secrets=True).splitlines(),
                             error_pattern=r"% Invalid|% Incomplete|% Ambiguous")
        conn.save_config()
    lab.advance(60)
    spokes = {str(design.hosts[s].tunnels[0].tunnel_ip) for s in design.spoke_names}
    for hub in design.hub_names:
        records = connect(hub).send_command("show dmvpn", use_textfsm=True)
        assert isinstance(records, list), records
        hubs = {str(design.hosts[h].tunnels[0].tunnel_ip) for h in design.hub_names if h != hub}
        assert {r["peer_tunnel"] for r in records} == spokes | hubs     # the other hub: static map
        assert all(r["state"] == "UP" for r in records)
