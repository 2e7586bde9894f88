"""`show logging` fidelity against real IOS-XE captures: NAT-T ports, no NHS line for a static hub-to-hub map,
each spoke's NHRP and socket lines together on the hub (the emulator's eventlog cites each capture)."""
from __future__ import annotations

import calendar
import re
import time
from collections.abc import Callable
from typing import Any

import pytest

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
LINE = re.compile(r"^\*(\w{3} [ \d]\d \d\d:\d\d:\d\d)\.\d{3}: (%[A-Z0-9_]+-\d-[A-Z0-9_]+): (.*)$")
SPOKES = {"172.16.100.11": "203.0.113.11", "172.16.100.12": "203.0.113.12", "172.16.100.13": "203.0.113.13",
          "172.16.100.14": "192.0.2.44"}   # spoke tunnel address -> the NBMA the hub sees (spoke4 behind NAT)
PEERS = {"172.16.100.2": "198.51.100.2", **SPOKES}   # hub1's socket peers: hub2 (static map) and the spokes
SOCKET = ["%CRYPTO-5-IKEV2_SESSION_STATUS", "%DMVPN-5-CRYPTO_SS"]


def _log(text: str) -> list[tuple[float, str, str]]:
    """(second, tag, text) of every stamped line of a `show logging`, in buffer order."""
    out = []
    for line in text.split("Log Buffer (8192 bytes):", 1)[1].splitlines():
        got = LINE.match(line)
        if got:
            when = calendar.timegm(time.strptime(f"{time.gmtime().tm_year} {got.group(1)}", "%Y %b %d %H:%M:%S"))
            out.append((when, got.group(2), got.group(3)))
    return out


def _up(lab: Lab, design: Design) -> None:
    lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
    lab.advance(60)


def test_natted_spoke_ike_on_4500_and_no_nhs_line_for_the_hubs_static_map(
        lab: Lab, design: Design, connect: Callable[..., Any]) -> None:
    """spoke4 is behind NAT: IKEv2 floats to UDP 4500 (RFC 7296 2.23), so its IKEV2_SESSION_STATUS lines,
    `show crypto ikev2 sa` and `show crypto session` say 4500 on both ends, the other spokes 500. The hubs map
    each other with a static `ip nhrp map` (no NHS): no NHS/NHC line between them, no `NBMA: 0.0.0.0`, but
    their socket (in `show crypto session`) is logged like any other."""
    _up(lab, design)
    hub, spoke4 = connect("hub1"), connect("spoke4")
    hub_log = _log(hub.send_command("show logging"))
    v2 = {t.split("Peer ", 1)[1].split()[0] for _, tag, t in hub_log if tag == "%CRYPTO-5-IKEV2_SESSION_STATUS"}
    assert v2 == {"192.0.2.44:4500", "203.0.113.11:500", "203.0.113.12:500", "203.0.113.13:500", "198.51.100.2:500"}
    mine = [t for _, tag, t in _log(spoke4.send_command("show logging")) if tag == "%CRYPTO-5-IKEV2_SESSION_STATUS"]
    assert mine and all(":4500 " in t for t in mine)
    assert {t.split("Peer ", 1)[1].split(":")[0] for t in mine} == {"198.51.100.1", "198.51.100.2"}
    rows = [ln.split() for ln in hub.send_command("show crypto ikev2 sa").splitlines() if ln[:1].isdigit()]
    ends = {remote: local for _, local, remote, *_ in rows}
    assert ends["192.0.2.44/4500"] == "198.51.100.1/4500" and ends["203.0.113.11/500"] == "198.51.100.1/500"
    session = spoke4.send_command("show crypto session")
    assert "Peer: 198.51.100.1 port 4500" in session and " port 500" not in session
    for name in ("hub1", "hub2"):
        text = lab.run(name, "show logging")
        assert "%DMVPN-5-NHRP_NHS" not in text and "NBMA: 0.0.0.0" not in text
        clients = {t.split("(Tunnel: ", 1)[1].split()[0] for _, tag, t in _log(text) if tag == "%DMVPN-5-NHRP_NHC_UP"}
        assert clients == set(SPOKES)                         # the spokes only, not the other hub
    nhs = [t for _, tag, t in _log(lab.run("spoke1", "show logging")) if tag == "%DMVPN-5-NHRP_NHS_UP"]
    assert sorted(t.split(" for ")[0].split(": ", 1)[1] for t in nhs) == [
        "Next Hop Server : (Tunnel: 172.16.100.1 NBMA: 198.51.100.1)",
        "Next Hop Server : (Tunnel: 172.16.100.2 NBMA: 198.51.100.2)"]


