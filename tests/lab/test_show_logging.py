"""`show logging`: the syslog buffer fills as things happen in the cloud model, stamped by the lab clock."""
from __future__ import annotations

import calendar
import os
import re
import time
from pathlib import Path

import pytest

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
STAMP = re.compile(r"^\*(\w{3} [ \d]\d \d\d:\d\d:\d\d)\.\d{3}: (%\S+): (.*)$")


def _messages(lab: Lab, host: str) -> list[tuple[float, str, str]]:
    out = []
    for line in lab.run(host, "show logging").split("Log Buffer (8192 bytes):", 1)[1].splitlines():
        got = STAMP.match(line)
        if got:
            year = time.gmtime().tm_year
            when = calendar.timegm(time.strptime(f"{year} {got.group(1)}", "%Y %b %d %H:%M:%S"))
            out.append((when, got.group(2), got.group(3)))
    return out


def test_hub_outage_is_logged_down_then_up(design: Design) -> None:
    with Lab(design, ports="free") as lab:
        lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
        lab.advance(60)
        first = _messages(lab, "spoke1")
        assert any(tag == "%DMVPN-5-NHRP_NHS_UP" for _, tag, _ in first)
        assert any(tag == "%LINEPROTO-5-UPDOWN" and text.endswith("Tunnel100, changed state to up")
                   for _, tag, text in first)
        lab.fault("hub-down", "hub1")
        lab.advance(900)        # the spoke's registrations to hub1 time out
        lab.clear("hub1")
        lab.advance(900)
        later = _messages(lab, "spoke1")
        hub1 = [(when, tag) for when, tag, text in later if "Tunnel: 172.16.100.1 " in text]
        tags = [tag for _, tag in hub1]
        assert tags[:1] == ["%DMVPN-5-NHRP_NHS_UP"] and "%DMVPN-5-NHRP_NHS_DOWN" in tags
        assert tags[-1] == "%DMVPN-5-NHRP_NHS_UP"               # back after the outage
        down = next(w for w, t in hub1 if t == "%DMVPN-5-NHRP_NHS_DOWN")
        assert down - hub1[0][0] >= 60                          # stamped by the lab clock, not wall time
        assert [w for w, _, _ in later] == sorted(w for w, _, _ in later)
        down_line = next(t for _, tag, t in later if tag == "%DMVPN-5-NHRP_NHS_DOWN")
        # a silent hub: the socket is still up (DPD), the registrations go unanswered (real capture's reason)
        assert down_line.endswith("is DOWN, Reason: NHRP Registration Failure(NHRP: no error)")
        hub = _messages(lab, "hub2")
        assert any(tag == "%DMVPN-5-NHRP_NHC_UP" and "Next Hop Client : (Tunnel: 172.16.100.11 " in text
                   for _, tag, text in hub)


def _after(lab: Lab, host: str, start: float) -> list[tuple[float, str, str]]:
    return [m for m in _messages(lab, host) if m[0] >= int(start)]


def _parse_log(text: str) -> list[tuple[float, str, str]]:
    out = []
    for line in text.split("Log Buffer (8192 bytes):", 1)[1].splitlines():
        got = STAMP.match(line)
        if got:
            when = calendar.timegm(time.strptime(f"{time.gmtime().tm_year} {got.group(1)}", "%Y %b %d %H:%M:%S"))
            out.append((when, got.group(2), got.group(3)))
    return out


