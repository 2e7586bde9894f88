"""Intent loading: the Nornir way of merging, typed values, secrets resolved but never shown."""
from __future__ import annotations

from ipaddress import IPv4Address

from dmvpn_ops.intent import load_design
from dmvpn_ops.secrets import MASK, mask
from tests.conftest import EXAMPLES, INVENTORY, TEST_SECRETS


def test_demo_design_shape() -> None:
    design = load_design(INVENTORY)
    assert design.hub_names == ["hub1", "hub2"]
    assert design.spoke_names == ["spoke1", "spoke2", "spoke3", "spoke4"]
    cloud = design.clouds["DMVPN1"]
    assert len(cloud) == 6
    spec = cloud[0][1].spec
    assert (spec.phase, spec.routing.protocol, spec.crypto.type) == (3, "eigrp", "ikev2")


def test_host_overrides_group_deeply() -> None:
    """spoke4 overrides only crypto.mode; the rest of crypto comes from the group."""
    design = load_design(INVENTORY)
    spoke4 = design.hosts["spoke4"].tunnel_for("DMVPN1")
    spoke1 = design.hosts["spoke1"].tunnel_for("DMVPN1")
    assert spoke4 is not None and spoke1 is not None
    assert spoke4.spec.crypto.mode == "tunnel"
    assert spoke1.spec.crypto.mode == "transport"
    assert spoke4.spec.crypto.psk is not None and spoke4.spec.crypto.psk.ref == "env:DMVPN_PSK"


def test_nat_and_dhcp_spoke() -> None:
    tunnel = load_design(INVENTORY).hosts["spoke4"].tunnels[0]
    assert tunnel.nbma == "dhcp"
    assert tunnel.nat is True
    assert tunnel.public_nbma == IPv4Address("192.0.2.44")


def test_nhs_derived_from_every_hub() -> None:
    design = load_design(INVENTORY)
    host = design.hosts["spoke1"]
    mappings = design.nhs_for(host, host.tunnels[0])
    assert [(str(m.tunnel_ip), str(m.nbma)) for m in mappings] == [
        ("172.16.100.1", "198.51.100.1"), ("172.16.100.2", "198.51.100.2")]


def test_dual_cloud_host_has_two_tunnels() -> None:
    design = load_design(EXAMPLES / "phase3-bgp-dual-cloud")
    spoke = design.hosts["spoke1"]
    assert [t.interface for t in spoke.tunnels] == ["Tunnel101", "Tunnel102"]
    assert [h.name for h, _ in design.hubs("RED")] == ["hub-red"]


def test_secrets_resolved_but_not_in_repr() -> None:
    design = load_design(INVENTORY)
    psk = design.hosts["hub1"].tunnels[0].spec.crypto.psk
    assert psk is not None and psk.reveal() == TEST_SECRETS["DMVPN_PSK"]
    assert TEST_SECRETS["DMVPN_PSK"] not in repr(design)
    assert TEST_SECRETS["DMVPN_PSK"] not in str(psk)
    assert mask(f"key {TEST_SECRETS['DMVPN_PSK']} end") == f"key {MASK} end"


def test_offline_load_without_secrets(monkeypatch) -> None:
    monkeypatch.delenv("DMVPN_PSK")
    design = load_design(INVENTORY, require_secrets=False)
    psk = design.hosts["hub1"].tunnels[0].spec.crypto.psk
    assert psk is not None and not psk.resolved
