"""`--nornir-config FILE` on the lab verbs and `clab generate`, through the CLI.

The demo cloud as a Nornir config over SimpleInventory and over nornir-ansible's AnsibleInventory, each
with a core switch that has no DMVPN intent (a loopback socket counting connections: nobody may connect).
The lab started with a config is keyed by that file, so the connecting verbs given the same config find it.
"""
from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
import yaml

from dmvpn_ops.intent import load_design
from tests.conftest import INVENTORY
from tests.intent.test_nornir_inventories import Listener, _config, core  # noqa: F401 - core is a fixture


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ports() -> dict[str, int]:
    return {name: _free_port() for name in load_design(INVENTORY).hosts}


def _text(result: Any) -> str:
    return " ".join(result.text.split())


@pytest.mark.lab
@pytest.mark.parametrize("kind", ["simple", "ansible-yaml"])
def test_lab_verbs_take_a_nornir_config(kind: str, tmp_path: Path, core: Listener, cli: Any) -> None:  # noqa: F811
    ports = _ports()
    config = str(_config(kind, tmp_path / "inv", ports, core.port))
    up = cli("lab", "up", "--nornir-config", config)
    assert up.code == 0, up.text
    try:
        assert "6 routers" in up.out
        status = cli("lab", "status", "--nornir-config", config)
        assert status.code == 0, status.text
        for name, port in ports.items():
            assert f"{name}" in status.out and f"127.0.0.1:{port}" in status.out
        assert "core1" not in status.out
        fault = cli("lab", "fault", "refuse-login", "spoke*,!spoke3", "--nornir-config", config)
        assert fault.code == 0 and "refuse-login injected on spoke1, spoke2, spoke4" in fault.out, fault.text
        faulted = cli("lab", "status", "--nornir-config", config).out
        assert {line.split()[0] for line in faulted.splitlines() if "refuse-login" in line} == {
            "spoke1", "spoke2", "spoke4"}
        not_a_router = cli("lab", "fault", "wrong-psk", "core1", "--nornir-config", config)
        assert not_a_router.code == 2 and "'core1'" in not_a_router.err and "Traceback" not in not_a_router.text
        assert cli("lab", "clear", "spokes", "--nornir-config", config).code == 0
        assert "refuse-login" not in cli("lab", "status", "--nornir-config", config).out
        assert cli("lab", "clock", "90s", "--nornir-config", config).code == 0
        # a connecting verb with the same config finds this lab (keyed by the config file)
        checked = cli("verify", "--nornir-config", config, "--state-dir", str(tmp_path / "state"), "--mode", "fast",
                      "--timeout", "10")
        assert "target: lab emulator config.yaml" in _text(checked), checked.text
        assert checked.code in (0, 1), checked.text  # not deployed: findings, but every hub answered
    finally:
        down = cli("lab", "down", "--nornir-config", config)
    assert down.code == 0 and "lab down (pid" in down.out, down.text
    assert cli("lab", "status", "--nornir-config", config).code == 1
    assert core.connections() == 0


@pytest.mark.parametrize("verb", [pytest.param(["lab", "up"], marks=pytest.mark.lab),  # runtime.up refuses it
                                  ["lab", "down"], ["lab", "status"], ["lab", "clock", "1m"],
                                  ["lab", "fault", "wrong-psk", "spoke1"], ["lab", "clear", "spoke1"],
                                  ["clab", "generate", "--out", "{tmp}/out"]])
def test_a_config_nornir_cannot_use_is_exit_2_naming_it(verb: list[str], tmp_path: Path, cli: Any) -> None:
    broken = tmp_path / "config.yaml"
    broken.write_text(yaml.safe_dump({"inventory": {"plugin": "NoSuchInventoryPlugin"},
                                      "logging": {"enabled": False}}))
    missing = tmp_path / "nope.yaml"
    args = [a.format(tmp=tmp_path) for a in verb]
    loads = verb[1] not in ("down", "status", "clock")  # these only look the lab up by the file's name
    for config in ([broken, missing] if loads else [missing]):
        result = cli(*args, "--nornir-config", str(config))
        assert result.code == 2, result.text
        assert str(config) in _text(result) and "--nornir-config" in result.err
        assert "Traceback" not in result.text


def _tree(out: Path) -> dict[str, Any]:
    """What `clab generate` wrote, parsed (the header comment names the source, which differs on purpose)."""
    return {str(p.relative_to(out)): yaml.safe_load(p.read_text()) if p.suffix in (".yml", ".yaml") else p.read_text()
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("kind", ["simple", "ansible-yaml", "ansible-ini"])
def test_clab_generate_takes_a_nornir_config(kind: str, tmp_path: Path, core: Listener, cli: Any) -> None:  # noqa: F811
    """The same lab as from the folder: topology, startup configs, and a lab inventory of the same design."""
    ports = {name: host.port for name, host in load_design(INVENTORY).hosts.items()}
    config = _config(kind, tmp_path / "inv", ports, core.port)
    folder = cli("clab", "generate", "-i", str(INVENTORY), "--out", str(tmp_path / "a"), "--name", "demo")
    assert folder.code == 0, folder.text
    result = cli("clab", "generate", "--nornir-config", str(config), "--out", str(tmp_path / "b"), "--name", "demo")
    assert result.code == 0, result.text
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    inventory = {name for name in a if name.startswith("inventory/")}
    assert {k: v for k, v in a.items() if k not in inventory} == {k: v for k, v in b.items() if k not in inventory}
    assert "core1" not in b["inventory/hosts.yaml"] and "core1" not in str(b["demo.clab.yml"])
    assert set(b["inventory/hosts.yaml"]) == set(a["inventory/hosts.yaml"])
    for name, entry in a["inventory/hosts.yaml"].items():  # where Nornir will connect, and the lab's port
        assert {k: b["inventory/hosts.yaml"][name].get(k) for k in ("hostname", "port", "platform")} == {
            k: entry.get(k) for k in ("hostname", "port", "platform")}
        assert b["inventory/hosts.yaml"][name]["data"]["lab"] == entry["data"]["lab"]
    designs = [load_design(tmp_path / side / "inventory", require_secrets=False) for side in ("a", "b")]
    assert {n: h.model_dump(mode="json", exclude={"password", "enable_secret"}) for n, h in designs[0].hosts.items()} \
        == {n: h.model_dump(mode="json", exclude={"password", "enable_secret"}) for n, h in designs[1].hosts.items()}
    assert core.connections() == 0


def test_clab_generate_from_a_folder_with_a_core_switch(tmp_path: Path, core: Listener, cli: Any) -> None:  # noqa: F811
    """The SimpleInventory folder behind a config (hosts.yaml holds core1 without data.dmvpn) works with -i too."""
    _config("simple", tmp_path / "inv", {}, core.port)
    result = cli("clab", "generate", "-i", str(tmp_path / "inv"), "--out", str(tmp_path / "out"))
    assert result.code == 0, result.text
    hosts = yaml.safe_load((tmp_path / "out" / "inventory" / "hosts.yaml").read_text())
    assert "core1" not in hosts and len(hosts) == 6
