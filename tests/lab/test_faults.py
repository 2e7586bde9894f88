"""SSH-level faults (slow, ssh-drop, refuse-login, hub-down) and the emulated clock, over real SSH."""
from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any

import pytest
from netmiko.exceptions import NetmikoAuthenticationException

from dmvpn_ops.errors import LabError
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
Connect = Callable[..., Any]


def test_slow_delays_every_reply(lab: Lab, connect: Connect) -> None:
    conn = connect("spoke1")
    lab.fault("slow", "spoke1", 0.4)
    start = time.monotonic()
    assert "UTC" in conn.send_command("show clock", read_timeout=10)
    assert time.monotonic() - start >= 0.4
    lab.clear("spoke1")
    start = time.monotonic()
    conn.send_command("show clock")
    assert time.monotonic() - start < 0.4


def test_ssh_drop_cuts_the_next_command_then_disarms(lab: Lab, connect: Connect) -> None:
    conn = connect("spoke2")
    lab.fault("ssh-drop", "spoke2")
    with pytest.raises(Exception):  # noqa: B017 - netmiko raises OSError/EOFError/ReadTimeout
        conn.send_command("show running-config", read_timeout=5)
    assert "hostname spoke2" in connect("spoke2").send_command("show running-config")


def test_ssh_drop_during_a_config_push(lab: Lab, connect: Connect) -> None:
    conn = connect("spoke3", read_timeout_override=2)
    conn.enable()
    lab.fault("ssh-drop", "spoke3")
    with pytest.raises(Exception):  # noqa: B017
        conn.send_config_set(["interface Loopback9", "description cut"], read_timeout=5)


def test_refuse_login_until_cleared(lab: Lab, connect: Connect) -> None:
    lab.fault("refuse-login", "hub2")
    with pytest.raises(NetmikoAuthenticationException):
        connect("hub2")
    lab.clear()
    assert connect("hub2").find_prompt() == "hub2#"


def test_hub_down_refuses_tcp_connections(lab: Lab, connect: Connect) -> None:
    conn = connect("hub1")
    port = lab.port("hub1")
    lab.fault("hub-down", "hub1")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    with pytest.raises(Exception):  # noqa: B017 - the open session was cut too
        conn.send_command("show clock", read_timeout=3)
    lab.clear("hub1")
    assert connect("hub1").find_prompt() == "hub1#"


def test_unknown_fault_or_host_is_a_lab_error(lab: Lab) -> None:
    with pytest.raises(LabError, match="unknown fault"):
        lab.fault("meteor", "hub1")
    with pytest.raises(LabError, match="unknown host"):
        lab.fault("slow", "nope")


def test_clock_advance_moves_uptime(lab: Lab, connect: Connect) -> None:
    conn = connect("spoke4")
    lab.advance(2 * 86400 + 3 * 3600)
    assert "spoke4 uptime is 2 days, 3 hours" in conn.send_command("show version")


def test_fault_then_advance_ages_the_hub_entry_out(lab: Lab, design: Design) -> None:
    lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
    assert "172.16.100.11" in lab.run("hub1", "show dmvpn")
    lab.fault("link-loss", "spoke1")
    lab.advance(400)
    assert "172.16.100.11" not in lab.run("hub1", "show dmvpn")


def test_ssh_drop_after_n_lines_lands_mid_push(lab: Lab, connect: Connect) -> None:
    conn = connect("spoke3", read_timeout_override=2)
    conn.enable()
    lab.fault("ssh-drop", "spoke3", 4)            # configure terminal + 2 lines applied, the 4th is cut
    lines = [f"interface Loopback{90 + n}" for n in range(8)]
    with pytest.raises(Exception):  # noqa: B017 - netmiko raises OSError/EOFError/ReadTimeout
        conn.send_config_set(lines, read_timeout=5)
    running = lab.running_config("spoke3")
    applied = [line for line in lines if line in running]
    assert 1 <= len(applied) < len(lines), applied
    assert connect("spoke3").find_prompt() == "spoke3#"   # one-shot: the next session works
