"""`show logging`: the syslog buffer fills as things happen in the cloud model, stamped by the lab clock."""
from __future__ import annotations

import calendar
import re
import time

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
        assert down_line.endswith("is DOWN, Reason: External(NHRP: no error)")   # as the real capture
        hub = _messages(lab, "hub2")
        assert any(tag == "%DMVPN-5-NHRP_NHC_UP" and "Next Hop Client : (Tunnel: 172.16.100.11 " in text
                   for _, tag, text in hub)
