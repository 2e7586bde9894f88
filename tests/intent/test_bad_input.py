"""Malformed inventories: exit 2, one message naming file, host and field, never a traceback."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

Patch = Callable[[dict[str, Any]], None]


def _hosts(fn: Callable[[dict[str, Any]], None]) -> Patch:
    return lambda files: fn(files["hosts.yaml"])


def _cloud(fn: Callable[[dict[str, Any]], None]) -> Patch:
    return lambda files: fn(files["groups.yaml"]["dmvpn_cloud"]["data"]["dmvpn"]["clouds"]["DMVPN1"])


def _spoke1(fn: Callable[[dict[str, Any]], None]) -> Patch:
    return lambda files: fn(files["hosts.yaml"]["spoke1"]["data"]["dmvpn"])


def _set(mapping_path: list[str], value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(node: dict[str, Any]) -> None:
        for key in mapping_path[:-1]:
            node = node[key]
        node[mapping_path[-1]] = value
    return apply


# (case id, patch, [substrings the message must contain])
CASES: list[tuple[str, Patch, list[str]]] = [
    ("unknown-role", _spoke1(_set(["role"], "router")), ["hosts.yaml", "spoke1", "role"]),
    ("phase-four", _cloud(_set(["phase"], "four")), ["groups.yaml", "hub1", "clouds.DMVPN1.phase"]),
    ("phase-seven", _cloud(_set(["phase"], 7)), ["groups.yaml", "clouds.DMVPN1.phase"]),
    ("literal-psk", _cloud(_set(["crypto", "psk"], "cisco123")),
     ["groups.yaml", "crypto.psk", "env:NAME"]),
    ("missing-env-secret", _cloud(_set(["nhrp_auth"], "env:DMVPN_NOT_SET_ANYWHERE")),
     ["groups.yaml", "nhrp_auth", "DMVPN_NOT_SET_ANYWHERE"]),
    ("bad-tunnel-ip", _spoke1(_set(["clouds", "DMVPN1", "tunnel_ip"], "172.16.100.300")),
     ["hosts.yaml", "spoke1", "tunnel_ip"]),
    ("duplicate-tunnel-ip", _spoke1(_set(["clouds", "DMVPN1", "tunnel_ip"], "172.16.100.12")),
     ["hosts.yaml", "spoke", "tunnel_ip", "172.16.100.12"]),
    ("tunnel-ip-outside-subnet", _spoke1(_set(["clouds", "DMVPN1", "tunnel_ip"], "10.9.9.9")),
     ["hosts.yaml", "spoke1", "tunnel_ip", "10.9.9.9"]),
    ("missing-tunnel-ip", _spoke1(_set(["clouds", "DMVPN1"], {"nat": False})),
     ["spoke1", "clouds.DMVPN1.tunnel_ip", "required"]),
    ("typo-in-host-key", _spoke1(_set(["rolee"], "spoke")), ["spoke1", "rolee", "unknown key"]),
    ("typo-in-cloud-key", _cloud(_set(["tunel_key"], 5)), ["groups.yaml", "tunel_key"]),
    ("eigrp-without-as", _cloud(_set(["routing"], {"protocol": "eigrp"})),
     ["groups.yaml", "routing", "as_number"]),
    ("ikev2-without-psk", _cloud(_set(["crypto"], {"type": "ikev2"})), ["groups.yaml", "crypto", "psk"]),
    ("unknown-tunnel-source", _spoke1(_set(["clouds", "DMVPN1", "source"], "GigabitEthernet9")),
     ["hosts.yaml", "spoke1", "source", "GigabitEthernet9"]),
    ("bad-underlay-address", _spoke1(_set(["underlay", "address"], "203.0.113.300/24")),
     ["hosts.yaml", "spoke1", "underlay"]),
    ("unknown-group", _hosts(_set(["spoke2", "groups"], ["no_such_group"])),
     ["hosts.yaml", "spoke2", "groups", "no_such_group"]),
    ("host-not-mapping", _hosts(_set(["spoke3"], "just a string")), ["hosts.yaml", "spoke3"]),
    ("routing-protocol-rip", _cloud(_set(["routing", "protocol"], "rip")),
     ["groups.yaml", "routing.protocol"]),
    ("ebgp-without-spoke-as", _cloud(_set(["routing"], {"protocol": "bgp", "as_number": 65000,
                                                        "mode": "ebgp"})),
     ["groups.yaml", "routing", "spoke_as"]),
    ("mtu-out-of-range", _cloud(_set(["mtu"], 20000)), ["groups.yaml", "clouds.DMVPN1.mtu"]),
    ("no-clouds", _spoke1(_set(["clouds"], {})), ["hosts.yaml", "spoke1", "clouds"]),
    ("crypto-mode-typo", _cloud(_set(["crypto", "mode"], "tunnell")), ["groups.yaml", "crypto.mode"]),
]


def _write(directory: Path, files: dict[str, Any]) -> None:
    for name, content in files.items():
        (directory / name).write_text(yaml.safe_dump(content, sort_keys=False))


@pytest.mark.parametrize("case,patch,expected", CASES, ids=[c[0] for c in CASES])
def test_malformed_inventory_exit_2(case: str, patch: Patch, expected: list[str], inventory_copy, cli) -> None:
    directory = inventory_copy()
    files = {name: yaml.safe_load((directory / name).read_text())
             for name in ("hosts.yaml", "groups.yaml", "defaults.yaml")}
    patch(files)
    _write(directory, files)
    result = cli("render", "-i", str(directory), "--show-secrets")
    assert result.code == 2, result.text
    assert "Traceback" not in result.text
    message = " ".join(result.err.split())
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert len(result.err.strip().splitlines()) <= 4  # one paragraph


def test_missing_inventory_directory(cli, tmp_path: Path) -> None:
    result = cli("lint", "-i", str(tmp_path / "nowhere"))
    assert result.code == 2
    assert "nowhere" in result.err and "inventory directory not found" in result.err


def test_missing_hosts_file(cli, tmp_path: Path) -> None:
    result = cli("lint", "-i", str(tmp_path))
    assert result.code == 2
    assert "hosts.yaml" in result.err and "file not found" in result.err


def test_yaml_syntax_error_names_line(cli, inventory_copy) -> None:
    directory = inventory_copy()
    (directory / "groups.yaml").write_text("dmvpn_cloud:\n  data: [unclosed\n")
    result = cli("lint", "-i", str(directory))
    assert result.code == 2
    assert "groups.yaml" in result.err and "line" in result.err


def test_top_level_not_mapping(cli, inventory_copy) -> None:
    directory = inventory_copy()
    (directory / "hosts.yaml").write_text("- hub1\n- hub2\n")
    result = cli("lint", "-i", str(directory))
    assert result.code == 2
    assert "hosts.yaml" in result.err and "mapping" in result.err


def test_console_script_prints_no_traceback(inventory_copy) -> None:
    """The installed entry point, not just the in-process runner."""
    import subprocess
    import sys

    directory = inventory_copy()
    (directory / "hosts.yaml").write_text("hub1: {data: {dmvpn: {role: boss}}}\n")
    proc = subprocess.run([sys.executable, "-c", "from dmvpn_ops.cli import main; main()",
                           "lint", "-i", str(directory)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "hub1" in proc.stderr and "role" in proc.stderr


def test_too_short_secret_refused(cli, monkeypatch) -> None:
    """A 2-character secret could not be masked without mangling every output."""
    from tests.conftest import INVENTORY

    monkeypatch.setenv("DMVPN_PSK", "ab")
    result = cli("render", "-i", str(INVENTORY), "--show-secrets")
    assert result.code == 2
    assert "DMVPN_PSK" in result.err and "crypto.psk" in result.err and "ab" not in result.err.split()


def test_yaml_nornir_cannot_read_is_reported(cli, inventory_copy) -> None:
    """`env:X` unquoted in a flow mapping: PyYAML accepts it, Nornir's YAML 1.2 loader does not."""
    directory = inventory_copy()
    text = (directory / "groups.yaml").read_text().replace(
        "crypto:\n            type: ikev2\n            psk: env:DMVPN_PSK",
        "crypto: {type: ikev2, psk: env:DMVPN_PSK}\n            _x:\n            - 1")
    text = text.replace("            transform: esp-aes 256 esp-sha256-hmac\n            mode: transport\n", "")
    (directory / "groups.yaml").write_text(text.replace("            _x:\n            - 1\n", ""))
    result = cli("lint", "-i", str(directory))
    assert result.code == 2, result.text
    assert "groups.yaml" in result.err and "YAML syntax error at line" in result.err
