"""Real SSH + real netmiko against the lab: login, enable, config push, save, errors, pipes."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import paramiko
import pytest
from netmiko.exceptions import ConfigInvalidException, NetmikoAuthenticationException

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
Connect = Callable[..., Any]


def test_netmiko_connects_enables_pushes_and_saves(connect: Connect, design: Design) -> None:
    conn = connect("hub1")
    assert conn.find_prompt() == "hub1>" or conn.find_prompt() == "hub1#"
    conn.enable()
    assert conn.find_prompt() == "hub1#"
    lines = render_config(design, "hub1", reveal_secrets=True).splitlines()
    out = conn.send_config_set(lines, error_pattern=r"% Invalid|% Incomplete|% Ambiguous")
    assert "hub1(config-if)#" in out and "hub1(config-ikev2-keyring-peer)#" in out
    first = conn.send_command("show running-config")
    conn.send_config_set(lines)
    assert _body(conn.send_command("show running-config")) == _body(first)
    assert "[OK]" in conn.save_config()
    assert "interface Tunnel100" in conn.send_command("show startup-config")


def _body(text: str) -> str:
    return text.split("!\nversion", 1)[-1]


def test_invalid_line_is_caught_by_netmiko(connect: Connect) -> None:
    conn = connect("spoke1")
    conn.enable()
    out = conn.send_config_set(["bogus line"])
    assert "% Invalid input detected at '^' marker." in out
    assert "spoke1(config)#bogus line\n               ^\n" in out  # caret under the bad word
    with pytest.raises(ConfigInvalidException):
        conn.send_config_set(["interface Tunnel100", "ip nhrp bogus"], error_pattern=r"% Invalid")


def test_errors_and_abbreviations_in_exec(connect: Connect) -> None:
    conn = connect("spoke2")
    conn.enable()
    assert conn.send_command("sh i") == '% Ambiguous command:  "sh i"'
    assert "% Incomplete command." in conn.send_command("show ip")
    assert "Current configuration" in conn.send_command("sh run")
    assert conn.send_command("sh ver | i uptime").startswith("spoke2 uptime is")
    assert conn.send_command("show privilege") == "Current privilege level is 15"


def test_section_and_include_filters(connect: Connect) -> None:
    conn = connect("spoke3")
    conn.enable()
    conn.send_config_set(["interface Tunnel100", "ip nhrp network-id 100", "description t"])
    section = conn.send_command("show running-config | section Tunnel100")
    assert section.splitlines()[0] == "interface Tunnel100" and " ip nhrp network-id 100" in section
    only = conn.send_command("show run | sec nhrp")
    assert only.splitlines() == ["interface Tunnel100", " ip nhrp network-id 100"]
    assert conn.send_command("sh run | inc ^hostname") == "hostname spoke3"


def test_wrong_password_is_refused(lab: Lab, design: Design) -> None:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    with pytest.raises(paramiko.AuthenticationException):
        client.connect("127.0.0.1", port=lab.port("hub2"), username="admin", password="wrong",
                       look_for_keys=False, allow_agent=False, timeout=5)
    client.close()


def test_wrong_enable_secret_is_refused(connect: Connect, design: Design) -> None:
    conn = connect("hub2", secret="nope")
    conn.send_command("disable", expect_string=r">")
    assert conn.find_prompt() == "hub2>"
    assert "Password:" in conn.send_command("enable", expect_string="Password:")
    for _ in range(2):
        assert "Password:" in conn.send_command("nope", expect_string="Password:", cmd_verify=False)
    assert "% Bad secrets" in conn.send_command("nope", expect_string="hub2>", cmd_verify=False)
    assert conn.find_prompt() == "hub2>"
    conn.secret = design.hosts["hub2"].enable_secret.reveal()
    conn.enable()
    assert conn.find_prompt() == "hub2#"


def test_configure_replace_restores_archive(connect: Connect) -> None:
    conn = connect("spoke1")
    conn.enable()
    conn.send_config_set(["archive", "path flash:archive", "write-memory"])
    conn.send_command("archive config")
    assert "flash:archive-1 <- Most Recent" in conn.send_command("show archive")
    conn.send_config_set(["interface Loopback99", "ip address 10.99.99.1 255.255.255.255"])
    assert "Loopback99" in conn.send_command("show run")
    out = conn.send_command("configure replace flash:archive-1 force")
    assert "Rollback Done" in out
    assert "Loopback99" not in conn.send_command("show run")


def test_copy_to_flash_and_more(connect: Connect) -> None:
    conn = connect("spoke4")
    conn.enable()
    out = conn.send_command("copy running-config flash:backup.cfg", expect_string=r"\]\?")
    assert "Destination filename [backup.cfg]?" in out
    assert "bytes copied" in conn.send_command("", expect_string="spoke4#", cmd_verify=False)
    assert "backup.cfg" in conn.send_command("dir flash:")
    assert "hostname spoke4" in conn.send_command("more flash:backup.cfg")


def test_reload_reverts_to_startup(lab: Lab, connect: Connect) -> None:
    conn = connect("spoke2")
    conn.enable()
    conn.send_config_set(["interface Loopback77", "ip address 10.77.0.1 255.255.255.255"])
    out = conn.send_command("reload", expect_string=r"\[yes/no\]:")
    assert "System configuration has been modified. Save? [yes/no]:" in out
    assert "Proceed with reload? [confirm]" in conn.send_command("no", expect_string=r"\[confirm\]")
    conn.write_channel("\n")
    conn2 = _reconnect(connect, "spoke2")
    assert "Loopback77" not in conn2.send_command("show running-config")


def _reconnect(connect: Connect, host: str) -> Any:
    import time
    for _ in range(50):
        try:
            conn = connect(host)
            conn.enable()
            return conn
        except Exception:
            time.sleep(0.1)
    raise AssertionError("router did not come back")


def test_revert_timer_rolls_back_unless_confirmed(lab: Lab, connect: Connect) -> None:
    conn = connect("hub1")
    conn.enable()
    conn.send_config_set(["interface Loopback55", "ip address 10.55.0.1 255.255.255.255"],
                         config_mode_command="configure terminal revert timer 5")
    assert "Loopback55" in conn.send_command("show run | i Loopback")
    lab.advance(301)
    assert "Loopback55" not in conn.send_command("show run | i Loopback")
    conn.send_config_set(["interface Loopback56"], config_mode_command="configure terminal revert timer 5")
    conn.send_command("configure confirm")
    lab.advance(600)
    assert "Loopback56" in conn.send_command("show run | i Loopback")


def test_login_failure_raises_netmiko_auth_error(connect: Connect) -> None:
    with pytest.raises(NetmikoAuthenticationException):
        connect("spoke1", password="bad")
