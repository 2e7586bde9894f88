"""run_commands parses the device's text as printed and keeps only its masked copy.

The real path (netmiko over SSH into the emulator, verify and health CLIs) is
tests/verify/test_secret_equal_to_output.py; here a fake session hands run_commands fixed answers so that each
egress (outputs, parse errors, save_raw files) is checked on its own.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from dmvpn_ops import secrets
from dmvpn_ops.collect.collect import run_commands, save_raw
from dmvpn_ops.secrets import MASK, register

collect_mod = importlib.import_module("dmvpn_ops.collect.collect")  # the package re-exports collect()
ROOT = Path(__file__).resolve().parents[2]
CAPTURE = ROOT / "tests" / "fixtures" / "parse" / "show_crypto_ikev2_sa" / "lab_dual_stack_hub_empty_ipv6_1.raw"
IKEV2 = CAPTURE.read_text().split("\n", 1)[1]  # without the echoed prompt line (netmiko strips it)


class FakeSession:
    """Answers each command with fixed text, as netmiko's send_command returns it."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers

    def send_command(self, command: str, **_: Any) -> str:
        return self.answers[command]


def _task(name: str = "hub1") -> Any:
    return SimpleNamespace(host=SimpleNamespace(name=name, close_connection=lambda _n: None, connections={}),
                           nornir=SimpleNamespace(config=None))


@pytest.fixture
def own_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secrets, "_known_values", set(secrets._known_values))


@pytest.fixture
def device(monkeypatch: pytest.MonkeyPatch) -> Any:
    def answering(answers: dict[str, str]) -> None:
        monkeypatch.setattr(collect_mod, "connection", lambda _host, _config: FakeSession(answers))
    return answering


def test_a_secret_equal_to_a_lifetime_parses_and_is_masked_in_what_is_kept(own_secrets: None, device: Any,
                                                                        tmp_path: Path) -> None:
    register("86400")
    device({"show crypto ikev2 sa": IKEV2})
    coll = run_commands(_task(), ["show crypto ikev2 sa"])
    assert coll.ok, coll.parse_errors  # masked first, `Life/Active Time: *****/885` was UNPARSEABLE_OUTPUT
    assert [r["lifetime"] for r in coll.records["show crypto ikev2 sa"]] == [86400, 86400]
    kept = coll.outputs["show crypto ikev2 sa"]
    assert "86400" not in kept and f"Life/Active Time: {MASK}/885 sec" in kept
    files = save_raw([coll], tmp_path)
    assert [p.name for p in files] == ["show_crypto_ikev2_sa.txt"]
    assert "86400" not in files[0].read_text()


def test_a_secret_equal_to_an_address_keeps_the_address_in_the_records(own_secrets: None, device: Any) -> None:
    register("3.3.3.3")
    device({"show crypto ikev2 sa": IKEV2})
    coll = run_commands(_task(), ["show crypto ikev2 sa"])
    assert [r["remote"] for r in coll.records["show crypto ikev2 sa"]] == ["3.3.3.3", "4.4.4.4"]
    assert "3.3.3.3" not in coll.outputs["show crypto ikev2 sa"]


def test_a_parse_error_quoting_a_secret_line_is_masked(own_secrets: None, device: Any) -> None:
    """The reason names the offending line: a secret on it (by value, or by position) never leaves in it."""
    register("Psk-42abc")
    bad = IKEV2 + "      crypto isakmp key Psk-42abc address 0.0.0.0\n"
    device({"show crypto ikev2 sa": bad})
    coll = run_commands(_task(), ["show crypto ikev2 sa"])
    reason = coll.parse_errors["show crypto ikev2 sa"]
    assert "crypto isakmp key" in reason and MASK in reason and "Psk-42abc" not in reason
    assert "Psk-42abc" not in coll.outputs["show crypto ikev2 sa"]


def test_a_secret_by_position_is_masked_whatever_its_value(own_secrets: None, device: Any) -> None:
    """An old PSK (never registered: a rotation) and a letters-only NHRP key: masked by the line's layout."""
    config = ("hostname hub1\n!\ninterface Tunnel100\n ip nhrp authentication cisco\n!\ncrypto ikev2 keyring K\n"
              " peer any\n  address 0.0.0.0 0.0.0.0\n  pre-shared-key Old-Psk-77\n !\nend\n")
    device({"show running-config": config})
    coll = run_commands(_task(), ["show running-config"], parse_output=False)
    kept = coll.outputs["show running-config"]
    assert "Old-Psk-77" not in kept and "authentication cisco" not in kept
    assert f"pre-shared-key {MASK}" in kept and f"ip nhrp authentication {MASK}" in kept