def _peer(tag: str, text: str) -> str:
    """The spoke a hub's NHC or socket line is about (its tunnel address)."""
    if tag.startswith("%DMVPN-5-NHRP_NHC"):
        return text.split("(Tunnel: ", 1)[1].split()[0]
    nbma = (text.split("remote address : ")[1].split()[0] if "remote address" in text
            else text.split("Peer ", 1)[1].split(":")[0])
    return next(ip for ip, public in PEERS.items() if nbma == public)


def test_hub_tunnel_shut_logs_each_spoke_nhc_then_its_socket(
        lab: Lab, design: Design, connect: Callable[..., Any]) -> None:
    """The hub shuts its tunnel over netmiko: at that instant each spoke's NHRP_NHC_DOWN comes with its own
    socket lines right after it, spoke after spoke (real IOS-XE hub capture, tunnel shut); re-opened, each
    spoke's socket comes up before its NHC_UP. The socket to hub2 (static map, no NHC line) drops and comes
    back with them, in tunnel-address order."""
    _up(lab, design)
    hub = connect("hub1")
    hub.enable()
    start = lab.core.clock.now()
    hub.send_config_set(["interface Tunnel100", "shutdown"])
    lab.advance(30)
    hub.send_config_set(["interface Tunnel100", "no shutdown"])
    lab.advance(120)
    lines = [(w, tag, t) for w, tag, t in _log(hub.send_command("show logging")) if w >= int(start)
             and (tag.startswith("%DMVPN-5-NHRP_NHC") or tag in ("%DMVPN-5-CRYPTO_SS", "%CRYPTO-5-IKEV2_SESSION_STATUS"))]
    down = [(tag, _peer(tag, t)) for _, tag, t in lines if "DOWN" in t]
    assert down == [(tag, ip) for ip in sorted(PEERS, key=lambda a: int(a.split(".")[-1]))
                    for tag in (SOCKET if ip not in SPOKES else ["%DMVPN-5-NHRP_NHC_DOWN", *SOCKET])]
    up = [(tag, _peer(tag, t)) for _, tag, t in lines if "DOWN" not in t]
    assert sorted(ip for tag, ip in up if tag == "%DMVPN-5-NHRP_NHC_UP") == sorted(SPOKES)
    for ip in PEERS:
        mine = [tag for tag, peer in up if peer == ip]
        assert mine == (SOCKET if ip not in SPOKES else [*SOCKET, "%DMVPN-5-NHRP_NHC_UP"])


def _reconnect(connect: Callable[..., Any], host: str) -> Any:
    for _ in range(50):
        try:
            conn = connect(host)
            conn.enable()
            return conn
        except Exception:
            time.sleep(0.1)
    raise AssertionError(f"{host} did not come back after reload")


