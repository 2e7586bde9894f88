"""Ansible `cisco.ios` resource modules over `ansible.netcommon.network_cli` against the lab, in a real
ansible-playbook process: `ios_facts` with `gather_network_resources`, `state: gathered` per resource, and one
`state: merged` change run twice (the second run must report `changed: false`, as on a real router).

The modules read the running config through output filters (`show running-config | section ^interface`,
`| section ^router bgp`, `| include ^ip route .+ |^ipv6 route .+`, ...), so these tests also examine the
emulator's pipes; gathered values are compared with the lab's intent (addresses, descriptions, ASN, neighbours).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

pytestmark = [pytest.mark.lab,
              pytest.mark.skipif(shutil.which("ansible-playbook") is None, reason="ansible-playbook not installed")]
REPO = Path(__file__).resolve().parents[2]
BGP_EXAMPLE, BGP_HOST = "inventory/examples/phase3-bgp-dual-cloud", "hub-red"
OSPF_EXAMPLE, OSPF_HOST = "inventory/examples/phase1-ospf-single-hub", "hub"
VRF_EXAMPLE, VRF_HOST = "inventory/examples/fvrf-nat-spoke", "hub1"
MERGED = {"name": "Loopback1", "description": "set by ansible merged"}
ROUTE = ("10.250.0.0/16", "172.16.101.11")      # a branch prefix via spoke1's tunnel address
# operators' management ACLs next to the DMVPN config (ios_acls reads `show access-lists | include access list`)
ACLS = ("ip access-list extended MGMT-IN\n permit tcp host 192.0.2.10 any eq 22\n deny ip any any log\n"
        "ip access-list standard SNMP-RO\n permit 192.0.2.0 0.0.0.255\n")


def _gathered(module: str) -> dict[str, Any]:
    return {"name": f"gathered {module}", f"cisco.ios.{module}": {"state": "gathered"}, "register": module}


def _merged() -> list[dict[str, Any]]:
    change = {"cisco.ios.ios_interfaces": {"config": [MERGED], "state": "merged"}}
    route = {"cisco.ios.ios_static_routes": {"config": [{"address_families": [{"afi": "ipv4", "routes": [
        {"dest": ROUTE[0], "next_hops": [{"forward_router_address": ROUTE[1]}]}]}]}], "state": "merged"}}
    return [dict(change, name="merged", register="merged"), dict(change, name="merged again", register="merged_again"),
            dict(route, name="route", register="route"), dict(route, name="route again", register="route_again")]


def _playbook(resources: list[str], modules: list[str], merge: bool) -> list[dict[str, Any]]:
    """One play: facts with the resources, a gathered task per module, the merged pair, a results file."""
    tasks: list[dict[str, Any]] = [
        {"name": "facts", "cisco.ios.ios_facts": {"gather_subset": ["min"], "gather_network_resources": resources},
         "register": "facts"}]
    tasks += [_gathered(m) for m in modules]
    tasks += _merged() if merge else []
    registered = ["facts"] + modules + (["merged", "merged_again", "route", "route_again"] if merge else [])
    content = "{{ {" + ", ".join(f"'{r}': {r}" for r in registered) + "} | to_nice_json }}"
    tasks.append({"name": "results for the test", "ansible.builtin.copy": {
        "content": content, "dest": "{{ out_dir }}/results.json"}, "delegate_to": "localhost"})
    return [{"hosts": "lab", "gather_facts": False, "tasks": tasks}]


def _play(example: str, host: str, out: Path, play: list[dict[str, Any]],
          extra: str = "") -> tuple[Design, Lab, dict[str, Any]]:
    """Start the example's lab, configure it from intent (plus ``extra`` on ``host``), run ansible-playbook on
    ``host``; the caller stops the lab."""
    design = load_design(str(REPO / example))
    lab = Lab(design, ports="free").start()
    try:
        lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
        if extra:
            assert lab.configure(host, extra) == []
        spec = design.hosts[host]
        assert spec.password is not None and spec.enable_secret is not None
        inventory = {"all": {"children": {"lab": {"hosts": {host: {
            "ansible_host": "127.0.0.1", "ansible_port": lab.port(host), "ansible_user": spec.username,
            "ansible_password": spec.password.reveal(), "ansible_connection": "ansible.netcommon.network_cli",
            "ansible_network_os": "cisco.ios.ios", "ansible_network_cli_ssh_type": "paramiko",
            "ansible_become": True, "ansible_become_method": "enable",
            "ansible_become_password": spec.enable_secret.reveal(), "out_dir": str(out)}}}}}}
        (out / "inventory.yml").write_text(yaml.safe_dump(inventory))
        (out / "play.yml").write_text(yaml.safe_dump(play, sort_keys=False))
        env = dict(os.environ, ANSIBLE_HOST_KEY_CHECKING="False", ANSIBLE_LOCAL_TEMP=str(out / "tmp"),
                   ANSIBLE_PERSISTENT_CONTROL_PATH_DIR=str(out / "pc"), ANSIBLE_NOCOLOR="1",
                   ANSIBLE_PERSISTENT_COMMAND_TIMEOUT="60", ANSIBLE_DEPRECATION_WARNINGS="False")
        done = subprocess.run(["ansible-playbook", "-i", str(out / "inventory.yml"), str(out / "play.yml")],
                              env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
        return design, lab, json.loads((out / "results.json").read_text())
    except BaseException:
        lab.stop()
        raise


@pytest.fixture(scope="module")
def bgp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Design, Lab, dict[str, Any]]]:
    play = _playbook(["interfaces", "l3_interfaces", "static_routes", "bgp_global", "bgp_address_family"],
                     ["ios_interfaces", "ios_l3_interfaces", "ios_static_routes", "ios_bgp_global", "ios_acls"],
                     merge=True)
    design, lab, results = _play(BGP_EXAMPLE, BGP_HOST, tmp_path_factory.mktemp("ansible-bgp"), play, ACLS)
    yield design, lab, results
    lab.stop()


def _by_name(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in items}


def test_gathered_interfaces_are_the_running_config(bgp: tuple[Design, Lab, dict[str, Any]]) -> None:
    design, _, results = bgp
    spec = design.hosts[BGP_HOST]
    gathered = _by_name(results["ios_interfaces"]["gathered"])
    tunnel = spec.tunnels[0]
    assert set(gathered) == {"Loopback1", tunnel.interface, tunnel.source}
    assert gathered[tunnel.interface]["description"] == "DMVPN RED hub (phase 3)"
    assert "description" not in gathered["Loopback1"]          # gathered before the merged task
    assert results["facts"]["ansible_facts"]["ansible_network_resources"]["interfaces"] == \
        results["ios_interfaces"]["gathered"]


def test_gathered_l3_addresses(bgp: tuple[Design, Lab, dict[str, Any]]) -> None:
    design, _, results = bgp
    tunnel = design.hosts[BGP_HOST].tunnels[0]
    gathered = _by_name(results["ios_l3_interfaces"]["gathered"])
    assert gathered[tunnel.interface]["ipv4"] == [{"address": f"{tunnel.tunnel_ip}/24"}, {"mtu": 1400}]
    assert gathered["Loopback1"]["ipv4"] == [{"address": "10.101.0.1/24"}]
    assert gathered[tunnel.source]["ipv4"] == [{"address": "198.51.100.21/24"}]


def test_gathered_static_routes(bgp: tuple[Design, Lab, dict[str, Any]]) -> None:
    _, _, results = bgp
    routes = results["ios_static_routes"]["gathered"]
    assert routes == [{"address_families": [{"afi": "ipv4", "routes": [
        {"dest": "0.0.0.0/0", "next_hops": [{"forward_router_address": "198.51.100.254"}]}]}]}]


def test_gathered_bgp(bgp: tuple[Design, Lab, dict[str, Any]]) -> None:
    _, _, results = bgp
    bgp_global = results["ios_bgp_global"]["gathered"]
    assert bgp_global["as_number"] == "65000"
    assert bgp_global["bgp"]["log_neighbor_changes"] is True
    assert bgp_global["bgp"]["listen"]["range"] == {"host_with_subnet": "172.16.101.0/24",
                                                     "peer_group": "RED-SPOKES"}
    neighbours = {n["neighbor_address"]: n for n in bgp_global["neighbors"]}
    # the collection's bgp_global template parses membership (`neighbor A peer-group G`), not the declaration
    assert neighbours == {"RED-SPOKES": {"neighbor_address": "RED-SPOKES", "remote_as": "65000"}}
    family = results["facts"]["ansible_facts"]["ansible_network_resources"]["bgp_address_family"]
    assert family["as_number"] == "65000"
    ipv4 = next(af for af in family["address_family"] if af["afi"] == "ipv4")
    assert ipv4["networks"] == [{"address": "10.101.0.0", "mask": "255.255.255.0"}]
    rr = {n["neighbor_address"]: n for n in ipv4["neighbors"]}["RED-SPOKES"]
    assert rr["activate"] and rr["route_reflector_client"]


def test_gathered_acls(bgp: tuple[Design, Lab, dict[str, Any]]) -> None:
    _, _, results = bgp
    (ipv4,) = results["ios_acls"]["gathered"]
    assert ipv4["afi"] == "ipv4"
    acls = {acl["name"]: acl for acl in ipv4["acls"]}
    assert set(acls) == {"MGMT-IN", "SNMP-RO"}
    assert acls["MGMT-IN"]["acl_type"] == "extended" and acls["SNMP-RO"]["acl_type"] == "standard"
    permit, deny = acls["MGMT-IN"]["aces"]
    assert permit["grant"] == "permit" and permit["protocol"] == "tcp"
    assert permit["source"] == {"host": "192.0.2.10"} and permit["destination"]["port_protocol"] == {"eq": "22"}
    assert deny["grant"] == "deny" and deny["log"] == {"set": True}
    (ro,) = acls["SNMP-RO"]["aces"]
    assert ro["source"] == {"address": "192.0.2.0", "wildcard_bits": "0.0.0.255"}


def test_merged_then_idempotent(bgp: tuple[Design, Lab, dict[str, Any]]) -> None:
    _, lab, results = bgp
    assert results["merged"]["changed"]
    # the collection's normalize_interface() spells loopbacks in lower case; IOS keywords are case-insensitive
    assert results["merged"]["commands"] == ["interface loopback1", f"description {MERGED['description']}"]
    assert not results["merged_again"]["changed"] and results["merged_again"]["commands"] == []
    assert f" description {MERGED['description']}" in lab.run(BGP_HOST, "show running-config interface Loopback1")


def test_merged_static_route_then_idempotent(bgp: tuple[Design, Lab, dict[str, Any]]) -> None:
    _, lab, results = bgp
    line = f"ip route 10.250.0.0 255.255.0.0 {ROUTE[1]}"
    assert results["route"]["changed"] and results["route"]["commands"] == [line]
    assert not results["route_again"]["changed"] and results["route_again"]["commands"] == []
    assert lab.run(BGP_HOST, "show running-config | include ^ip route").splitlines().count(line) == 1


@pytest.fixture(scope="module")
def ospf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Design, Lab, dict[str, Any]]]:
    play = _playbook(["ospfv2", "ospf_interfaces"], ["ios_ospfv2", "ios_ospf_interfaces"], merge=False)
    design, lab, results = _play(OSPF_EXAMPLE, OSPF_HOST, tmp_path_factory.mktemp("ansible-ospf"), play)
    yield design, lab, results
    lab.stop()


def test_gathered_ospfv2(ospf: tuple[Design, Lab, dict[str, Any]]) -> None:
    _, lab, results = ospf
    processes = results["ios_ospfv2"]["gathered"]["processes"]
    assert [p["process_id"] for p in processes] == [1]
    networks = {(n["address"], n["wildcard_bits"], n["area"]) for n in processes[0]["network"]}
    running = lab.run(OSPF_HOST, "show running-config | section ^router ospf")
    expected = {tuple(line.split()[1:3]) + (line.split()[4],) for line in running.splitlines()
                if line.startswith(" network ")}
    assert networks == expected and ("172.16.10.0", "0.0.0.255", "0") in networks
    assert results["facts"]["ansible_facts"]["ansible_network_resources"]["ospfv2"] == \
        results["ios_ospfv2"]["gathered"]


def test_gathered_ospf_interfaces(ospf: tuple[Design, Lab, dict[str, Any]]) -> None:
    design, _, results = ospf
    tunnel = design.hosts[OSPF_HOST].tunnels[0].interface
    gathered = _by_name(results["ios_ospf_interfaces"]["gathered"])
    ipv4 = gathered[tunnel]["address_family"][0]
    assert ipv4["afi"] == "ipv4" and ipv4["network"] == {"point_to_multipoint": True}


@pytest.fixture(scope="module")
def vrf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Design, Lab, dict[str, Any]]]:
    play = _playbook(["vrf_global", "vrf_interfaces", "l3_interfaces"],
                     ["ios_vrf_global", "ios_vrf_interfaces", "ios_l3_interfaces", "ios_static_routes"], merge=False)
    design, lab, results = _play(VRF_EXAMPLE, VRF_HOST, tmp_path_factory.mktemp("ansible-vrf"), play)
    yield design, lab, results
    lab.stop()


def test_gathered_vrfs(vrf: tuple[Design, Lab, dict[str, Any]]) -> None:
    design, _, results = vrf
    tunnel = design.hosts[VRF_HOST].tunnels[0]
    assert results["ios_vrf_global"]["gathered"]["vrfs"] == [{"name": "INET"}]
    members = {i["name"]: i.get("vrf_name") for i in results["ios_vrf_interfaces"]["gathered"]}
    assert members[tunnel.source] == "INET" and members[tunnel.interface] is None
    l3 = _by_name(results["ios_l3_interfaces"]["gathered"])
    underlay = design.hosts[VRF_HOST].underlay_for(tunnel.source)
    assert underlay is not None and underlay.gateway is not None
    assert l3[tunnel.source]["ipv4"] == [{"address": str(underlay.address)}]
    assert {"address": f"{tunnel.tunnel_ip}/24"} in l3[tunnel.interface]["ipv4"]
    # the front-door default route lives in the VRF: `ip route vrf INET 0.0.0.0 0.0.0.0 <gateway>`
    gateway = str(underlay.gateway)
    assert results["ios_static_routes"]["gathered"] == [{"vrf": "INET", "address_families": [{"afi": "ipv4", "routes": [
        {"dest": "0.0.0.0/0", "next_hops": [{"forward_router_address": gateway}]}]}]}]
