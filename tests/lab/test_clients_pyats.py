"""pyATS / Genie unchanged against the lab: a testbed built in Python, a real unicon SSH connection (the
`iosxe` plugin, its `csr1000v` platform and the `ios` plugin, each with its default connection init), Genie
parsers and a feature learn.

unicon's init types, in this order, what it types on every real router: `term length 0`, `term width 0`,
`show version` (exec), then in config mode `no logging console`, `line console 0`, `exec-timeout 0`,
`line vty 0 4`, `exec-timeout 0` (unicon.plugins.generic.settings HA_INIT_*_COMMANDS). A refusal of any
of them fails `connect()`, so each test here starts with the stock init.
"""
from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Interface
from typing import Any

import pytest
from genie.testbed import load
from unicon.core.errors import SubCommandFailure

from dmvpn_ops.intent.model import Design, Host
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
# one host per unicon plugin (os, platform: a CSR1000V testbed names its platform), so the configure tests
# do not see each other's change
HOSTS = {("iosxe", ""): "hub1", ("iosxe", "csr1000v"): "spoke2", ("ios", ""): "spoke1"}


@pytest.fixture(scope="module")
def plab(design: Design) -> Iterator[Lab]:
    with Lab(design, ports="free") as running:
        running.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
        running.advance(60)
        yield running


def _testbed_device(plab: Lab, design: Design, host: str, os_name: str, platform: str = "") -> Any:
    spec = design.hosts[host]
    assert spec.password is not None and spec.enable_secret is not None
    testbed = load({"devices": {host: {
        "os": os_name, "type": "router", **({"platform": platform} if platform else {}),
        "credentials": {"default": {"username": spec.username, "password": spec.password.reveal()},
                        "enable": {"password": spec.enable_secret.reveal()}},
        "connections": {"cli": {"protocol": "ssh", "ip": "127.0.0.1", "port": plab.port(host),
                                "ssh_options": "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"}}}}})
    return testbed.devices[host]


@pytest.fixture(scope="module", params=sorted(HOSTS), ids=lambda p: "-".join(filter(None, p)))
def device(request: pytest.FixtureRequest, plab: Lab, design: Design) -> Iterator[tuple[Any, Host]]:
    """A connected pyATS device (unicon's default init, hostname learned from the prompt)."""
    spec = design.hosts[HOSTS[request.param]]
    dev = _testbed_device(plab, design, spec.name, *request.param)
    dev.connect(log_stdout=False, learn_hostname=True, connection_timeout=60)
    try:
        yield dev, spec
    finally:
        dev.disconnect()


def _addresses(spec: Host) -> dict[str, IPv4Interface]:
    """Every interface address the intent gives the host (underlay, LAN, tunnels): what IOS must show."""
    out: dict[str, IPv4Interface] = {}
    for under in spec.underlay:
        assert isinstance(under.address, IPv4Interface)
        out[under.interface] = under.address
    for lan in spec.lan:
        out[lan.interface] = lan.address
    for tun in spec.tunnels:
        out[f"Tunnel{tun.spec.tunnel}"] = IPv4Interface(f"{tun.tunnel_ip}/{tun.spec.subnet.prefixlen}")
    return out


def _block(running: str, header: str) -> list[str]:
    """The indented lines under ``header`` in a running config."""
    lines = running.splitlines()
    at = lines.index(header)
    body = []
    for line in lines[at + 1:]:
        if not line.startswith(" "):
            break
        body.append(line.strip())
    return body


def test_connect_init_is_accepted_and_applied(device: tuple[Any, Host], plab: Lab) -> None:
    dev, spec = device
    assert dev.connected
    running = plab.running_config(spec.name)
    assert dev.hostname == _hostname(running)         # learn_hostname: read from the `hub1#` prompt
    # stored and printed as IOS does: `no logging console` beside `enable secret`, minutes and seconds of the
    # timeout first in each line block (see lab.config / lab.editor for the captures)
    assert "no logging console" in running.splitlines()
    assert _block(running, "line con 0")[0] == "exec-timeout 0 0"
    assert _block(running, "line vty 0 4")[0] == "exec-timeout 0 0"


def _hostname(running: str) -> str:
    return next(line.split()[1] for line in running.splitlines() if line.startswith("hostname "))


