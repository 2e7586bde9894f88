"""scrapli (2.x, the `cisco_iosxe` definition) unchanged against the lab, over both of its SSH transports:
the system OpenSSH binary (`bin`) and libssh2 (`ssh2`)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from scrapli import AuthOptions, Cli, LookupKeyValue, TransportBinOptions, TransportSsh2Options

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
TRANSPORTS = {"bin": lambda: TransportBinOptions(enable_strict_key=False, known_hosts_path="/dev/null"),
              "ssh2": TransportSsh2Options}


@pytest.fixture(scope="module")
def slab(design: Design) -> Iterator[Lab]:
    with Lab(design, ports="free") as running:
        running.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
        running.advance(60)
        yield running


def _cli(slab: Lab, design: Design, host: str, transport: str) -> Any:
    spec = design.hosts[host]
    assert spec.password is not None and spec.enable_secret is not None
    cli = Cli("127.0.0.1", port=slab.port(host), definition_file_or_name="cisco_iosxe",
              auth_options=AuthOptions(username=spec.username, password=spec.password.reveal(),
                                       lookups=[LookupKeyValue(key="enable", value=spec.enable_secret.reveal())]),
              transport_options=TRANSPORTS[transport]())
    cli.open()
    return cli


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
def test_show_commands_and_textfsm(slab: Lab, design: Design, transport: str) -> None:
    cli = _cli(slab, design, "hub1", transport)
    try:
        assert cli.send_input("show version").result.startswith("Cisco IOS XE Software")
        both = cli.send_inputs(["show ip interface brief", "show dmvpn"])
        assert not both.failed and len(both.results) == 2
        rows = cli.send_input("show ip interface brief").textfsm_parse()
        assert {r["interface"] for r in rows} >= {"Tunnel100", "Loopback1"}
        assert "Type:Hub" in both.results[1]
    finally:
        cli.close()


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
def test_configuration_mode_and_failed_input(slab: Lab, design: Design, transport: str) -> None:
    cli = _cli(slab, design, "spoke1", transport)
    try:
        changed = cli.send_inputs(["interface Loopback61", f"description via scrapli {transport}"],
                                  requested_mode="configuration")
        assert not changed.failed
        bad = cli.send_input("ip nhrp nonsense", requested_mode="configuration")
        assert bad.failed and "% Invalid input detected" in bad.result
    finally:
        cli.close()
    assert f"description via scrapli {transport}" in slab.running_config("spoke1")