def test_tunnel_shut_over_ssh_logs_each_transition_once_in_order(design: Design) -> None:
    """A spoke's tunnel shut and re-opened over netmiko: the spoke logs its EIGRP neighbours `interface down`
    (before the line protocol, as a real IOS-XE capture orders them), the hub `holding time expired`; a second
    `show logging` adds nothing; coming back, each neighbour is `new adjacency` again, on the lab clock."""
    from netmiko import ConnectHandler
    with Lab(design, ports="free") as lab:
        lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
        lab.advance(60)
        spec = design.hosts["spoke1"]
        conn = ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=lab.port("spoke1"),
                              username=spec.username, password=spec.password.reveal(),
                              secret=spec.enable_secret.reveal())
        conn.enable()
        start = lab.core.clock.now()
        conn.send_config_set(["interface Tunnel100", "shutdown"])
        lab.advance(120)
        conn.send_config_set(["interface Tunnel100", "no shutdown"])
        lab.advance(120)
        first = _parse_log(conn.send_command("show logging"))
        again = _parse_log(conn.send_command("show logging"))
        conn.disconnect()
        assert first == again                                     # transitions, not re-logged per show
        mine = [(w, tag, text) for w, tag, text in first if w >= int(start)]
        hub1 = [(w, text) for w, tag, text in mine if tag == "%DUAL-5-NBRCHANGE" and "172.16.100.1 " in text]
        assert [t.split(": ", 1)[1] for _, t in hub1] == [
            "Neighbor 172.16.100.1 (Tunnel100) is down: interface down",
            "Neighbor 172.16.100.1 (Tunnel100) is up: new adjacency"]
        assert all(t.startswith("EIGRP-IPv4 100: ") for _, t in hub1)
        assert hub1[1][0] - hub1[0][0] >= 120                     # lab clock, not the seconds the test took
        tags = [tag for _, tag, text in mine if "Tunnel100" in text]
        down_at = tags.index("%DUAL-5-NBRCHANGE")
        assert "%DMVPN-5-NHRP_NHS_DOWN" in tags[:down_at] and "%DMVPN-5-CRYPTO_SS" in tags[:down_at]
        nhs_down = [t for _, tag, t in mine if tag == "%DMVPN-5-NHRP_NHS_DOWN"]
        assert len(nhs_down) == 2 and all(t.endswith("Reason: External(NHRP: no error)") for t in nhs_down)
        assert tags[down_at:].index("%LINEPROTO-5-UPDOWN") > 0    # neighbours down, then the line protocol
        link = [(tag, t) for _, tag, t in mine if tag.startswith(("%LINK-", "%LINEPROTO-")) and "Tunnel100" in t]
        assert link == [("%LINEPROTO-5-UPDOWN", "Line protocol on Interface Tunnel100, changed state to down"),
                        ("%LINK-5-CHANGED", "Interface Tunnel100, changed state to administratively down"),
                        ("%LINEPROTO-5-UPDOWN", "Line protocol on Interface Tunnel100, changed state to up"),
                        ("%LINK-5-UPDOWN", "Interface Tunnel100, changed state to up")]
        hub = [t for w, tag, t in _after(lab, "hub1", start) if "172.16.100.11 " in t and tag == "%DUAL-5-NBRCHANGE"]
        assert hub == ["EIGRP-IPv4 100: Neighbor 172.16.100.11 (Tunnel100) is down: holding time expired",
                       "EIGRP-IPv4 100: Neighbor 172.16.100.11 (Tunnel100) is up: new adjacency"]


def test_hub_power_cycle_and_clear_crypto_session(design: Design) -> None:
    """hub-down: the spoke logs its neighbour and NHS down once; the hub's buffer restarts at power-on.
    `clear crypto session` on a spoke: both ends log each socket DOWN then UP at that instant."""
    with Lab(design, ports="free") as lab:
        lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
        lab.advance(60)
        lab.fault("hub-down", "hub1")
        outage = lab.core.clock.now()
        lab.advance(300)
        lab.clear("hub1")
        boot = lab.core.clock.now()
        lab.advance(60)
        spoke = [(tag, t) for w, tag, t in _after(lab, "spoke1", outage) if "172.16.100.1 " in t]
        downs = [t for tag, t in spoke if tag == "%DUAL-5-NBRCHANGE" and "is down" in t]
        assert downs == ["EIGRP-IPv4 100: Neighbor 172.16.100.1 (Tunnel100) is down: holding time expired"]
        assert [tag for tag, _ in spoke].count("%DMVPN-5-NHRP_NHS_DOWN") == 1
        hub = _messages(lab, "hub1")
        assert hub and min(w for w, _, _ in hub) >= int(boot)      # nothing from before the power cycle
        assert any(t == "EIGRP-IPv4 100: Neighbor 172.16.100.11 (Tunnel100) is up: new adjacency" for _, _, t in hub)
        cleared = lab.core.clock.now()
        lab.run("spoke1", "clear crypto session")
        lab.advance(5)
        socks = [t for w, tag, t in _after(lab, "spoke1", cleared) if tag == "%DMVPN-5-CRYPTO_SS"]
        hubs = [str(design.hosts[h].tunnels[0].nbma) for h in ("hub1", "hub2")]
        assert sorted(socks) == sorted(f" Tunnel100: local address : 203.0.113.11 remote address : {ip} socket is {s}"
                                       for ip in hubs for s in ("DOWN", "UP"))
        assert [t.endswith("DOWN") for t in socks] == [True, True, False, False]
        far = [t for w, tag, t in _after(lab, "hub1", cleared) if tag == "%DMVPN-5-CRYPTO_SS" and "203.0.113.11 " in t]
        assert [t.rsplit(" ", 1)[1] for t in far] == ["DOWN", "UP"]
        v2 = [t for w, tag, t in _after(lab, "spoke1", cleared) if tag == "%CRYPTO-5-IKEV2_SESSION_STATUS"]
        assert len(v2) == 4 and v2[0].startswith("Crypto tunnel v2 is DOWN.  Peer ")


