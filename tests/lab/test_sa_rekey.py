"""The crypto show outputs' values over time: IPsec SAs re-key at their negotiated lifetime with new SPIs,
IKE SAs at theirs with a new active time, a changed lifetime applies to the next SA, and a NATed spoke
identifies with its own (private) address.

Sources: Cisco IOS Security Command Reference, crypto ipsec security-association lifetime (3600 s and
4608000 KB by default; a new lifetime is used for SAs negotiated afterwards); RFC 7296 sections 2.8/2.18
(a re-keyed CHILD_SA / IKE SA has new SPIs); Cisco FlexVPN and IKEv2 configuration guide (with a pre-shared
key the default local identity is the IP address); the real `show crypto session detail` capture of a NATed
IKEv2 peer (ntc-templates show_crypto_session_detail_ikev2: Peer on port 4500, Phase1_id a private address).
Over real SSH (netmiko) into the emulator, the clock moved by the Lab API; outputs read by our parsers
and Genie's.
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from genie.conf.base import Device
from netmiko import ConnectHandler

from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.parse import parse
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
HUB1 = "198.51.100.1"
SPOKE1 = "203.0.113.11"
SPOKE4_PUBLIC = "192.0.2.44"      # inventory: spoke4 behind a NAT (nat_public), DHCP underlay
SLACK = 60                         # the lab clock also runs with wall time: seconds the test itself may take


def about(got: int | list[int], want: int) -> bool:
    """``got`` (each value of it) is ``want`` less at most the wall time the test took."""
    values = got if isinstance(got, list) else [got]
    return bool(values) and all(want - SLACK <= v <= want for v in values)


def grows(got: int, want: int) -> bool:
    """An elapsed time: ``want`` plus at most the wall time the test took."""
    return want <= got <= want + SLACK


def seconds(hms: str) -> int:
    h, m, s = (int(x) for x in hms.split(":"))
    return h * 3600 + m * 60 + s


def _genie(command: str, text: str) -> Any:
    device = Device("x", os="iosxe")
    device.custom.setdefault("abstraction", {})["order"] = ["os"]
    return device.parse(command, output=text)


def _ipsec(conn: Any, peer: str) -> tuple[list[str], list[str], list[int]]:
    """(inbound SPIs, outbound SPIs, remaining seconds of each SA) of the SA with ``peer``."""
    text = conn.send_command("show crypto ipsec sa")
    records = [r for r in parse("show crypto ipsec sa", text) if r["peer"] == peer]
    assert len(records) == 1, text
    block = text.split(f"current_peer {peer} ", 1)[1].split("outbound pcp sas:", 1)[0]
    left = [int(k) for k in re.findall(r"remaining key lifetime \(k/sec\): \(\d+/(\d+)\)", block)]
    return records[0]["inbound_spis"], records[0]["outbound_spis"], left


def _genie_lifetimes(conn: Any) -> set[str]:
    """Every `remaining key lifetime` Genie reads from `show crypto ipsec sa`."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "remaining_key_lifetime":
                    found.add(value)
                walk(value)

    walk(_genie("show crypto ipsec sa", conn.send_command("show crypto ipsec sa")))
    return found


def _ikev2(conn: Any, remote: str) -> dict[str, Any]:
    text = conn.send_command("show crypto ikev2 sa detail")
    found = [r for r in parse("show crypto ikev2 sa detail", text) if r["remote"] == remote]
    assert len(found) == 1, text
    return found[0]


def _deploy(lab: Lab, design: Design) -> None:
    lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})


def test_ipsec_sa_counts_down_and_rekeys_with_new_spis(lab: Lab, design: Design,
                                                       connect: Callable[..., Any]) -> None:
    _deploy(lab, design)
    spoke, hub = connect("spoke1"), connect("hub1")
    inb, outb, left = _ipsec(spoke, HUB1)
    assert len(left) == 2 and about(left, 3600)    # IOS default lifetime, just negotiated
    lab.advance(1000)
    inb1, outb1, left1 = _ipsec(spoke, HUB1)
    assert (inb1, outb1) == (inb, outb) and about(left1, 2600)
    genie_left = [int(v.strip("()").split("/")[1]) for v in _genie_lifetimes(spoke)]
    genie_kb = [int(v.strip("()").split("/")[0]) for v in _genie_lifetimes(spoke)]
    assert about(genie_left, 2600) and all(4608000 - 100 < kb < 4608000 for kb in genie_kb)   # IOS default KB
    h_in, h_out, h_left = _ipsec(hub, SPOKE1)
    assert (h_in, h_out) == (outb, inb) and about(h_left, 2600)   # one pair: what one sends, the other gets
    lab.advance(2600)                                              # the lifetime: a new pair
    inb2, outb2, left2 = _ipsec(spoke, HUB1)
    assert about(left2, 3600) and not set(inb2) & set(inb) and not set(outb2) & set(outb)
    assert _ipsec(hub, SPOKE1)[:2] == (outb2, inb2)
    detail = spoke.send_command("show crypto session detail")
    assert about([int(v) for v in re.findall(r"life \(KB/Sec\) \d+/(\d+)", detail)], 3600)
    fresh_kb = [int(v.strip("()").split("/")[0]) for v in _genie_lifetimes(spoke)]
    assert min(fresh_kb) > max(genie_kb)           # the new pair has carried (almost) nothing yet
    # the child re-key is no new IKE SA: its active time runs on
    assert grows(_ikev2(spoke, HUB1)["active_time"], 3600)
    lab.advance(3600 * 3 + 5)
    assert about(_ipsec(spoke, HUB1)[2], 3595)


