"""`show running-config` as an IOS-XE router prints it: defaults hidden or shown, canonical line order, "!"
separators and the comment head (sources in dmvpn_ops/lab/nvgen.py and dmvpn_ops/lab/config.py)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.clock import LabClock
from dmvpn_ops.lab.cloud.configview import parse_router
from dmvpn_ops.lab.editor import ConfigEditor
from dmvpn_ops.lab.router import Router, load_text


def _router() -> Router:
    return Router("r1", "hostname r1\n", LabClock())


def _type(router: Router, *lines: str) -> None:
    editor = ConfigEditor(router.running)
    for line in lines:
        out = editor.feed(line)
        assert out.error is None and (out.changed or not out.message), (line, out)   # notices are fine


def _block(router: Router, header: str) -> list[str]:
    lines = router.body().splitlines()
    start = lines.index(header)
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    return lines[start:end]


def lines_of(router: Router) -> list[str]:
    return router.body().splitlines()


def test_tunnel_mode_gre_ip_is_the_hidden_default_and_no_tunnel_mode_returns_to_it() -> None:
    router = _router()
    _type(router, "interface Tunnel5", "ip address 10.9.9.1 255.255.255.0", "tunnel source GigabitEthernet1",
          "tunnel destination 192.0.2.9", "tunnel mode gre multipoint")
    assert " tunnel mode gre multipoint" in _block(router, "interface Tunnel5")
    _type(router, "interface Tunnel5", "tunnel mode gre ip")
    assert not [ln for ln in _block(router, "interface Tunnel5") if "tunnel mode" in ln]
    tunnel = parse_router(router.body(clear=True)).interfaces["Tunnel5"]
    assert tunnel.mode_mgre is False and tunnel.destination is not None
    _type(router, "interface Tunnel5", "tunnel mode ipsec ipv4")
    assert " tunnel mode ipsec ipv4" in _block(router, "interface Tunnel5")
    _type(router, "interface Tunnel5", "no tunnel mode")
    assert not [ln for ln in _block(router, "interface Tunnel5") if "tunnel mode" in ln]


def test_typed_defaults_leave_nothing_and_replace_the_non_default_value() -> None:
    router = _router()
    _type(router, "interface Tunnel1", "ip address 10.0.0.1 255.255.255.0", "ip nhrp holdtime 300",
          "ip ospf priority 0", "exit",
          "crypto isakmp policy 10", "encryption aes 256", "hash sha256", "group 14", "lifetime 3600",
          "authentication pre-share", "exit",
          "crypto ikev2 profile P", "match identity remote address 0.0.0.0", "lifetime 600", "exit")
    assert {" ip nhrp holdtime 300", " ip ospf priority 0"} <= set(_block(router, "interface Tunnel1"))
    assert _block(router, "crypto isakmp policy 10") == [
        "crypto isakmp policy 10", " encr aes 256", " hash sha256", " authentication pre-share", " group 14",
        " lifetime 3600"]
    _type(router, "interface Tunnel1", "ip nhrp holdtime 7200", "ip ospf priority 1", "exit",
          "crypto isakmp policy 10", "hash sha", "group 1", "lifetime 86400", "exit",
          "crypto ikev2 profile P", "lifetime 86400")
    assert _block(router, "interface Tunnel1") == ["interface Tunnel1", " ip address 10.0.0.1 255.255.255.0"]
    assert _block(router, "crypto isakmp policy 10") == [
        "crypto isakmp policy 10", " encr aes 256", " authentication pre-share"]
    assert " lifetime" not in "\n".join(_block(router, "crypto ikev2 profile P"))


def test_defaults_ios_prints_although_nobody_typed_them() -> None:
    router = _router()
    _type(router, "crypto ipsec transform-set T esp-aes 256 esp-sha-hmac", "exit",
          "crypto ipsec transform-set U esp-aes 256 esp-sha-hmac", "mode transport", "exit",
          "interface GigabitEthernet2", "ip address 10.1.0.1 255.255.255.0", "exit",
          "interface Loopback3", "description spare", "exit",
          "vrf definition RED", "address-family ipv4", "exit-address-family", "exit",
          "interface GigabitEthernet3", "ip address 10.3.0.1 255.255.255.0", "exit",
          "interface GigabitEthernet2.100", "description sub", "exit")
    assert _block(router, "crypto ipsec transform-set T esp-aes 256 esp-sha-hmac ")[1:] == [" mode tunnel"]
    assert _block(router, "crypto ipsec transform-set U esp-aes 256 esp-sha-hmac ")[1:] == [" mode transport"]
    assert _block(router, "interface GigabitEthernet2")[1:] == [" ip address 10.1.0.1 255.255.255.0",
                                                                 " negotiation auto"]
    assert _block(router, "interface Loopback3")[1:] == [" description spare", " no ip address"]
    assert _block(router, "interface GigabitEthernet2.100")[1:] == [" description sub", " no ip address"]
    editor = ConfigEditor(router.running)
    editor.feed("interface GigabitEthernet3")
    assert "removed" in editor.feed("vrf forwarding RED").message   # IOS drops the address and says so
    assert _block(router, "interface GigabitEthernet3")[1:] == [" vrf forwarding RED", " no ip address",
                                                                 " negotiation auto"]
    again = _router()
    assert load_text(again.running, router.running_config()) == []   # what IOS prints, IOS accepts back
    assert again.body() == router.body()


def test_interface_lines_come_out_in_ios_order_whatever_order_they_were_typed_in() -> None:
    router = _router()
    _type(router, "interface Tunnel100", "tunnel key 100",
          "tunnel destination 192.0.2.1", "tunnel mode gre multipoint", "tunnel source GigabitEthernet1",
          "ip tcp adjust-mss 1360", "ip nhrp redirect", "ip nhrp holdtime 300", "ip nhrp network-id 100",
          "ip nhrp map multicast dynamic", "ip nhrp authentication k3y", "no ip split-horizon eigrp 100",
          "ip mtu 1400", "no ip redirects", "ip address 172.16.100.1 255.255.255.0", "description hub")
    assert _block(router, "interface Tunnel100")[1:] == [
        " description hub", " ip address 172.16.100.1 255.255.255.0", " no ip redirects", " ip mtu 1400",
        " no ip split-horizon eigrp 100", " ip nhrp authentication k3y", " ip nhrp map multicast dynamic",
        " ip nhrp network-id 100", " ip nhrp holdtime 300", " ip nhrp redirect", " ip tcp adjust-mss 1360",
        " tunnel source GigabitEthernet1", " tunnel mode gre multipoint", " tunnel destination 192.0.2.1",
        " tunnel key 100"]


def test_crypto_blocks_in_ios_order_and_separators() -> None:
    router = _router()
    _type(router, "crypto ikev2 keyring KR", "peer ANY", "pre-shared-key s3cret", "address 0.0.0.0 0.0.0.0",
          "exit", "exit",
          "crypto ikev2 profile P", "dpd 10 3 on-demand", "keyring local KR", "authentication local pre-share",
          "authentication remote pre-share", "match identity remote address 0.0.0.0", "match fvrf any", "exit",
          "crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac", "mode transport", "exit",
          "crypto ipsec profile IP", "set ikev2-profile P", "set transform-set TS", "exit",
          "crypto isakmp policy 10", "group 14", "authentication pre-share", "encryption aes", "exit",
          "crypto isakmp key k3y address 0.0.0.0", "line vty 0 4", "login local")
    assert _block(router, "crypto ikev2 profile P")[1:] == [
        " match fvrf any", " match identity remote address 0.0.0.0 ", " authentication remote pre-share",
        " authentication local pre-share", " keyring local KR", " dpd 10 3 on-demand"]
    assert _block(router, "crypto ipsec profile IP")[1:] == [" set transform-set TS ", " set ikev2-profile P"]
    assert "crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac " in lines_of(router)   # IOS's trailing
    assert "crypto ikev2 keyring KR" in lines_of(router)                                  # space, not here
    lines = router.body().splitlines()
    policy = lines.index("crypto isakmp policy 10")
    assert lines[policy:policy + 5] == ["crypto isakmp policy 10", " encr aes", " authentication pre-share",
                                        " group 14", "crypto isakmp key k3y address 0.0.0.0"]
    keyring = lines.index("crypto ikev2 keyring KR")
    assert lines[keyring:keyring + 6] == ["crypto ikev2 keyring KR", " peer ANY", "  address 0.0.0.0 0.0.0.0",
                                          "  pre-shared-key s3cret", " !", "!"]
    con = lines.index("line con 0")
    assert lines[con:con + 5] == ["line con 0", " stopbits 1", "line vty 0 4", " login local", "!"]


def test_head_names_the_last_change_and_the_last_write_to_nvram() -> None:
    clock = LabClock()
    router = Router("r1", "hostname r1\n", clock)
    head = router.running_config().split("\n")[3:7]                 # booted from the bootstrap in NVRAM
    assert head[1] == "! No configuration change since last restart" and head[3] == "!"
    assert head[2].startswith("! NVRAM config last updated at ") and " by " not in head[2]
    assert router.startup.split("\n")[:4] == head and "\nhostname r1\n" in router.startup
    _type(router, "ip route 10.9.0.0 255.255.0.0 Null0")
    router.changed("alice")
    clock.advance(5)
    router.save("bob")
    head = router.running_config().split("\n")[3:7]
    assert head[0] == "!" and head[3] == "!"
    assert head[1].startswith("! Last configuration change at ") and head[1].endswith(" by alice")
    assert head[2].startswith("! NVRAM config last updated at ") and head[2].endswith(" by bob")
    assert router.startup.split("\n")[:4] == head                     # show startup-config carries it
    router.boot()
    head = router.running_config().split("\n")[3:7]
    assert head[1] == "! No configuration change since last restart" and head[2].endswith(" by bob")
    assert "ip route 10.9.0.0 255.255.0.0 Null0" in router.body()


@pytest.mark.lab
def test_pipes_and_interface_view_over_ssh(connect: Callable[..., Any], design: Design) -> None:
    """Over netmiko: `| section`, `| include`, `show running-config interface X` read the same layout."""
    conn = connect("hub1")
    conn.send_config_set(["crypto isakmp policy 20", "authentication pre-share", "hash sha",
                          "crypto isakmp key k3y address 192.0.2.7", "interface Tunnel9",
                          "tunnel mode gre multipoint", "tunnel mode gre ip", "ip address 10.99.0.1 255.255.255.0"])
    section = conn.send_command("show running-config | section crypto isakmp")
    assert section.splitlines() == ["crypto isakmp policy 20", " authentication pre-share",
                                    "crypto isakmp key k3y address 192.0.2.7"]
    assert conn.send_command("show running-config | include tunnel mode gre ip").strip() == ""
    view = conn.send_command("show running-config interface Tunnel9").splitlines()
    assert view[-4:] == ["!", "interface Tunnel9", " ip address 10.99.0.1 255.255.255.0", "end"]
    conn.save_config()
    running = conn.send_command("show running-config").splitlines()
    assert any(ln.startswith("! NVRAM config last updated at ") and ln.endswith("by admin") for ln in running)


def test_global_sections_in_ios_order_whatever_order_they_were_typed_in() -> None:
    router = _router()
    _type(router, "logging host 192.0.2.50", "ip route 10.9.0.0 255.255.0.0 Null0", "crypto isakmp keepalive 10 3",
          "crypto isakmp policy 10", "authentication pre-share", "exit", "ip ssh version 2",
          "username ops privilege 15 secret 0 s3cret", "archive", "path flash:archive", "exit",
          "crypto ikev2 proposal PROP", "encryption aes-cbc-256", "integrity sha256", "group 14", "exit",
          "crypto ikev2 policy POL", "proposal PROP", "exit",
          "logging buffered 64000", "vrf definition RED", "rd 1:1", "exit")
    lines = lines_of(router)
    heads = [ln for ln in lines if ln.split(" ")[0] in ("hostname", "vrf", "logging", "archive", "username", "ip",
                                                        "crypto", "line")]
    order = [next(i for i, ln in enumerate(heads) if ln.startswith(p)) for p in (
        "hostname", "vrf definition RED", "logging buffered", "archive", "username ops", "ip ssh version 2",
        "crypto isakmp policy 10", "crypto isakmp keepalive", "crypto ikev2 proposal PROP ",
        "crypto ikev2 policy POL ", "ip forward-protocol", "ip http server", "ip route 10.9.0.0",
        "logging host 192.0.2.50", "line con 0")]
    assert order == sorted(order), heads
    policy = lines.index("crypto isakmp policy 10")
    assert lines[policy:policy + 4] == ["crypto isakmp policy 10", " authentication pre-share", "!",
                                        "crypto isakmp keepalive 10 3"]
    route = lines.index("ip route 10.9.0.0 255.255.0.0 Null0")
    assert lines[route - 1] == "ip http secure-server"          # same section: no "!" between them


def test_clear_username_password_is_printed_with_type_0_and_still_logs_in() -> None:
    router = _router()
    _type(router, "username bob password cisco", "enable password en1", "line vty 0 4", "password linepw",
          "login local")
    body = router.body()
    assert "username bob password 0 cisco" in lines_of(router)
    assert "enable password en1" in lines_of(router) and " password linepw" in lines_of(router)
    assert "password 0 en1" not in body and "password 0 linepw" not in body
    assert router.check_login("bob", "cisco") and not router.check_login("bob", "0")
    again = _router()
    assert load_text(again.running, router.running_config()) == [] and again.body() == body


def test_byte_count_is_ios_s_one_more_than_the_text() -> None:
    """Real captures count one byte more than the text from "!" to "end" (277 for 276 characters)."""
    router = _router()
    out = router.running_config()
    text = out.split("\n", 3)[3]
    assert out.split("\n")[2] == f"Current configuration : {len(text) + 1} bytes" and text.startswith("!\n")
    assert text.endswith("\nend\n")
