"""Render: golden configs per example, key DMVPN lines per phase/protocol/crypto, secrets."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dmvpn_ops.intent import load_design
from dmvpn_ops.render import config_lines, render_bootstrap, render_config
from scripts.regen_render_golden import OUT as GOLDEN
from scripts.regen_render_golden import inventories
from tests.conftest import EXAMPLES, INVENTORY, TEST_SECRETS

CASES = [(name, host) for name, path in inventories().items()
         for host in load_design(path, require_secrets=False).hosts]


@pytest.mark.parametrize("inventory,host", CASES, ids=[f"{i}-{h}" for i, h in CASES])
def test_golden(inventory: str, host: str) -> None:
    design = load_design(inventories()[inventory], require_secrets=False)
    expected = (GOLDEN / inventory / f"{host}.cfg").read_text()
    assert render_config(design, host) == expected, "run scripts/regen_render_golden.py if intended"


def test_every_inventory_has_golden_configs() -> None:
    assert {p.name for p in GOLDEN.iterdir()} == set(inventories())


def _tunnel_block(config: str, interface: str) -> list[str]:
    match = re.search(rf"^interface {interface}\n((?: .*\n)+)", config, re.M)
    assert match, f"no {interface} in config"
    return [line.strip() for line in match.group(1).splitlines()]


def _render(path: Path, host: str) -> str:
    return render_config(load_design(path), host)


def test_phase3_eigrp_ikev2_hub_and_spoke() -> None:
    hub = _tunnel_block(_render(INVENTORY, "hub1"), "Tunnel100")
    spoke = _tunnel_block(_render(INVENTORY, "spoke1"), "Tunnel100")
    for line in ("ip nhrp map multicast dynamic", "ip nhrp redirect", "no ip split-horizon eigrp 100",
                 "ip nhrp network-id 100", "tunnel key 100", "tunnel mode gre multipoint"):
        assert line in hub
    assert "no ip next-hop-self eigrp 100" not in hub  # phase 3 may keep next-hop-self
    assert "ip nhrp shortcut" in spoke and "ip nhrp redirect" not in spoke
    assert "ip nhrp nhs 172.16.100.1 nbma 198.51.100.1 multicast" in spoke
    assert "ip nhrp nhs 172.16.100.2 nbma 198.51.100.2 multicast" in spoke
    assert hub.index("tunnel mode gre multipoint") < hub.index("tunnel key 100")
    assert "set ikev2-profile DMVPN1-IKE" in _render(INVENTORY, "hub1")


def test_nat_spoke_gets_tunnel_mode_and_dhcp() -> None:
    config = _render(INVENTORY, "spoke4")
    assert "crypto ipsec transform-set DMVPN1-TS esp-aes 256 esp-sha256-hmac\n mode tunnel\n" in config
    assert "interface GigabitEthernet1\n ip address dhcp\n" in config


def test_phase1_ospf_p2mp_no_crypto() -> None:
    hub = _render(EXAMPLES / "phase1-ospf-single-hub", "hub")
    assert "ip ospf network point-to-multipoint" in _tunnel_block(hub, "Tunnel10")
    assert "network 172.16.10.0 0.0.0.255 area 0" in hub
    assert "crypto" not in hub and "tunnel protection" not in hub
    assert "ip nhrp redirect" not in hub


def test_phase2_eigrp_ikev1_classic_nhs() -> None:
    path = EXAMPLES / "phase2-eigrp"
    hub = _tunnel_block(_render(path, "hub1"), "Tunnel20")
    assert {"no ip split-horizon eigrp 20", "no ip next-hop-self eigrp 20"} <= set(hub)
    spoke_config = _render(path, "spoke1")
    spoke = _tunnel_block(spoke_config, "Tunnel20")
    for line in ("ip nhrp map 172.16.20.1 198.51.100.11", "ip nhrp map multicast 198.51.100.11",
                 "ip nhrp nhs 172.16.20.1", "ip nhrp nhs 172.16.20.2"):
        assert line in spoke
    assert "ip nhrp shortcut" not in spoke
    assert "crypto isakmp policy 10" in spoke_config and "set isakmp-profile P2-ISAKMP" in spoke_config


def test_phase2_ospf_broadcast_priorities() -> None:
    path = EXAMPLES / "ikev1-phase2-ospf"
    assert {"ip ospf network broadcast", "ip ospf priority 255"} <= set(_tunnel_block(_render(path, "hub1"), "Tunnel30"))
    assert {"ip ospf network broadcast", "ip ospf priority 0"} <= set(_tunnel_block(_render(path, "spoke1"), "Tunnel30"))


def test_phase3_bgp_dual_cloud_shared_protection() -> None:
    path = EXAMPLES / "phase3-bgp-dual-cloud"
    hub = _render(path, "hub-red")
    assert "bgp listen range 172.16.101.0/24 peer-group RED-SPOKES" in hub
    assert "neighbor RED-SPOKES route-reflector-client" in hub
    spoke = _render(path, "spoke1")
    for tunnel in ("Tunnel101", "Tunnel102"):
        assert "tunnel protection ipsec profile DMVPN-SHARED-IPSEC shared" in _tunnel_block(spoke, tunnel)
    assert "neighbor 172.16.101.1 remote-as 65000" in spoke and "neighbor 172.16.102.1 remote-as 65000" in spoke
    assert spoke.count("crypto ipsec profile DMVPN-SHARED-IPSEC") == 1


def test_fvrf_and_qos() -> None:
    path = EXAMPLES / "fvrf-nat-spoke"
    hub = _render(path, "hub1")
    assert "vrf definition INET" in hub
    assert "tunnel vrf INET" in _tunnel_block(hub, "Tunnel200")
    assert "interface GigabitEthernet1\n vrf forwarding INET\n" in hub
    assert "ip route vrf INET 0.0.0.0 0.0.0.0 198.51.100.254" in hub
    assert "ip nhrp map group SMALL service-policy output DMVPN-SHAPE-10M" in _tunnel_block(hub, "Tunnel200")
    assert "policy-map DMVPN-SHAPE-10M\n class class-default\n  shape average 10000000" in hub
    assert "ip nhrp group SMALL" in _tunnel_block(_render(path, "branch-nat"), "Tunnel200")


def test_deterministic() -> None:
    design = load_design(INVENTORY)
    assert render_config(design, "hub1", reveal_secrets=True) == render_config(design, "hub1", reveal_secrets=True)


def test_secrets_masked_unless_revealed() -> None:
    design = load_design(INVENTORY)
    masked = render_config(design, "hub1")
    revealed = render_config(design, "hub1", reveal_secrets=True)
    for name in ("DMVPN_PSK", "DMVPN_NHRP_AUTH"):
        assert TEST_SECRETS[name] not in masked
        assert TEST_SECRETS[name] in revealed
    assert "pre-shared-key *****" in masked and "ip nhrp authentication *****" in masked


def test_bootstrap_holds_credentials_and_addressing() -> None:
    text = render_bootstrap(load_design(INVENTORY), "spoke1")
    assert f"username admin privilege 15 secret 0 {TEST_SECRETS['DMVPN_SSH_PASSWORD']}" in text
    assert "ip address 203.0.113.11 255.255.255.0" in text
    assert "interface Tunnel" not in text


def test_config_lines_drop_separators() -> None:
    lines = config_lines("hostname a\n!\ninterface X\n ip mtu 1400\n!\nend\n")
    assert lines == ["hostname a", "interface X", " ip mtu 1400"]


def test_render_cli_writes_masked_files(cli, tmp_path: Path) -> None:
    result = cli("render", "-i", str(INVENTORY), "--out", str(tmp_path))
    assert result.code == 0, result.text
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{h}.cfg" for h in
                                                          ("hub1", "hub2", "spoke1", "spoke2", "spoke3", "spoke4")]
    everything = "".join(p.read_text() for p in tmp_path.iterdir()) + result.text
    for value in TEST_SECRETS.values():
        assert value not in everything


def test_render_cli_show_secrets_mode_0600(cli, tmp_path: Path) -> None:
    result = cli("render", "-i", str(INVENTORY), "--out", str(tmp_path), "--show-secrets", "--limit", "hub1")
    assert result.code == 0
    path = tmp_path / "hub1.cfg"
    assert TEST_SECRETS["DMVPN_PSK"] in path.read_text()
    assert path.stat().st_mode & 0o777 == 0o600