def test_ike_sa_rekey_starts_a_new_sa(lab: Lab, design: Design, connect: Callable[..., Any]) -> None:
    _deploy(lab, design)
    spoke = connect("spoke1")
    first = _ikev2(spoke, HUB1)
    assert first["lifetime"] == 86400 and grows(first["active_time"], 0)
    lab.advance(86400 - 100 - first["active_time"])
    before = _ikev2(spoke, HUB1)
    assert grows(before["active_time"], 86300) and before["local_spi"] == first["local_spi"]
    session = [r for r in parse("show crypto session detail", spoke.send_command("show crypto session detail"))
               if r["peer"] == HUB1]
    assert about(seconds(session[0]["lifetime"]), 100)
    lab.advance(300)                               # past the IKE SA lifetime: re-keyed at 86400
    after = _ikev2(spoke, HUB1)
    assert after["lifetime"] == 86400 and grows(after["active_time"], 200)
    assert after["local_spi"] != first["local_spi"] and after["remote_spi"] != first["remote_spi"]
    assert _ikev2(connect("hub1"), SPOKE1)["local_spi"] == after["remote_spi"]
    session = [r for r in parse("show crypto session detail", spoke.send_command("show crypto session detail"))
               if r["peer"] == HUB1]
    assert about(seconds(session[0]["lifetime"]), 86200) and session[0]["uptime"] == "1d00h"   # it runs on
    genie = _genie("show crypto ikev2 sa", spoke.send_command("show crypto ikev2 sa"))
    sas = [sa for sa in genie["ipv4"].values() if sa["remote_ip"] == HUB1]
    assert len(sas) == 1 and sas[0]["life_time"] == 86400 and grows(sas[0]["active_time"], 200)


def test_changed_ipsec_lifetime_applies_at_the_next_child_rekey(lab: Lab, design: Design,
                                                                connect: Callable[..., Any]) -> None:
    _deploy(lab, design)
    spoke = connect("spoke1")
    lab.advance(100)
    profile = re.search(r"^crypto ipsec profile (\S+)", spoke.send_command("show running-config"), re.M)
    assert profile
    spoke.send_config_set([f"crypto ipsec profile {profile.group(1)}",
                           "set security-association lifetime seconds 1800"])
    assert about(_ipsec(spoke, HUB1)[2], 3500)         # the running pair keeps its 3600 s
    lab.advance(3500)                                  # its re-key (no IKE SA re-key): the new lifetime
    inb, _, left = _ipsec(spoke, HUB1)
    assert about(left, 1800)
    assert grows(_ikev2(spoke, HUB1)["active_time"], 3600)   # still the first IKE SA
    assert about(_ipsec(connect("hub1"), SPOKE1)[2], 3600)   # IKEv2: the hub keeps its own 3600 s
    lab.advance(1800)                                  # the spoke's shorter lifetime re-keys the pair
    inb2, _, left2 = _ipsec(spoke, HUB1)
    assert about(left2, 1800) and inb2 != inb
    spoke.send_config_set(["crypto ipsec security-association lifetime seconds 7200",
                           f"crypto ipsec profile {profile.group(1)}",
                           "no set security-association lifetime seconds"])
    assert about(_ipsec(spoke, HUB1)[2], 1800)         # again only for the next pair
    lab.advance(1800)
    assert about(_ipsec(spoke, HUB1)[2], 7200)