def test_execute_and_parse_show_commands(device: tuple[Any, Host], design: Design, plab: Lab) -> None:
    dev, spec = device
    tunnel = spec.tunnels[0]
    peers = {str(h.tunnel_for(tunnel.cloud).tunnel_ip)  # type: ignore[union-attr]
             for h in design.hosts.values() if h.name != spec.name and h.tunnel_for(tunnel.cloud)}
    text = dev.execute("show dmvpn")
    assert f"Interface: Tunnel{tunnel.spec.tunnel}, IPv4 NHRP Details" in text
    assert f"Type:{'Hub' if spec.is_hub else 'Spoke'}" in text

    brief = dev.parse("show ip interface brief")["interface"]
    expected = _addresses(spec)
    assert set(brief) == set(expected)
    for name, addr in expected.items():
        assert brief[name]["ip_address"] == str(addr.ip)
        assert (brief[name]["status"], brief[name]["protocol"]) == ("up", "up")

    version = dev.parse("show version")["version"]
    assert version["hostname"] == _hostname(plab.running_config(spec.name))
    assert version["os"] == "IOS-XE"
    assert version["version"] == "17.3.4a"
    assert version["system_image"] == "bootflash:packages.conf"

    if dev.os != "iosxe":                              # Genie has `show dmvpn` / `show ip nhrp` for IOS-XE only
        return
    dmvpn = dev.parse("show dmvpn")["interfaces"][f"Tunnel{tunnel.spec.tunnel}"]
    assert dmvpn["type"] == ("Hub" if spec.is_hub else "Spoke")
    seen = {ip for ent in dmvpn["ent"].values() for peer in ent["peers"].values() for ip in peer["tunnel_addr"]}
    if spec.is_hub:                                    # a hub knows every registered peer of the cloud
        assert seen == peers and dmvpn["nhrp_peers"] == len(peers)
    nhrp = dev.parse("show ip nhrp")
    assert {key.split("/")[0] for key in nhrp} == seen
    for key, entry in nhrp.items():
        ip = key.split("/")[0]
        peer = next(h for h in design.hosts.values() if str(h.tunnel_for(tunnel.cloud).tunnel_ip) == ip)  # type: ignore[union-attr]
        ptun = peer.tunnel_for(tunnel.cloud)
        assert ptun is not None
        nbma = str(ptun.nat_public or peer.nat_public_for(ptun.source) or ptun.nbma)
        assert entry["via"][ip]["nbma_address"] == nbma
        assert entry["via"][ip]["tunnel"]["tunnel_name"] == f"Tunnel{tunnel.spec.tunnel}"


def test_configure_lands_in_running_config_and_learn(device: tuple[Any, Host], plab: Lab) -> None:
    dev, spec = device
    lan = spec.lan[0].interface
    description = f"set by pyATS {dev.os}"
    dev.configure([f"interface {lan}", f"description {description}"])
    assert f"description {description}" in _block(plab.running_config(spec.name), f"interface {lan}")

    learned = dev.learn("interface").info
    expected = _addresses(spec)
    assert set(expected) <= set(learned)
    for name, addr in expected.items():
        assert learned[name]["enabled"] is True and learned[name]["oper_status"] == "up"
        assert list(learned[name]["ipv4"]) == [str(addr)]
        assert learned[name]["ipv4"][str(addr)]["ip"] == str(addr.ip)
        # `show interfaces accounting` (per protocol, read right after `show interfaces`) agrees with its
        # counters: the lab clock runs, so a hello or two may have passed in between, at the same size
        counters, ip = learned[name]["counters"], learned[name]["accounting"]["ip"]
        for way in ("in", "out"):
            pkts, octets = counters[f"{way}_pkts"], counters[f"{way}_octets"]
            assert 0 < pkts <= ip[f"pkts_{way}"] <= pkts + 2
            assert ip[f"chars_{way}"] * pkts == octets * ip[f"pkts_{way}"]
    assert learned[lan]["description"] == description
    running = plab.running_config(spec.name)
    tunnel = f"Tunnel{spec.tunnels[0].spec.tunnel}"
    desc = next(line for line in _block(running, f"interface {tunnel}") if line.startswith("description "))
    assert learned[tunnel]["description"] == desc.split(" ", 1)[1]
    assert learned[tunnel]["type"] == "Tunnel"


def test_disconnect_closes_the_session(plab: Lab, design: Design) -> None:
    dev = _testbed_device(plab, design, "hub2", "iosxe")
    dev.connect(log_stdout=False, learn_hostname=True, connection_timeout=60)
    assert design.hosts["hub2"].username in dev.execute("show users")
    dev.disconnect()
    assert not dev.connected


def test_refused_config_line_raises_in_unicon(device: tuple[Any, Host], plab: Lab) -> None:
    """unicon's error patterns (`% Invalid input`) see the emulator's refusal as they see IOS's: configure
    raises and the running config is unchanged."""
    dev, spec = device
    tunnel = f"Tunnel{spec.tunnels[0].spec.tunnel}"
    before = plab.running_config(spec.name)
    with pytest.raises(SubCommandFailure, match="Invalid input"):
        dev.configure([f"interface {tunnel}", "ip nhrp nonsense 5"])
    assert _block(plab.running_config(spec.name), f"interface {tunnel}") == _block(before, f"interface {tunnel}")
    assert dev.execute("show privilege") == "Current privilege level is 15"   # back in exec mode, still usable
