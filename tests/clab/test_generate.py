"""Generated labs: schema-valid, wired correctly, secret-free, and their inventory renders."""
from __future__ import annotations

import re
from collections.abc import Iterator
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import regex
import yaml

from dmvpn_ops.clab import KINDS, SPOKE_KINDS, generate_lab, rehearsal_ports
from dmvpn_ops.clab.kinds import HELPER
from dmvpn_ops.intent import load_design
from dmvpn_ops.render import render_config

from .conftest import EXAMPLES

ENV = {"CLAB_SSH_PASSWORD": "lab-pw-123", "CLAB_ENABLE_SECRET": "lab-en-456",
       "DMVPN_PSK": "psk-secret-789", "DMVPN_NHRP_AUTH": "nhrpauth"}
VARIANTS = [("cisco_iol", None), ("cisco_c8000v", None), ("cisco_iol", "frr")]


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[jsonschema.ValidationError]:
    """containerlab's patterns use \\p{L}/\\p{N} (Go RE2 classes) that `re` rejects."""
    if isinstance(instance, str) and not regex.search(pattern, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


def _validator(schema: dict) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": _pattern})
    return cls(schema)


@pytest.fixture(scope="module")
def labs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str | None], Any]:
    out = {}
    for inventory in EXAMPLES:
        for kind, spoke in VARIANTS:
            target = tmp_path_factory.mktemp(f"{inventory.name}-{kind}-{spoke}")
            out[(inventory.name, kind, spoke)] = generate_lab(inventory, target, kind=kind, spoke_kind=spoke)
    return out


CASES = [(inv.name, kind, spoke) for inv in EXAMPLES for kind, spoke in VARIANTS]


def _topology(lab: Any) -> dict:
    return yaml.safe_load(lab.topology_file.read_text(encoding="utf-8"))


def test_schema_patterns_need_regex(clab_schema: dict) -> None:
    text = str(clab_schema)
    assert r"\p{L}" in text
    with pytest.raises(re.error):
        re.compile(r"[\p{N}\p{L}]")
    assert regex.compile(r"[\p{N}\p{L}]")


def test_schema_rejects_a_bad_topology(clab_schema: dict) -> None:
    bad = {"name": "x", "topology": {"nodes": {"r1": {"kind": "cisco_iol", "mgmt-ipv4": "300.1.1.1"}},
                                     "links": [{"endpoints": ["r1:Ethernet0/1"]}]}}
    errors = list(_validator(clab_schema).iter_errors(bad))
    assert errors, "the vendored schema must catch a bad mgmt address and a one-ended link"


@pytest.mark.parametrize("case", CASES, ids=["-".join(str(p) for p in c) for c in CASES])
def test_topology_validates_against_containerlab_schema(labs: dict, clab_schema: dict, case: tuple) -> None:
    errors = sorted(_validator(clab_schema).iter_errors(_topology(labs[case])), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}[{index}]")


@pytest.mark.parametrize("case", CASES, ids=["-".join(str(p) for p in c) for c in CASES])
def test_what_the_schema_cannot_check(labs: dict, case: tuple) -> None:
    lab = labs[case]
    topo = _topology(lab)
    nodes = topo["topology"]["nodes"]
    assert [p for p, v in _walk(topo) if v is None] == []
    used: set[str] = set()
    for link in topo["topology"]["links"]:
        assert len(link["endpoints"]) == 2
        for endpoint in link["endpoints"]:
            node, _, ifname = endpoint.partition(":")
            assert node in nodes, endpoint
            profile = next((k for k in list(KINDS.values()) + list(SPOKE_KINDS.values())
                            if k.kind == nodes[node]["kind"] and k.image == nodes[node]["image"]), HELPER)
            assert re.match(profile.interface_pattern, ifname), f"{endpoint} does not fit {profile.kind}"
            assert ifname != profile.mgmt_interface
            assert endpoint not in used, f"{endpoint} wired twice"
            used.add(endpoint)
    subnet = IPv4Network(topo["mgmt"]["ipv4-subnet"])
    mgmt = [IPv4Address(n["mgmt-ipv4"]) for n in nodes.values()]
    assert len(mgmt) == len(set(mgmt)) and all(a in subnet for a in mgmt)
    assert subnet.network_address + 1 not in mgmt  # the bridge's own address
    for name, node in nodes.items():
        if "startup-config" in node:
            assert (lab.topology_file.parent / node["startup-config"]).is_file(), name
        for bind in node.get("binds", []):
            assert (lab.topology_file.parent / bind.split(":")[0]).is_file(), bind
    if case[1] == "cisco_iol" and case[2] is None:
        assert all(n["startup-config"].endswith(".partial.cfg") for n in nodes.values() if n["kind"] == "cisco_iol")


@pytest.mark.parametrize("case", CASES, ids=["-".join(str(p) for p in c) for c in CASES])
def test_no_secret_or_mask_in_any_file(labs: dict, case: tuple) -> None:
    for path in labs[case].files:
        text = path.read_text(encoding="utf-8")
        assert "*****" not in text, path
        for value in ENV.values():
            assert value not in text, path
        assert not re.search(r"(?m)^\s*(username \S+ .*secret|enable secret)", text), path