def test_nated_spoke_identifies_with_its_private_address(lab: Lab, design: Design,
                                                         connect: Callable[..., Any]) -> None:
    _deploy(lab, design)
    hub, spoke = connect("hub1"), connect("spoke4")
    brief = parse("show ip interface brief", spoke.send_command("show ip interface brief"))
    private = next(r["ip_address"] for r in brief if r["interface"] == "GigabitEthernet1")
    assert private and private != SPOKE4_PUBLIC
    seen = _ikev2(hub, SPOKE4_PUBLIC)
    assert (seen["remote_port"], seen["nat_t"], seen["remote_id"], seen["local_id"]) == \
        (4500, "outside", private, HUB1)
    own = _ikev2(spoke, HUB1)
    assert (own["local"], own["local_id"], own["remote_id"], own["nat_t"]) == (private, private, HUB1, "inside")
    sessions = parse("show crypto session detail", hub.send_command("show crypto session detail"))
    assert [r["phase1_id"] for r in sessions if r["peer"] == SPOKE4_PUBLIC] == [private]
    brief_sessions = parse("show crypto session brief", hub.send_command("show crypto session brief"))
    assert [r["phase1_id"] for r in brief_sessions if r["peer"] == SPOKE4_PUBLIC] == [private]
    # `identity local address` (the usual fix behind a NAT) is what the peer then sees, on the next SA
    profile = re.search(r"^crypto ikev2 profile (\S+)", spoke.send_command("show running-config"), re.M)
    assert profile
    spoke.send_config_set([f"crypto ikev2 profile {profile.group(1)}", f"identity local address {SPOKE4_PUBLIC}"])
    spoke.send_command("clear crypto session")
    assert _ikev2(hub, SPOKE4_PUBLIC)["remote_id"] == SPOKE4_PUBLIC
    assert _ikev2(spoke, HUB1)["local_id"] == SPOKE4_PUBLIC


@pytest.fixture()
def ikev1_lab(design: Design, tmp_path: Path) -> Iterator[Lab]:
    """The demo inventory on IKEv1 with an ISAKMP lifetime of 5000 s (IPsec 3600 s), served over SSH."""
    inv = tmp_path / "inventory"
    shutil.copytree(Path(design.inventory_dir), inv)
    groups = yaml.safe_load((inv / "groups.yaml").read_text())
    groups["dmvpn_cloud"]["data"]["dmvpn"]["clouds"]["DMVPN1"]["crypto"] = {
        "type": "ikev1", "psk": "env:DMVPN_PSK", "lifetime": 5000}
    (inv / "groups.yaml").write_text(yaml.safe_dump(groups))
    v1 = load_design(str(inv))
    with Lab(v1, ports="free") as running:
        running.configure_many({h: render_config(v1, h, reveal_secrets=True) for h in v1.hosts})
        yield running


def _isakmp(conn: Any, remote: str) -> dict[str, Any]:
    text = conn.send_command("show crypto isakmp sa detail")
    found = [r for r in parse("show crypto isakmp sa detail", text) if r["remote"] == remote]
    assert len(found) == 1, text
    return found[0]


def test_ikev1_isakmp_sa_is_replaced_by_the_main_mode_of_the_next_ipsec_rekey(ikev1_lab: Lab,
                                                                               design: Design) -> None:
    spec = design.hosts["spoke1"]
    conn = ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=ikev1_lab.port("spoke1"),
                          username=spec.username, password=spec.password.reveal(),  # type: ignore[union-attr]
                          secret=spec.enable_secret.reveal())  # type: ignore[union-attr]
    try:
        first = _isakmp(conn, HUB1)
        assert about(seconds(first["lifetime"]), 5000)
        lab_ipsec = _ipsec(conn, HUB1)
        ikev1_lab.advance(3600)                     # a Quick Mode re-key inside the same ISAKMP SA
        same = _isakmp(conn, HUB1)
        assert same["conn_id"] == first["conn_id"] and about(seconds(same["lifetime"]), 1400)
        rekeyed = _ipsec(conn, HUB1)
        assert about(rekeyed[2], 3600) and rekeyed[0] != lab_ipsec[0]
        ikev1_lab.advance(3600)                     # 7200 s: the ISAKMP SA expired, this re-key needs Main Mode
        fresh = _isakmp(conn, HUB1)
        assert fresh["conn_id"] != first["conn_id"] and about(seconds(fresh["lifetime"]), 5000)
        plain = parse("show crypto isakmp sa", conn.send_command("show crypto isakmp sa"))
        assert [(r["conn_id"], r["state"]) for r in plain if r["dst"] == HUB1] == [(fresh["conn_id"], "QM_IDLE")]
        session = [r for r in parse("show crypto session detail", conn.send_command("show crypto session detail"))
                   if r["peer"] == HUB1]
        assert about(seconds(session[0]["lifetime"]), 5000) and session[0]["conn_id"] == fresh["conn_id"]
    finally:
        conn.disconnect()
