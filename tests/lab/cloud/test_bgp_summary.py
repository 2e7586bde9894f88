"""`show ip bgp summary` as IOS prints it: configured neighbours without a session stay listed with their
state (`Active`, `Idle`, `Idle (Admin)`) and `never` (or the time since they went down) in Up/Down;
listen-range neighbours are listed, with `*`, only while established, followed by the listen-range
footer (one block per peer-group); PfxRcd counts every prefix a neighbour sent, not only best paths."""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from dmvpn_ops.intent import load_design
from dmvpn_ops.lab.grammar import Match
from dmvpn_ops.lab.syntax_config import grammar
from dmvpn_ops.parse import parse
from dmvpn_ops.render import render_config
from tests.conftest import TEST_SECRETS
from tests.lab.cloud.conftest import REPO, Harness

BGP = {"routing": {"protocol": "bgp", "as_number": 65000}}
HUB1, HUB2 = "172.16.100.1", "172.16.100.2"
DOWN_ROW = re.compile(r"^(\S+)\s+4\s+(\d+)\s+0\s+0\s+1\s+0\s+0 (\S+)\s+(\S.*)$", re.M)


def rows(lab: Harness, host: str) -> dict[str, dict[str, Any]]:
    return {r["neighbor"]: r for r in parse("show ip bgp summary", lab.run(host, "show ip bgp summary"))}


def add_line(lab: Harness, host: str, after: str, line: str) -> None:
    lab.edit(host, lambda c: c.replace(after + "\n", f"{after}\n {line}\n", 1))


def test_spoke_and_hub_list_a_dead_hub_as_active_since_it_went_down(make: Callable[..., Harness]) -> None:
    lab = make(**BGP)
    lab.cloud.clock.advance(300)
    lab.cloud.inject("hub-down", "hub1")
    lab.cloud.clock.advance(42)
    for host in ("spoke1", "hub2"):   # spoke: `neighbor` to its NHS; hub2: the hub-to-hub neighbour
        text = lab.run(host, "show ip bgp summary")
        assert f"\n{HUB1:<15} 4        65000       0       0        1    0    0 00:00:42 Active\n" in text
        row = rows(lab, host)[HUB1]
        assert (row["state"], row["up_down"], row["prefixes_received"], row["dynamic"]) == \
            ("Active", "00:00:42", None, False)
    hub2 = rows(lab, "hub2")
    spokes = {n: r for n, r in hub2.items() if n != HUB1}
    assert len(spokes) == 4 and all(r["dynamic"] and r["state"] == "Established" for r in spokes.values())


def test_never_established_neighbour_is_active_then_idle_without_a_route(make: Callable[..., Harness]) -> None:
    lab = make(**BGP)
    add_line(lab, "spoke1", f" neighbor {HUB2} remote-as 65000", "neighbor 172.16.100.99 remote-as 65000")
    lab.cloud.clock.advance(30)
    row = rows(lab, "spoke1")["172.16.100.99"]
    assert (row["state"], row["up_down"], row["msg_rcvd"], row["tbl_ver"]) == ("Active", "never", 0, 1)
    lab.cloud.inject("link-loss", "spoke1")        # no underlay, tunnel down: no route to anyone
    lab.cloud.clock.advance(10)
    got = {m[0]: (m[2], m[3]) for m in DOWN_ROW.findall(lab.run("spoke1", "show ip bgp summary"))}
    assert got == {HUB1: ("00:00:10", "Idle"), HUB2: ("00:00:10", "Idle"), "172.16.100.99": ("never", "Idle")}


def test_neighbor_shutdown_is_idle_admin_and_the_hub_drops_the_dynamic_neighbour(
        make: Callable[..., Harness]) -> None:
    lab = make(**BGP)
    typed = grammar("config-router").parse(f"nei {HUB2} shut")
    assert isinstance(typed, Match) and typed.text == f"neighbor {HUB2} shutdown"
    lab.cloud.clock.advance(120)
    add_line(lab, "spoke1", f" neighbor {HUB2} remote-as 65000", f"neighbor {HUB2} shutdown")
    lab.cloud.clock.advance(7)
    row = rows(lab, "spoke1")[HUB2]
    assert (row["state"], row["up_down"]) == ("Idle (Admin)", "00:00:07")
    assert rows(lab, "spoke1")[HUB1]["state"] == "Established"
    hub2 = lab.run("hub2", "show ip bgp summary")
    assert "*172.16.100.11 " not in hub2 and "*172.16.100.12 " in hub2
    assert "Dynamically created neighbors: 3, Subnet ranges: 1\n" in hub2
    assert "Total dynamically created neighbors: 3/(100 max), Subnet ranges: 1\n" in hub2
    lab.edit("spoke1", lambda c: c.replace(f" neighbor {HUB2} shutdown\n", ""))   # `no neighbor X shutdown`
    assert rows(lab, "spoke1")[HUB2]["state"] == "Established" and "*172.16.100.11 " in lab.run(
        "hub2", "show ip bgp summary")


def test_listen_footer_one_block_per_peer_group(make: Callable[..., Harness]) -> None:
    lab = make(**BGP)
    listen = next(line for line in lab.configs["hub1"].splitlines() if "bgp listen range" in line)
    group = listen.split()[-1]
    add_line(lab, "hub1", listen, f"bgp listen range 172.16.200.0/24 peer-group {group}")
    add_line(lab, "hub1", listen, "bgp listen limit 50")
    text = lab.run("hub1", "show ip bgp summary")
    tail = text[text.index("* Dynamically"):]
    assert tail == ("* Dynamically created based on a listen range command\n"
                    "Dynamically created neighbors: 4, Subnet ranges: 2\n\n"
                    f"BGP peergroup {group} listen range group members: \n"
                    "  172.16.100.0/24 \n  172.16.200.0/24 \n\n"
                    "Total dynamically created neighbors: 4/(50 max), Subnet ranges: 2\n\n")
    assert len(parse("show ip bgp summary", text)) == 5      # 4 spokes + hub2, parser reads the footer


def test_pfxrcd_counts_every_prefix_received_not_only_best_paths() -> None:
    for key, value in TEST_SECRETS.items():
        os.environ.setdefault(key, value)
    design = load_design(REPO / "inventory/examples/phase3-bgp-dual-cloud")
    lab = Harness(design, {h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
    lab.cloud.clock.advance(60)
    got = {n: r["prefixes_received"] for n, r in rows(lab, "spoke1").items()}
    # each hub sends its own LAN and reflects spoke2's: spoke2's LAN arrives twice, one path is best
    assert got == {"172.16.101.1": 2, "172.16.102.1": 2}
    bgp_routes = [line for line in lab.run("spoke1", "show ip route").splitlines() if line.startswith("B ")]
    assert len(bgp_routes) == 3
    text = lab.run("spoke1", "show ip bgp summary")
    assert "4 network entries using 992 bytes of memory\n5 path entries using 680 bytes of memory\n" in text
