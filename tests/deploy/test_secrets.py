"""Secrets masked by position (old and new values alike), type 6/7 device forms, and bad secret values."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dmvpn_ops.deploy.secret_forms import align_secrets, decode_type7
from dmvpn_ops.errors import SecretError
from dmvpn_ops.intent import load_design
from dmvpn_ops.secrets import MASK, mask
from tests.conftest import INVENTORY, TEST_SECRETS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("line", "secret"), [
    ("crypto isakmp key NeverRegistered1 address 0.0.0.0", "NeverRegistered1"),
    ("no crypto isakmp key 6 FJ]WGCdcQ`ZJbdAAB address 0.0.0.0 0.0.0.0", "FJ]WGCdcQ`ZJbdAAB"),
    (" pre-shared-key local 7 0822455D0A16", "0822455D0A16"),
    ("  pre-shared-key address 192.0.2.1 key 0 OldPskValue", "OldPskValue"),
    ("hub1(config-if)#no ip nhrp authentication oldnhrp", "oldnhrp"),
    ("- interface Tunnel0 / ip nhrp authentication oldnhrp", "oldnhrp"),
    ("username admin privilege 15 secret 9 $9$abcdefgh$ijkl", "$9$abcdefgh$ijkl"),
    ("enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "$1$mERr$hx5rVt7rPNoS4wqbXKX7m0"),
    (" password 7 094F471A1A0A", "094F471A1A0A"),
    (" neighbor 10.0.0.1 password 7 1511021F0725", "1511021F0725"),
])
def test_masked_by_position_whatever_the_value(line: str, secret: str) -> None:
    masked = mask(line)
    assert secret not in masked and MASK in masked
    assert mask(masked) == masked  # idempotent: JSON of masked records stays valid


def test_type7_decoded_equal_is_not_repushed_type6_only_with_rotate() -> None:
    assert decode_type7("0822455D0A16") == "cisco"
    running = "interface Tunnel0\n ip nhrp authentication nh7Kq2x\n pre-shared-key 7 0822455D0A16\n" \
              "crypto isakmp key 6 AbCdEfGh address 0.0.0.0\n"
    intended = "interface Tunnel0\n ip nhrp authentication nh7Kq2x\n pre-shared-key cisco\n" \
               "crypto isakmp key Psk-9d41be0c address 0.0.0.0\n"
    assert align_secrets(running, intended, rotate=False) == intended
    rotated = align_secrets(running, intended, rotate=True)
    assert "crypto isakmp key 6 AbCdEfGh" in rotated and " pre-shared-key cisco" in rotated
    other = intended.replace("pre-shared-key cisco", "pre-shared-key other1")
    assert "pre-shared-key 7 0822455D0A16" in align_secrets(running, other, rotate=False)


@pytest.mark.parametrize(("value", "why"), [
    ("Psk-new\nusername evil privilege 15 secret x", "newline"),
    ("Psk-what?", "'?'"),
    (" Psk-lead", "leading or trailing space"),
    ("Psk-trail ", "leading or trailing space"),
    ("Psk-\u00e9t\u00e9", "printable ASCII"),
])
def test_bad_secret_values_are_bad_input(value: str, why: str) -> None:
    with pytest.raises(SecretError) as info:
        load_design(INVENTORY, {**TEST_SECRETS, "DMVPN_PSK": value})
    assert info.value.exit_code == 2
    assert "DMVPN_PSK" in info.value.render() and why in info.value.render()
    assert value.strip() not in info.value.render()


@pytest.mark.lab
def test_rotation_dry_run_shows_neither_old_nor_new_secret(lab_run, tmp_path: Path) -> None:
    """A separate process knows only the new values: the old (live) ones are hidden by position alone."""
    run = lab_run(INVENTORY)
    assert run.deploy().exit_code == 0
    inventory = run.write_inventory(tmp_path / "inv")
    new = {"DMVPN_PSK": "Psk-rotated-77aa", "DMVPN_NHRP_AUTH": "nhNew42"}
    env = {**os.environ, **TEST_SECRETS, **new}
    outputs = []
    for extra in (["--format", "json"], []):
        done = subprocess.run([sys.executable, "-c", "from dmvpn_ops.cli import main; main()", "deploy", "-i",
                               str(inventory), "--dry-run", "--allow-disruptive", "--state-dir",
                               str(tmp_path / "state"), *extra], capture_output=True, text=True, env=env,
                              cwd=ROOT, timeout=240)
        assert done.returncode in (0, 1), done.stderr
        outputs.append(done.stdout + done.stderr)
    document = json.loads(outputs[0][outputs[0].index("{"):outputs[0].rindex("}") + 1])
    hub = document["hosts"]["hub1"]
    assert any("ip nhrp authentication" in c for c in hub["commands"])
    assert any(line.startswith("-") and "ip nhrp authentication" in line for line in hub["diff"])
    text = "".join(outputs)
    for value in (TEST_SECRETS["DMVPN_PSK"], TEST_SECRETS["DMVPN_NHRP_AUTH"], *new.values()):
        assert value not in text
    assert "ip nhrp authentication *****" in text and "commands to send" in text
    assert "- no ip" not in outputs[1]  # the command list is not a diff: a `no` command is not a removed line
