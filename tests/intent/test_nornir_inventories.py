"""Any Nornir inventory plugin drives the stages: SimpleInventory and nornir-ansible's AnsibleInventory.

The demo inventory is written out as a Nornir config over SimpleInventory and as an Ansible inventory
(YAML and INI, host_vars/group_vars carrying ``dmvpn:``), each with a core switch that has no DMVPN intent.
Both give the same design as ``load_design``; on the emulator both lint, deploy and verify clean, and the
core switch (a listening socket that counts connections) is never contacted.
"""
from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from nornir import InitNornir
from nornir.core.filter import F

from dmvpn_ops.deploy import DeployOptions, deploy
from dmvpn_ops.intent import Design, IntentSource, design_from_nornir, load_design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.lint import run_rules
from dmvpn_ops.verify import verify
from tests.conftest import INVENTORY


def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((INVENTORY / name).read_text()) or {}


def _simple(target: Path, ports: dict[str, int], core_port: int) -> Path:
    """The demo as SimpleInventory files plus a core switch, and a Nornir config.yaml over them."""
    target.mkdir(parents=True, exist_ok=True)
    hosts = _load("hosts.yaml")
    for name, port in ports.items():
        hosts[name]["port"] = port
    hosts["core1"] = {"hostname": "127.0.0.1", "port": core_port, "data": {"site": "dc1", "role": "core"}}
    (target / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    for name in ("groups.yaml", "defaults.yaml"):
        (target / name).write_text((INVENTORY / name).read_text())
    config = target / "config.yaml"
    config.write_text(yaml.safe_dump({
        "inventory": {"plugin": "SimpleInventory", "options": {
            "host_file": str(target / "hosts.yaml"), "group_file": str(target / "groups.yaml"),
            "defaults_file": str(target / "defaults.yaml")}},
        "runner": {"plugin": "threaded", "options": {"num_workers": 10}},
        "logging": {"enabled": False}}))
    return config


def _ansible(target: Path, ports: dict[str, int], core_port: int, *, ini: bool = False) -> Path:
    """The demo as an Ansible inventory: groups as children, vars in host_vars/ and group_vars/."""
    hosts, groups, defaults = _load("hosts.yaml"), _load("groups.yaml"), _load("defaults.yaml")
    (target / "host_vars").mkdir(parents=True, exist_ok=True)
    (target / "group_vars").mkdir(exist_ok=True)
    for name, entry in hosts.items():
        host_vars = {"ansible_host": "127.0.0.1", "ansible_port": ports.get(name, entry.get("port")),
                     **(entry.get("data") or {})}
        (target / "host_vars" / f"{name}.yml").write_text(yaml.safe_dump(host_vars))
    for name, entry in groups.items():
        (target / "group_vars" / f"{name}.yml").write_text(yaml.safe_dump(entry.get("data") or {}))
    everyone = {"ansible_user": defaults["username"], "ansible_password": defaults["password"],
                "platform": defaults["platform"], "connection_options": defaults["connection_options"]}
    (target / "group_vars" / "all.yml").write_text(yaml.safe_dump(everyone))
    members = {g: [h for h, e in hosts.items() if g in (e.get("groups") or [])] for g in groups}
    children = {g: [c for c, e in groups.items() if g in (e.get("groups") or [])] for g in groups}
    if ini:
        lines = ["[core]", f"core1 ansible_host=127.0.0.1 ansible_port={core_port}", ""]
        for group in groups:
            lines += [f"[{group}]", *members[group], ""]
            if children[group]:
                lines += [f"[{group}:children]", *children[group], ""]
        path = target / "hosts.ini"
        path.write_text("\n".join(lines))
    else:
        def node(group: str) -> dict[str, Any]:
            out: dict[str, Any] = {}
            if members[group]:
                out["hosts"] = dict.fromkeys(members[group])
            if children[group]:
                out["children"] = {c: node(c) for c in children[group]}
            return out

        top = [g for g, e in groups.items() if not e.get("groups")]
        tree = {"all": {"children": {**{g: node(g) for g in top},
                                     "core": {"hosts": {"core1": {"ansible_host": "127.0.0.1",
                                                                  "ansible_port": core_port,
                                                                  "site": "dc1"}}}}}}
        path = target / "hosts.yml"
        path.write_text(yaml.safe_dump(tree))
    config = target / "config.yaml"
    config.write_text(yaml.safe_dump({
        "inventory": {"plugin": "AnsibleInventory", "options": {"hostsfile": str(path)}},
        "logging": {"enabled": False}}))
    return config


class Listener:
    """The core switch: a loopback socket that only counts who connects (nobody should)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.setblocking(False)
        self.port = int(self.sock.getsockname()[1])

    def connections(self) -> int:
        count = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1


@pytest.fixture
def core() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.sock.close()


def _essence(design: Design) -> dict[str, Any]:
    """What the stages read from the design (secrets revealed so equal references compare equal)."""
    return {name: (host.model_dump(mode="json", exclude={"password", "enable_secret"}),
                   host.password.reveal() if host.password else None,
                   host.enable_secret.reveal() if host.enable_secret else None)
            for name, host in design.hosts.items()}


KINDS = ["simple", "ansible-yaml", "ansible-ini"]


def _config(kind: str, target: Path, ports: dict[str, int], core_port: int) -> Path:
    if kind == "simple":
        return _simple(target, ports, core_port)
    return _ansible(target, ports, core_port, ini=kind == "ansible-ini")


@pytest.mark.parametrize("kind", KINDS)
def test_any_plugin_gives_the_same_design(kind: str, tmp_path: Path, core: Listener,
                                          caplog: pytest.LogCaptureFixture) -> None:
    """Nornir's own group resolution plus the deep merge of data.dmvpn: the design of the YAML folder."""
    demo = load_design(INVENTORY)
    ports = {name: host.port for name, host in demo.hosts.items()}
    nr = InitNornir(config_file=str(_config(kind, tmp_path, ports, core.port)))
    assert "core1" in nr.inventory.hosts
    with caplog.at_level(logging.DEBUG, logger="dmvpn_ops.intent.load"):
        design = design_from_nornir(nr)
    assert set(design.hosts) == set(demo.hosts)  # the core switch is not part of the design
    demo_essence = _essence(demo)
    for name, fields in _essence(design).items():
        assert fields == demo_essence[name], name
    ignored = [r.getMessage() for r in caplog.records if "without data.dmvpn" in r.getMessage()]
    assert len(ignored) == 1 and "core1" in ignored[0]
    assert run_rules(design) == run_rules(demo)


def test_simple_inventory_config_errors_name_the_file_that_set_the_field(tmp_path: Path, core: Listener) -> None:
    config = _simple(tmp_path, {}, core.port)
    groups = yaml.safe_load((tmp_path / "groups.yaml").read_text())
    groups["dmvpn_cloud"]["data"]["dmvpn"]["clouds"]["DMVPN1"]["phase"] = "four"
    (tmp_path / "groups.yaml").write_text(yaml.safe_dump(groups))
    with pytest.raises(Exception) as caught:
        design_from_nornir(InitNornir(config_file=str(config)))
    message = str(caught.value)
    assert str(tmp_path / "groups.yaml") in message and "clouds.DMVPN1.phase" in message
    assert getattr(caught.value, "exit_code", None) == 2


def test_ansible_errors_name_host_and_field(tmp_path: Path, core: Listener) -> None:
    """No file Nornir tells us about: the message names the host and the field, exit 2."""
    config = _ansible(tmp_path, {}, core.port)
    spoke = yaml.safe_load((tmp_path / "host_vars" / "spoke2.yml").read_text())
    spoke["dmvpn"]["clouds"]["DMVPN1"]["tunnel_ip"] = "not-an-address"
    (tmp_path / "host_vars" / "spoke2.yml").write_text(yaml.safe_dump(spoke))
    with pytest.raises(Exception) as caught:
        design_from_nornir(InitNornir(config_file=str(config)))
    assert getattr(caught.value, "exit_code", None) == 2
    assert getattr(caught.value, "host", None) == "spoke2"
    assert getattr(caught.value, "field", None) == "data.dmvpn.clouds.DMVPN1.tunnel_ip"
    assert "file " not in str(caught.value)


def test_ansible_port_of_the_wrong_type_is_bad_input(tmp_path: Path, core: Listener) -> None:
    config = _ansible(tmp_path, {}, core.port)
    hub = yaml.safe_load((tmp_path / "host_vars" / "hub1.yml").read_text())
    hub["ansible_port"] = "twenty-two"
    (tmp_path / "host_vars" / "hub1.yml").write_text(yaml.safe_dump(hub))
    with pytest.raises(Exception) as caught:
        design_from_nornir(InitNornir(config_file=str(config)))
    assert getattr(caught.value, "exit_code", None) == 2
    assert caught.value.host == "hub1" and caught.value.field == "port"  # type: ignore[attr-defined]


def test_secret_references_resolve_whatever_the_plugin(tmp_path: Path, core: Listener,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A file: reference in group_vars resolves like in groups.yaml; a missing env: names host and field."""
    secret = tmp_path / "psk.txt"
    secret.write_text("Psk-from-a-file-42\n")
    secret.chmod(0o600)
    config = _ansible(tmp_path / "inv", {}, core.port)
    cloud = yaml.safe_load((tmp_path / "inv" / "group_vars" / "dmvpn_cloud.yml").read_text())
    cloud["dmvpn"]["clouds"]["DMVPN1"]["crypto"]["psk"] = f"file:{secret}"
    (tmp_path / "inv" / "group_vars" / "dmvpn_cloud.yml").write_text(yaml.safe_dump(cloud))
    design = design_from_nornir(InitNornir(config_file=str(config)))
    psk = design.hosts["spoke1"].tunnels[0].spec.crypto.psk
    assert psk is not None and psk.reveal() == "Psk-from-a-file-42"
    monkeypatch.delenv("DMVPN_SSH_PASSWORD")
    with pytest.raises(Exception) as caught:
        design_from_nornir(InitNornir(config_file=str(config)))
    assert "DMVPN_SSH_PASSWORD" in str(caught.value) and caught.value.field == "password"  # type: ignore[attr-defined]


def test_a_simple_inventory_without_any_dmvpn_host_is_bad_input(tmp_path: Path, cli: Any) -> None:
    (tmp_path / "hosts.yaml").write_text(yaml.safe_dump({"core1": {"data": {"site": "dc1"}}}))
    result = cli("lint", "-i", str(tmp_path))
    assert result.code == 2 and "no host has data.dmvpn" in result.err and "Traceback" not in result.text


def test_nornir_config_option_lints_and_renders(tmp_path: Path, core: Listener, cli: Any) -> None:
    config = _ansible(tmp_path, {}, core.port)
    result = cli("lint", "--nornir-config", str(config), "--format", "json")
    assert result.code == 0, result.text
    report = json.loads(result.out)
    assert report["summary"]["hosts"] == 6 and report["inventory"] == str(config)
    rendered = cli("render", "--nornir-config", str(config), "--limit", "spoke1")
    assert rendered.code == 0 and "interface Tunnel100" in rendered.out and "core1" not in rendered.out
    missing = cli("verify", "--nornir-config", str(tmp_path / "nope.yaml"))
    assert missing.code == 2 and "nope.yaml" in missing.err and "--nornir-config" in missing.err


@pytest.mark.lab
@pytest.mark.parametrize("kind", ["simple", "ansible-yaml"])
def test_lint_deploy_verify_on_the_emulator(kind: str, tmp_path: Path, core: Listener) -> None:
    demo = load_design(INVENTORY)
    with Lab(demo, ports="free") as lab:
        source = IntentSource(nornir_config=_config(kind, tmp_path / "inv", lab.ports(), core.port))
        design = source.design()
        assert not [f for f in run_rules(design) if f.severity.value == "error"]
        nornir = source.nornir(design, extras={"conn_timeout": 10})
        assert set(nornir.inventory.hosts) == set(demo.hosts)
        first = deploy(design, nornir, DeployOptions(state_dir=tmp_path / "state", timeout=10))
        assert first.exit_code == 0, {h: (r.status, r.reason) for h, r in first.hosts.items()}
        assert "core1" not in first.hosts
        lab.advance(30)
        result = verify(design, nornir, mode="full", read_timeout=10)
        assert result.exit_code == 0, [f.to_dict() for f in result.findings]
        assert "core1" not in result.hosts
        hubs = verify(design, nornir.filter(F(groups__contains="hubs")), mode="full", read_timeout=10)
        statuses = {name: status.selected for name, status in hubs.hosts.items()}
        assert statuses == {name: name.startswith("hub") for name in demo.hosts}
        assert not [f for f in hubs.findings if f.code == "DEVICE_UNREACHABLE"]
        nornir.close_connections()
    assert core.connections() == 0


@pytest.mark.lab
def test_cli_verify_with_nornir_config(tmp_path: Path, core: Listener, cli: Any) -> None:
    """``dmvpn-ops deploy`` and ``verify --nornir-config`` over an Ansible inventory, the core switch untouched."""
    demo = load_design(INVENTORY)
    with Lab(demo, ports="free") as lab:
        config = _ansible(tmp_path / "inv", lab.ports(), core.port)
        state = str(tmp_path / "state")
        pushed = cli("deploy", "--nornir-config", str(config), "--state-dir", state, "--format", "json")
        assert pushed.code == 0, pushed.text
        assert "core1" not in pushed.out and str(config) in pushed.err
        lab.advance(30)
        checked = cli("verify", "--nornir-config", str(config), "--state-dir", state, "--mode", "full",
                      "--limit", "spokes,!spoke3", "--format", "json")
        assert checked.code == 0, checked.text
        assert "core1" not in checked.out
    assert core.connections() == 0


@pytest.mark.lab
def test_playbooks_take_a_nornir_config(tmp_path: Path, core: Listener) -> None:
    """tasks/deploy.py and tasks/verify.py run as an operator runs them, over an Ansible inventory."""
    import os
    import subprocess
    import sys

    tasks = Path(__file__).resolve().parents[2] / "tasks"

    def play(name: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(tasks / name), *args], capture_output=True, text=True,
                              timeout=120, env={**os.environ, "COLUMNS": "160"})

    demo = load_design(INVENTORY)
    with Lab(demo, ports="free") as lab:
        config = str(_ansible(tmp_path / "inv", lab.ports(), core.port, ini=True))
        pushed = play("deploy.py", "--nornir-config", config, "--state-dir", str(tmp_path / "state"))
        assert pushed.returncode == 0, pushed.stdout + pushed.stderr
        assert "core1" not in pushed.stdout
        lab.advance(30)
        checked = play("verify.py", "--nornir-config", config, "--format", "json")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert '"edges_up": 8' in checked.stdout and "asking 6 devices" in checked.stdout
        assert "core1" not in checked.stdout
    assert core.connections() == 0


@pytest.mark.parametrize("verb", [["lint"], ["render"], ["deploy", "--dry-run"], ["verify"],
                                  ["health", "--history", "hist"], ["rollback", "--host", "hub1", "--dry-run"]])
def test_every_intent_verb_takes_nornir_config(verb: list[str], tmp_path: Path, cli: Any) -> None:
    """A config Nornir cannot load is exit 2 naming the file and the option, on every verb that reads the intent."""
    broken = tmp_path / "config.yaml"
    broken.write_text(yaml.safe_dump({"inventory": {"plugin": "NoSuchInventoryPlugin"}, "logging": {"enabled": False}}))
    result = cli(*verb, "--nornir-config", str(broken))
    assert result.code == 2, result.text
    assert str(broken) in " ".join(result.err.split()) and "--nornir-config" in result.err
    assert "Traceback" not in result.text


def test_dmvpn_data_in_the_defaults_does_not_make_the_core_switch_a_router(tmp_path: Path, core: Listener) -> None:
    config = _simple(tmp_path, {}, core.port)
    defaults = yaml.safe_load((tmp_path / "defaults.yaml").read_text())
    defaults["data"] = {"dmvpn": {"unique_secrets_per_cloud": False, "ios_version": "17.9.4"}}
    (tmp_path / "defaults.yaml").write_text(yaml.safe_dump(defaults))
    design = design_from_nornir(InitNornir(config_file=str(config)))
    assert "core1" not in design.hosts and len(design.hosts) == 6
    assert str(design.hosts["spoke1"].ios_version).startswith("17.9")  # the defaults still apply to DMVPN hosts
