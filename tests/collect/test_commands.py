"""The show-command table: each role/crypto/routing combination asks what it needs, nothing more."""
from __future__ import annotations

from pathlib import Path

import pytest

from dmvpn_ops.collect.collect import HostCollection, classify_error, command_filename, save_raw
from dmvpn_ops.collect.commands import COMMAND_TABLE, commands_for
from dmvpn_ops.intent import load_design
from dmvpn_ops.parse import SUPPORTED_COMMANDS

ROOT = Path(__file__).resolve().parents[2]


def test_every_command_is_parseable():
    assert {row.command for row in COMMAND_TABLE} <= set(SUPPORTED_COMMANDS)


def test_demo_hub_and_spoke_commands():
    design = load_design(ROOT / "inventory")
    hub, spoke = commands_for(design.hosts["hub1"]), commands_for(design.hosts["spoke1"])
    assert "show ip nhrp nhs" not in hub and "show ip nhrp nhs" in spoke
    for cmds in (hub, spoke):
        assert "show crypto ikev2 sa" in cmds and "show crypto isakmp sa" not in cmds
        assert "show ip eigrp neighbors" in cmds and "show ip bgp summary" not in cmds


@pytest.mark.parametrize("example,ike,routing", [
    ("ikev1-phase2-ospf", "show crypto isakmp sa", "show ip ospf neighbor"),
    ("phase3-bgp-dual-cloud", "show crypto ikev2 sa", "show ip bgp summary"),
])
def test_examples_pick_crypto_and_routing(example, ike, routing):
    design = load_design(ROOT / "inventory" / "examples" / example)
    for host in design.hosts.values():
        cmds = commands_for(host)
        assert ike in cmds and routing in cmds and len(cmds) == len(set(cmds))


def test_full_mode_rows_only_when_asked():
    design = load_design(ROOT / "inventory")
    full_only = [row.command for row in COMMAND_TABLE if row.full_only]
    assert full_only == ["show ip nhrp traffic", "show crypto ikev2 sa detail", "show crypto isakmp sa detail"]
    for host in design.hosts.values():
        fast, full = commands_for(host), commands_for(host, full=True)
        assert not set(full_only) & set(fast)
        assert full == fast + full_only[:2]                 # the fast set first, unchanged; IKEv2 only
    v1 = load_design(ROOT / "inventory" / "examples" / "ikev1-phase2-ospf")
    full = commands_for(next(iter(v1.hosts.values())), full=True)
    assert "show crypto ikev2 sa detail" not in full and "show crypto isakmp sa detail" in full


def test_classify_errors():
    from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout
    assert classify_error(NetmikoAuthenticationException("Authentication to device failed.")) == "auth"
    assert classify_error(ReadTimeout("Pattern not detected")) == "unresponsive"  # logged in, no prompt
    assert classify_error(EOFError()) == "dropped"
    assert classify_error(NetmikoTimeoutException("TCP connection to device failed.")) == "unreachable"
    assert classify_error(ConnectionRefusedError(111, "Connection refused")) == "unreachable"


def test_save_raw_writes_files_parse_can_read(tmp_path):
    coll = HostCollection("hub1", ["show dmvpn"], outputs={"show dmvpn": "text"})
    written = save_raw([coll], tmp_path)
    assert written == [tmp_path / "hub1" / command_filename("show dmvpn")]
    assert written[0].name == "show_dmvpn.txt" and written[0].read_text() == "text"
