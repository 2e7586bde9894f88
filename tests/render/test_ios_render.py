"""Render what real IOS needs: DPD, registration no-unique on DHCP spokes, no hidden defaults, keys per peer."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from dmvpn_ops.intent import load_design
from dmvpn_ops.render import render_config
from dmvpn_ops.render.defaults import IOS_DEFAULTS, shown
from scripts.make_broken_examples import base, merge
from tests.conftest import EXAMPLES, INVENTORY


def _design(tmp: Path, patch: dict[str, Any]):  # type: ignore[no-untyped-def]
    inventory = base()
    merge(inventory, patch)
    for part in ("hosts", "groups", "defaults"):
        (tmp / f"{part}.yaml").write_text(yaml.safe_dump(inventory[part], sort_keys=False))
    return load_design(tmp)


def _crypto(**values: Any) -> dict[str, Any]:
    return {"groups": {"cloud": {"data": {"dmvpn": {"clouds": {"C1": {"crypto": values}}}}}}}


def test_ikev2_dpd_default_and_configurable(tmp_path: Path) -> None:
    assert " dpd 10 3 on-demand\n" in render_config(load_design(INVENTORY), "spoke1")
    tuned = _design(tmp_path, _crypto(dpd={"interval": 20, "retry": 4, "mode": "periodic"}))
    assert " dpd 20 4 periodic\n" in render_config(tuned, "hub1")


def test_dpd_off_when_asked(tmp_path: Path) -> None:
    config = render_config(_design(tmp_path, _crypto(dpd=None)), "spoke1")
    assert "dpd" not in config and "keepalive" not in config


def test_ikev1_keepalive_is_global_and_hides_on_demand(tmp_path: Path) -> None:
    config = render_config(load_design(EXAMPLES / "ikev1-phase2-ospf"), "spoke1")
    assert "\ncrypto isakmp keepalive 10 3\n" in config  # on-demand is IOS's default: not printed
    periodic = _design(tmp_path, _crypto(type="ikev1", dpd={"mode": "periodic"}))
    assert "\ncrypto isakmp keepalive 10 3 periodic\n" in render_config(periodic, "spoke1")


def test_registration_no_unique_only_on_dhcp_spokes() -> None:
    design = load_design(INVENTORY)
    assert " ip nhrp registration no-unique\n" in render_config(design, "spoke4")  # DHCP spoke
    for host in ("hub1", "spoke1"):
        assert "no-unique" not in render_config(design, host)


@pytest.mark.parametrize("key,value", [(k, d.value) for k, d in IOS_DEFAULTS.items()])
def test_defaults_table_hides_only_the_default(key: str, value: object) -> None:
    assert not shown(key, value)
    assert IOS_DEFAULTS[key].source


def test_hidden_defaults_not_rendered(tmp_path: Path) -> None:
    default = _design(tmp_path, {"groups": {"cloud": {"data": {"dmvpn": {"clouds": {"C1": {
        "hold_time": 7200, "crypto": {"lifetime": 86400}}}}}}}})
    config = render_config(default, "hub1")
    assert "lifetime" not in config and "ip nhrp holdtime" not in config
    (tmp_path / "b").mkdir()
    other = _design(tmp_path / "b", {"groups": {"cloud": {"data": {"dmvpn": {"clouds": {"C1": {
        "hold_time": 600, "crypto": {"lifetime": 3600}}}}}}}})
    config = render_config(other, "hub1")
    assert " lifetime 3600\n" in config and " ip nhrp holdtime 600\n" in config


def test_dual_cloud_keys_per_hub_address_on_spokes_wildcard_on_hubs() -> None:
    design = load_design(EXAMPLES / "dual-cloud-per-cloud-psk")
    spoke = render_config(design, "branch1", reveal_secrets=True)
    psk, other = (design.hosts["hub-gold"].tunnels[0].spec.crypto.psk,
                  design.hosts["hub-silver"].tunnels[0].spec.crypto.psk)
    assert psk is not None and other is not None
    assert f" peer hub-gold\n  address 198.51.100.41\n  pre-shared-key {psk.reveal()}\n" in spoke
    assert f" peer hub-silver\n  address 198.51.100.42\n  pre-shared-key {other.reveal()}\n" in spoke
    assert "peer ANY" not in spoke  # phase 1: spokes only ever talk to the hubs
    assert spoke.count("crypto ikev2 profile") == 1  # one profile per identity scope
    hub = render_config(design, "hub-silver", reveal_secrets=True)
    assert f" peer ANY\n  address 0.0.0.0 0.0.0.0\n  pre-shared-key {other.reveal()}\n" in hub
    assert psk.reveal() not in hub


def test_two_unshared_clouds_in_one_vrf_use_one_ike_profile(tmp_path: Path) -> None:
    c2 = {"tunnel": 200, "subnet": "172.16.200.0/24", "network_id": 200, "tunnel_key": 200,
          "nhrp_auth": "env:DMVPN_NHRP_AUTH", "phase": 3, "routing": {"protocol": "eigrp", "as_number": 100},
          "crypto": {"type": "ikev2", "psk": "env:DMVPN_PSK", "mode": "transport"}}
    hosts = {h: {"data": {"dmvpn": {"underlay": [
        {"interface": "GigabitEthernet1", "address": f"{n}/24", "gateway": n.rsplit(".", 1)[0] + ".254"},
        {"interface": "GigabitEthernet3", "address": f"10.{i}.0.1/24", "gateway": f"10.{i}.0.254"}],
        "clouds": {"C2": {"tunnel_ip": f"172.16.200.{i}", "source": "GigabitEthernet3"}}}}}
        for h, i, n in (("hub1", 1, "198.51.100.1"), ("hub2", 2, "198.51.100.2"),
                        ("spoke1", 11, "203.0.113.11"), ("spoke2", 12, "203.0.113.12"))}
    design = _design(tmp_path, {"groups": {"cloud": {"data": {"dmvpn": {"clouds": {"C2": c2}}}}},
                                "hosts": hosts})
    config = render_config(design, "spoke1")
    assert config.count("crypto ikev2 profile ") == 1 and config.count("match identity remote address") == 1
    assert config.count("set ikev2-profile DMVPN-GLOBAL-IKE") == 2  # both IPsec profiles use it


@pytest.mark.lab
@pytest.mark.parametrize("rendered", [True, False], ids=["no-unique", "without-it"])
def test_dhcp_spoke_re_registers_at_once_after_an_address_change(rendered: bool) -> None:
    """With no-unique the hub takes the DHCP spoke's new NBMA at once; without it, only after the hold time."""
    from dmvpn_ops.lab.api import Lab

    design = load_design(INVENTORY)
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    if not rendered:
        configs["spoke4"] = configs["spoke4"].replace(" ip nhrp registration no-unique\n", "")
    with Lab(design, ports="free") as lab:
        assert lab.configure_many(configs) == {h: [] for h in design.hosts}
        lab.advance(30)
        lab.fault("nbma-change", "spoke4")
        lab.advance(60)  # well inside the 300 s hold time
        row = [ln.split() for ln in lab.run("hub1", "show dmvpn").splitlines() if " 172.16.100.14 " in ln]
    assert row and row[0][3] == "UP"
    assert (row[0][1] != "192.0.2.44") is rendered  # the new public NBMA, or still the old one
