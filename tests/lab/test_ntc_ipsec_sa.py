"""`show crypto ipsec sa detail` read over SSH (netmiko) from the emulator, in ntc's per-SA shape.

ntc-templates itself cannot read this output (a hub's interface holds one flow per spoke; IOS-XE prints
`replay detection support: Y` without a window size), so this checks our ntc view against the emulator's
own flow records and against the other end of each SA instead: every SA of the flow records appears once,
with its flow's peer, and a spoke's inbound SPI is the hub's outbound SPI towards it.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.parse import parse, parse_ntc
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
COMMAND = "show crypto ipsec sa detail"


def test_ntc_per_sa_view_over_ssh(lab: Lab, design: Design, connect: Callable[..., Any], tmp_path: Any,
                                  cli: Any) -> None:
    lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
    lab.advance(60)
    hub = next(h for h, spec in design.hosts.items() if spec.is_hub)
    spoke = next(h for h, spec in design.hosts.items() if not spec.is_hub)
    texts = {host: connect(host).send_command(COMMAND, read_timeout=30) for host in (hub, spoke)}
    views = {host: parse_ntc(COMMAND, text) for host, text in texts.items()}
    for host, text in texts.items():
        flows = parse(COMMAND, text)
        assert len(flows) >= (2 if host == hub else 1)
        expected = [(f["peer"], direction, spi) for f in flows for direction in ("inbound", "outbound")
                    for spi in f[f"{direction}_spis"]]
        assert [(r["current_peer"], r["sa_orientation"], r["sa_spi_hex"]) for r in views[host]
                if r["sa_type"] == "esp"] == expected
        assert all(isinstance(v, str) for r in views[host] for v in r.values())
    spoke_nbma = {r["local_crypto_endpt"] for r in views[spoke]}
    hub_out = {r["sa_spi_hex"] for r in views[hub] if r["sa_orientation"] == "outbound"
               and r["current_peer"] in spoke_nbma}
    spoke_in = {r["sa_spi_hex"] for r in views[spoke] if r["sa_orientation"] == "inbound"
                and r["current_peer"] == views[hub][0]["local_crypto_endpt"]}
    assert spoke_in and spoke_in <= hub_out
    capture = tmp_path / "hub.txt"
    capture.write_text(texts[hub])
    result = cli("parse", COMMAND, str(capture), "--fields", "ntc", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["records"] == views[hub]