def test_link_loss_fault_logs_the_wan_link_then_what_it_takes_down(design: Design) -> None:
    """lab fault link-loss: the spoke's WAN interface logs LINK-3 down, its tunnel only its line protocol (a
    tunnel stays up when its source fails), its EIGRP neighbours `interface down`; the hubs `holding time
    expired`; clearing the fault brings each back once."""
    with Lab(design, ports="free") as lab:
        lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
        lab.advance(60)
        wan = design.hosts["spoke2"].tunnels[0].source
        start = lab.core.clock.now()
        lab.fault("link-loss", "spoke2")
        lab.advance(60)
        lab.clear("spoke2")
        lab.advance(60)
        mine = [(tag, t) for _, tag, t in _after(lab, "spoke2", start)]
        assert mine[0] == ("%LINK-3-UPDOWN", f"Interface {wan}, changed state to down")
        assert ("%LINEPROTO-5-UPDOWN", "Line protocol on Interface Tunnel100, changed state to down") in mine
        assert not any(tag.startswith("%LINK") and "Tunnel100" in t for tag, t in mine)
        downs = [t for tag, t in mine if tag == "%DUAL-5-NBRCHANGE" and "is down" in t]
        assert sorted(downs) == [f"EIGRP-IPv4 100: Neighbor 172.16.100.{n} (Tunnel100) is down: interface down"
                                 for n in (1, 2)]
        assert [t for tag, t in mine if tag.startswith("%LINK") and wan + "," in t] == [
            f"Interface {wan}, changed state to down", f"Interface {wan}, changed state to up"]
        for hub in ("hub1", "hub2"):
            theirs = [t for _, tag, t in _after(lab, hub, start) if tag == "%DUAL-5-NBRCHANGE" and ".12 " in t]
            assert theirs == ["EIGRP-IPv4 100: Neighbor 172.16.100.12 (Tunnel100) is down: holding time expired",
                              "EIGRP-IPv4 100: Neighbor 172.16.100.12 (Tunnel100) is up: new adjacency"]


def _example(name: str) -> Design:
    from dmvpn_ops.intent import load_design
    for key in ("DMVPN_SSH_PASSWORD", "DMVPN_ENABLE_SECRET", "DMVPN_NHRP_AUTH", "DMVPN_PSK"):
        os.environ.setdefault(key, "lab1234")
    return load_design(str(Path(__file__).resolve().parents[2] / "inventory" / "examples" / name))


