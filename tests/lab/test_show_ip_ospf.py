"""`show ip ospf` (the OSPF process summary) over SSH: IOS-XE layout, values from the cloud model (issue 16).

The layout is checked line by line against a real IOS-XE capture (tests/fixtures/lab/show_ip_ospf/, genieparser
iosxe ShowIpOspf golden_output4, numbers blanked); Genie's IOS-XE `ShowIpOspf` parser reads the text netmiko
received, and what it finds (router ID, areas, interface and loopback counts, SPF runs) must equal what other
commands of the same lab say: the spokes' `show ip ospf neighbor` (the hub's router ID) and the hub's
`show ip ospf interface brief` (its OSPF interfaces).
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from genie.conf.base import Device
from netmiko import ConnectHandler

from dmvpn_ops.intent import Design, load_design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
REPO = Path(__file__).resolve().parents[2]
CAPTURE = REPO / "tests/fixtures/lab/show_ip_ospf/genieparser_iosxe_4.raw"
SECRETS = {"DMVPN_SSH_PASSWORD": "lab-pw-1", "DMVPN_ENABLE_SECRET": "lab-en-1",
           "DMVPN_NHRP_AUTH": "nhrpkey", "DMVPN_PSK": "lab-psk-1"}


@pytest.fixture(scope="module")
def ospf() -> Iterator[tuple[Design, Lab]]:
    for name, value in SECRETS.items():
        os.environ.setdefault(name, value)
    design = load_design(str(REPO / "inventory/examples/phase1-ospf-single-hub"))
    with Lab(design, ports="free") as lab:
        lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
        lab.advance(60)
        yield design, lab


@pytest.fixture()
def ssh(ospf: tuple[Design, Lab]) -> Iterator[Any]:
    design, lab = ospf
    opened: list[Any] = []

    def connect(host: str) -> Any:
        spec = design.hosts[host]
        conn = ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=lab.port(host),
                              username=spec.username, password=spec.password.reveal(),
                              secret=spec.enable_secret.reveal(), conn_timeout=10, auth_timeout=10)
        opened.append(conn)
        return conn

    yield connect
    for conn in opened:
        conn.disconnect()


def _blank(line: str) -> str:
    """A line with its values blanked: hex sums, then every number (addresses, counts, times)."""
    return re.sub(r"\d+", "N", re.sub(r"0x[0-9A-F]+", "H", line.rstrip()))


def _hub(design: Design) -> str:
    return next(h for h, spec in design.hosts.items() if spec.role == "hub")


def test_show_ip_ospf_has_the_layout_of_the_iosxe_capture(ospf: tuple[Design, Lab], ssh: Any) -> None:
    design, _ = ospf
    ours = ssh(_hub(design)).send_command("show ip ospf")
    first_process = CAPTURE.read_text().split("\n\n")[0].splitlines()[1:]    # drop the `R1#show ip ospf` line
    assert CAPTURE.with_suffix(".source").read_text().strip()
    assert [_blank(ln) for ln in ours.strip("\n").splitlines()] == [_blank(ln) for ln in first_process]


def test_genie_reads_the_model_values(ospf: tuple[Design, Lab], ssh: Any) -> None:
    design, _ = ospf
    hub = _hub(design)
    conn = ssh(hub)
    device = Device(hub, os="iosxe")
    device.custom.setdefault("abstraction", {})["order"] = ["os"]
    device.execute = lambda cmd, **_: conn.send_command(cmd)
    parsed = device.parse("show ip ospf", output=conn.send_command("show ip ospf"))
    instance = parsed["vrf"]["default"]["address_family"]["ipv4"]["instance"]
    assert list(instance) == ["1"]
    proc = instance["1"]
    # the spokes know the hub by the router ID the hub prints
    spoke = next(h for h, spec in design.hosts.items() if spec.role == "spoke")
    seen = [ln.split()[0] for ln in ssh(spoke).send_command("show ip ospf neighbor").splitlines() if ln[:1].isdigit()]
    assert proc["router_id"] in seen
    # the area's interfaces are the rows of the hub's `show ip ospf interface brief`
    brief = [ln.split() for ln in conn.send_command("show ip ospf interface brief").splitlines()[1:] if ln.strip()]
    areas = {row[2] for row in brief}
    assert set(proc["areas"]) == {"0.0.0.0"} and areas == {"0"}
    stats = proc["areas"]["0.0.0.0"]["statistics"]
    assert stats["interfaces_count"] == len(brief) >= 2
    assert stats["loopback_count"] == sum(1 for row in brief if row[0].startswith("Lo"))
    neighbours = sum(int(row[-1].split("/")[0]) for row in brief)
    assert neighbours == len(design.hosts) - 1
    assert stats["spf_runs_count"] == 1 + neighbours
    assert proc["total_areas"] == proc["total_normal_areas"] == 1


def test_process_id_argument(ospf: tuple[Design, Lab], ssh: Any) -> None:
    design, _ = ospf
    conn = ssh(_hub(design))
    one = conn.send_command("show ip ospf 1")
    assert one.lstrip().startswith('Routing Process "ospf 1" with ID ')
    assert conn.send_command("show ip ospf 2").strip() == ""   # no such process: nothing, as without OSPF
    assert "% Invalid input detected at '^' marker." in conn.send_command("show ip ospf 0")  # range 1-65535


def test_a_second_area_makes_an_area_border_router(ospf: tuple[Design, Lab], ssh: Any) -> None:
    design, _ = ospf
    spoke = next(h for h, spec in design.hosts.items() if spec.role == "spoke")
    conn = ssh(spoke)
    conn.enable()
    conn.send_config_set(["interface Loopback77", "ip address 10.77.77.77 255.255.255.255",
                          "router ospf 1", "network 10.77.77.77 0.0.0.0 area 1"])
    try:
        text = conn.send_command("show ip ospf")
        assert "\n It is an area border router\n" in text
        assert re.search(r"(?m)^    Area 1\n        Number of interfaces in this area is 1 \(1 loopback\)$", text), text
        device = Device(spoke, os="iosxe")
        device.custom.setdefault("abstraction", {})["order"] = ["os"]
        device.execute = lambda cmd, **_: conn.send_command(cmd)
        proc = device.parse("show ip ospf", output=text)["vrf"]["default"]["address_family"]["ipv4"]["instance"]["1"]
        assert set(proc["areas"]) == {"0.0.0.0", "0.0.0.1"}
        assert proc["total_areas"] == 2 and proc["flags"] == {"abr": True}
    finally:
        conn.send_config_set(["router ospf 1", "no network 10.77.77.77 0.0.0.0 area 1", "exit",
                              "no interface Loopback77"])
