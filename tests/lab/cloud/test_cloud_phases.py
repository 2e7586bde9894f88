"""The same spoke-to-spoke ping in phases 1, 2 and 3: hub-only, D entry, DT1/DT2 shortcut."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ntc_templates.parse import parse_output

PING = "ping 10.1.2.1 source 10.1.1.1 repeat 5"


def dmvpn_rows(lab: Any, host: str) -> list[dict[str, str]]:
    return parse_output(platform="cisco_ios", command="show dmvpn", data=lab.run(host, "show dmvpn"))


def test_phase1_no_spoke_to_spoke(make: Callable[..., Any]) -> None:
    lab = make(phase=1)
    assert "Success rate is 100 percent (5/5)" in lab.run("spoke1", PING)
    assert [r["attribute"] for r in dmvpn_rows(lab, "spoke1")] == ["S", "S"]
    assert "203.0.113.12" not in lab.run("spoke1", "show crypto ikev2 sa")
    trace = lab.run("spoke1", "traceroute 10.1.2.1 source 10.1.1.1")
    assert "  1 172.16.100." in trace and "  2 10.1.2.1" in trace


def test_phase2_dynamic_entry(make: Callable[..., Any]) -> None:
    lab = make(phase=2)
    route = lab.run("spoke1", "show ip route")
    assert "10.1.2.0/24 [90/" in route and "via 172.16.100.12" in route     # next-hop-self off
    assert "Success rate is 100 percent" in lab.run("spoke1", PING)
    for host, peer in (("spoke1", "203.0.113.12"), ("spoke2", "203.0.113.11")):
        rows = [r for r in dmvpn_rows(lab, host) if r["peer_nbma"] == peer]
        assert [r["attribute"] for r in rows] == ["D"]
    assert "203.0.113.12/500" in lab.run("spoke1", "show crypto ikev2 sa")
    assert "DT" not in lab.run("spoke1", "show dmvpn").split("=====")[-1]


def test_phase3_shortcut(lab: Any) -> None:
    assert "Success rate is 100 percent" in lab.run("spoke1", PING)
    text = lab.run("spoke1", "show dmvpn")
    assert "     2 203.0.113.12      172.16.100.12    UP 00:00:00   DT2" in text
    assert "                         172.16.100.12    UP 00:00:00   DT1" in text
    # the peer's tunnel address: an H host route "is directly connected" (as IOS prints it)
    assert "H        172.16.100.12/32 is directly connected, 00:00:00, Tunnel100" in lab.run("spoke1", "show ip route nhrp")
    assert "D   %    10.1.2.0/24" in lab.run("spoke1", "show ip route")
    nhrp = lab.run("spoke1", "show ip nhrp")
    assert "Type: dynamic, Flags: router nhop rib" in nhrp
    assert "10.1.1.0/24 via 172.16.100.11" in lab.run("spoke2", "show ip nhrp")   # reply redirected too
    assert "  1 10.1.2.1" in lab.run("spoke1", "traceroute 10.1.2.1 source 10.1.1.1")


def test_phase3_without_shortcut_on_spoke(lab: Any) -> None:
    for spoke in ("spoke1", "spoke2"):
        lab.edit(spoke, lambda cfg: cfg.replace(" ip nhrp shortcut\n", ""))
    assert "Success rate is 100 percent" in lab.run("spoke1", PING)
    assert [r["attribute"] for r in dmvpn_rows(lab, "spoke1")] == ["S", "S"]
    assert "H " not in lab.run("spoke1", "show ip route nhrp").split("0.0.0.0\n")[-1]


def test_phase3_without_redirect_on_hubs(lab: Any) -> None:
    for hub in ("hub1", "hub2"):
        lab.edit(hub, lambda cfg: cfg.replace(" ip nhrp redirect\n", ""))
    lab.run("spoke1", PING)
    assert [r["attribute"] for r in dmvpn_rows(lab, "spoke1")] == ["S", "S"]


def test_shortcut_expires_and_clear(lab: Any) -> None:
    lab.run("spoke1", PING)
    lab.cloud.clock.advance(301)
    assert "DT" not in lab.run("spoke1", "show dmvpn").split("=====")[-1]
    lab.run("spoke1", PING)
    assert "DT1" in lab.run("spoke1", "show dmvpn")
    lab.run("spoke1", "clear ip nhrp")
    assert "DT1" not in lab.run("spoke1", "show dmvpn")


def test_an_expired_shortcut_is_no_timer_that_fires_on_every_show(lab: Any) -> None:
    lab.run("spoke1", PING)
    lab.cloud.clock.advance(301)                      # the shortcut expired; nobody cleared it
    lab.run("spoke1", "show dmvpn")
    before = lab.cloud.recomputes
    for _ in range(3):
        lab.run("spoke1", "show dmvpn")
    assert lab.cloud.recomputes == before             # nothing changed: the snapshot stands