def test_bgp_sessions_down_with_the_reasons_ios_logs() -> None:
    """BGP over DMVPN: the hub's dynamic neighbours print with `*`; a hub outage ends the spoke's session on
    the hold timer (NOTIFICATION 4/0, NBR_RESET, Down, BGP_SESSION, in that order); `neighbor X shutdown` on
    the spoke is `Admin. shutdown` there and a received Cease 6/2 on the hub; each once."""
    design = _example("phase3-bgp-dual-cloud")
    with Lab(design, ports="free") as lab:
        lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
        lab.advance(60)
        hub_ip = "172.16.101.1"
        assert any(t == "neighbor *172.16.101.11 Up " for _, _, t in _messages(lab, "hub-red"))
        start = lab.core.clock.now()
        lab.fault("hub-down", "hub-red")
        lab.advance(60)
        lab.clear("hub-red")
        lab.advance(60)
        lines = [(tag, t) for w, tag, t in _after(lab, "spoke1", start)
                 if tag.startswith("%BGP") and hub_ip + " " in t + " "]
        assert lines[:4] == [
            ("%BGP-3-NOTIFICATION", f"sent to neighbor {hub_ip} 4/0 (hold time expired) 0 bytes"),
            ("%BGP-5-NBR_RESET", f"Neighbor {hub_ip} reset (BGP Notification sent)"),
            ("%BGP-5-ADJCHANGE", f"neighbor {hub_ip} Down BGP Notification sent"),
            ("%BGP_SESSION-5-ADJCHANGE",
             f"neighbor {hub_ip} IPv4 Unicast topology base removed from session  BGP Notification sent")]
        assert lines[4:] == [("%BGP-5-ADJCHANGE", f"neighbor {hub_ip} Up ")]
        asn = next(ln.split()[2] for ln in lab.run("spoke1", "show running-config").splitlines()
                   if ln.startswith("router bgp "))
        shut = lab.core.clock.now()
        lab.configure("spoke1", f"router bgp {asn}\n neighbor {hub_ip} shutdown\n")
        lab.advance(30)
        mine = [t for w, tag, t in _after(lab, "spoke1", shut) if tag.startswith("%BGP") and hub_ip + " " in t + " "]
        assert mine == [f"neighbor {hub_ip} Down Admin. shutdown",
                        f"neighbor {hub_ip} IPv4 Unicast topology base removed from session  Admin. shutdown"]
        theirs = [(tag, t) for w, tag, t in _after(lab, "hub-red", shut)
                  if tag.startswith("%BGP") and "*172.16.101.11 " in t + " "]
        assert theirs[0] == ("%BGP-3-NOTIFICATION",
                             "received from neighbor *172.16.101.11 6/2 (Administrative Shutdown) 0 bytes")
        assert theirs[-1] == ("%BGP-5-ADJCHANGE", "neighbor *172.16.101.11 Down BGP Notification received")


def test_ospf_adjacency_changes_and_real_parsers_read_the_buffer() -> None:
    """OSPF over DMVPN: FULL from LOADING, then FULL to DOWN (Dead timer expired on the far side, Interface
    down or detached on the router whose tunnel went down); ntc-templates and Genie parse the buffer."""
    from genie.conf.base import Device
    from ntc_templates.parse import parse_output
    design = _example("phase1-ospf-single-hub")
    with Lab(design, ports="free") as lab:
        lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
        lab.advance(60)
        start = lab.core.clock.now()
        lab.configure("spoke1", "interface Tunnel10\n shutdown\n")
        lab.advance(60)
        spoke = [t for w, tag, t in _after(lab, "spoke1", start) if tag == "%OSPF-5-ADJCHG"]
        assert len(spoke) == 1 and spoke[0].startswith("Process 1, Nbr ")
        assert spoke[0].endswith(" on Tunnel10 from FULL to DOWN, Neighbor Down: Interface down or detached")
        hub = [t for w, tag, t in _after(lab, "hub", start) if tag == "%OSPF-5-ADJCHG"]
        assert len(hub) == 1 and hub[0].endswith("from FULL to DOWN, Neighbor Down: Dead timer expired")
        text = lab.run("hub", "show logging")
        ntc = list(parse_output(platform="cisco_ios", command="show logging", data=text))
        assert [r["mnemonic"] for r in ntc].count("ADJCHG") == len([m for m in _messages(lab, "hub")
                                                                  if m[1] == "%OSPF-5-ADJCHG"]) >= 3
        device = Device("hub", os="iosxe")
        device.custom.setdefault("abstraction", {})["order"] = ["os"]
        parsed = device.parse("show logging", output=text)
        assert any("Dead timer expired" in line for line in parsed["logs"])