def test_config_mode_logs_who_from_where_and_reload_restarts_the_buffer(
        lab: Lab, design: Design, connect: Callable[..., Any]) -> None:
    """Leaving config mode over SSH logs `%SYS-5-CONFIG_I: Configured from console by <user> on vty<N> (<ip>)`
    (a second session is vty1; the Lab API, no vty, logs nothing). `reload` empties the buffer: it starts
    again with the boot lines (`Configured from memory by console`, `%SYS-5-RESTART` with the image banner of
    `show version`), then the tunnel coming back; ntc-templates and Genie read it; the hub saw the spoke go."""
    from genie.conf.base import Device
    from ntc_templates.parse import parse_output
    _up(lab, design)
    user = design.hosts["spoke2"].username
    first, second = connect("spoke2"), connect("spoke2")
    for conn in (first, second):
        conn.enable()
    start = lab.core.clock.now()
    first.send_config_set(["interface Loopback77", "ip address 10.77.0.1 255.255.255.255"])
    second.send_config_set(["interface Loopback77", "description seen"])
    lab.configure("spoke2", "interface Loopback78\n ip address 10.78.0.1 255.255.255.255\n")
    text = first.send_command("show logging")
    config_i = [t for w, tag, t in _log(text) if tag == "%SYS-5-CONFIG_I" and w >= int(start)]
    assert config_i == [f"Configured from console by {user} on vty0 (127.0.0.1)",
                        f"Configured from console by {user} on vty1 (127.0.0.1)"]
    banner = first.send_command("show version").splitlines()[1:5]
    second.disconnect()
    first.save_config()
    reload_at = lab.core.clock.now()
    assert "Proceed with reload? [confirm]" in first.send_command_timing("reload")
    first.write_channel("\n")
    again = _reconnect(connect, "spoke2")
    lab.advance(30)
    text = again.send_command("show logging")
    body = text.split("Log Buffer (8192 bytes):", 1)[1].strip().splitlines()
    lines = _log(text)
    assert lines and min(w for w, _, _ in lines) >= int(reload_at)          # nothing from before the reload
    tags = [tag for _, tag, _ in lines]
    boot = tags.index("%SYS-5-RESTART")
    assert tags[boot - 1] == "%SYS-5-CONFIG_I" and lines[boot - 1][2] == "Configured from memory by console"
    assert lines[boot][2] == "System restarted --"
    at = next(n for n, ln in enumerate(body) if "%SYS-5-RESTART" in ln)
    assert body[at + 1:at + 5] == banner                                    # the image banner, line for line
    assert {"%LINK-3-UPDOWN", "%LINEPROTO-5-UPDOWN"} <= set(tags[:boot])     # interfaces' first states before
    assert tags[boot + 1:].count("%DMVPN-5-NHRP_NHS_UP") == 2               # the tunnel comes back after
    assert not any("on vty" in t for _, _, t in lines)
    ntc = parse_output(platform="cisco_ios", command="show logging", data=text)
    assert [r["mnemonic"] for r in ntc] == [tag.rsplit("-", 1)[1] for tag in tags]
    device = Device("spoke2", os="iosxe")
    device.custom.setdefault("abstraction", {})["order"] = ["os"]
    assert len(device.parse("show logging", output=text)["logs"]) >= len(lines)
    hub = [(tag, w) for w, tag, t in _log(lab.run("hub1", "show logging"))
           if tag.startswith("%DMVPN-5-NHRP_NHC") and "172.16.100.12 " in t and w >= int(reload_at)]
    assert [tag for tag, _ in hub] == ["%DMVPN-5-NHRP_NHC_DOWN", "%DMVPN-5-NHRP_NHC_UP"]


def test_power_cycle_starts_the_buffer_with_the_boot_lines(lab: Lab, design: Design) -> None:
    """lab fault hub-down then clear is a power cycle: hub2's buffer restarts with its interfaces' states,
    `Configured from memory by console`, `%SYS-5-RESTART`, then its sockets and spokes coming back."""
    _up(lab, design)
    lab.fault("hub-down", "hub2")
    lab.advance(60)
    lab.clear("hub2")
    on = lab.core.clock.now()
    lab.advance(60)
    lines = _log(lab.run("hub2", "show logging"))
    assert min(w for w, _, _ in lines) >= int(on)
    tags = [tag for _, tag, _ in lines]
    assert tags.count("%SYS-5-RESTART") == 1 and tags.count("%SYS-5-CONFIG_I") == 1
    boot = tags.index("%SYS-5-RESTART")
    assert tags[boot - 1] == "%SYS-5-CONFIG_I" and set(tags[:boot - 1]) <= {"%LINK-3-UPDOWN", "%LINEPROTO-5-UPDOWN",
                                                                          "%LINK-5-UPDOWN", "%LINK-5-CHANGED"}
    assert tags[boot + 1:].count("%DMVPN-5-NHRP_NHC_UP") == len(SPOKES)