@pytest.mark.parametrize("case", CASES, ids=["-".join(str(p) for p in c) for c in CASES])
def test_lab_inventory_loads_renders_on_kind_interfaces(labs: dict, case: tuple,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    inventory = labs[case].out / "inventory"
    design = load_design(inventory)
    original = load_design(EXAMPLES[[i.name for i in EXAMPLES].index(case[0])], require_secrets=False)
    assert set(design.hosts) == set(original.hosts)
    topo = _topology(labs[case])
    for name, host in design.hosts.items():
        assert host.hostname == topo["topology"]["nodes"][name]["mgmt-ipv4"] and host.port == 22
        assert host.password is not None and host.password.ref == "env:CLAB_SSH_PASSWORD"
        if host.platform != "cisco_ios":
            continue
        config = render_config(design, name)
        kind = KINDS[case[1]]
        for up in host.underlay:
            assert re.match(kind.interface_pattern, up.interface)
            assert f"interface {up.interface}" in config
        for tunnel in host.tunnels:
            assert f"tunnel source {tunnel.source}" in config
        linked = {e.split(":", 1)[1] for link in topo["topology"]["links"] for e in link["endpoints"]
                  if e.startswith(f"{name}:")}
        physical = {i for i in re.findall(r"(?m)^interface (\S+)", config)
                    if not i.startswith(("Loopback", "Tunnel"))}
        assert physical <= linked, f"{name}: configured but not wired: {physical - linked}"
    ports = rehearsal_ports(inventory)
    assert len(set(ports.values())) == len(ports) and all(p > 1024 for p in ports.values())


def test_frr_spokes_get_nhrpd_and_strongswan(labs: dict) -> None:
    lab = labs[("phase3-bgp-dual-cloud", "cisco_iol", "frr")]
    conf = (lab.out / "configs" / "spoke1" / "frr.conf").read_text()
    assert "ip nhrp nhs 172.16.101.1 nbma 198.51.100.21" in conf and "ip nhrp shortcut" in conf
    assert "tunnel protection vici profile dmvpn-red" in conf
    swan = (lab.out / "configs" / "spoke1" / "swanctl.conf").read_text()
    assert "mode = transport" in swan and "version = 2" in swan
    node = _topology(lab)["topology"]["nodes"]["spoke1"]
    assert node["env"] == {"DMVPN_NHRP_AUTH": "${DMVPN_NHRP_AUTH}", "DMVPN_PSK": "${DMVPN_PSK}"}
    hosts = yaml.safe_load((lab.out / "inventory" / "hosts.yaml").read_text())
    assert hosts["spoke1"]["data"]["clab"]["deploy"] is False and hosts["hub-red"]["data"]["clab"]["deploy"]


def test_nat_and_dhcp_spokes_get_edges(labs: dict) -> None:
    topo = _topology(labs[("inventory", "cisco_iol", None)])
    nodes, links = topo["topology"]["nodes"], topo["topology"]["links"]
    assert ["spoke4:Ethernet0/1", "spoke4-nat:eth1"] in [l["endpoints"] for l in links]
    nat_exec = " ".join(nodes["spoke4-nat"]["exec"])
    assert "--to-source 192.0.2.44" in nat_exec and "dhcp-range" in nat_exec
    fvrf = _topology(labs[("fvrf-nat-spoke", "cisco_iol", None)])["topology"]["nodes"]
    assert "dhcp-range=198.18.1.10" in " ".join(fvrf["internet"]["exec"])  # DHCP spoke without NAT


def test_c8000v_startup_changes_license_and_reloads_once(labs: dict) -> None:
    lab = labs[("inventory", "cisco_c8000v", None)]
    text = (lab.out / "configs" / "hub1.partial.cfg").read_text()
    assert "license boot level network-advantage" in text and " action 2.2 reload" in text
    assert "interface GigabitEthernet2" in text and "interface GigabitEthernet1\n" not in text
    assert _topology(lab)["topology"]["nodes"]["hub1"]["kind"] == "cisco_c8000v"


def test_iol_interface_numbering_groups_of_four() -> None:
    names = KINDS["cisco_iol"].data_interfaces(8)
    assert names == ["Ethernet0/1", "Ethernet0/2", "Ethernet0/3", "Ethernet1/0", "Ethernet1/1",
                     "Ethernet1/2", "Ethernet1/3", "Ethernet2/0"]
    assert KINDS["cisco_c8000v"].data_interfaces(2) == ["GigabitEthernet2", "GigabitEthernet3"]


def test_generation_is_deterministic(tmp_path: Path) -> None:
    a = generate_lab(EXAMPLES[0], tmp_path / "a")
    b = generate_lab(EXAMPLES[0], tmp_path / "b")
    for fa, fb in zip(sorted(a.files), sorted(b.files)):
        assert fa.read_bytes() == fb.read_bytes()
