"""Type 7 / type 6 secret forms on the emulator: devices that encrypt their secrets converge, type 6 is
re-pushed only with --rotate-secrets, and neither the clear nor the encrypted value reaches any output."""
from __future__ import annotations

import json
import logging
import re

import pytest

from dmvpn_ops.deploy import Status
from dmvpn_ops.deploy.audit import audit_path
from dmvpn_ops.report.deploy import deploy_json
from dmvpn_ops.secrets import MASK, install_log_masking
from tests.conftest import TEST_SECRETS
from tests.deploy.helpers import INVENTORIES
from tests.schemas.test_schemas import validate

pytestmark = pytest.mark.lab  # every test here starts the lab emulator

TYPE7 = ("service password-encryption\nusername ops privilege 1 password Ops-pass-4411\n"
         "enable password Enpw-9d1c\nline vty 0 4\n password Vty-pw-55e1\n")
TYPE6 = "key config-key password-encrypt Master-k3y-77\npassword encryption aes\n"
_ENCRYPTED = re.compile(r"(?:password|key|pre-shared-key) ([67]) (\S+)")


def _encrypted_values(config: str, kind: str) -> list[str]:
    return [m.group(2) for m in _ENCRYPTED.finditer(config) if m.group(1) == kind]


def _outputs(run, result, caplog) -> str:
    """Everything a deploy shows: its JSON document (schema-valid), the log records (netmiko's debug log of
    every channel read, through the masking filter the CLI installs), the audit trail."""
    document = deploy_json(result)
    validate("deploy", json.loads(document))
    parts = {"json": document, "log": caplog.text, "audit": audit_path(run.state_dir).read_text()}
    return "".join(parts.values())


def _assert_no_secret(text: str, *values: str) -> None:
    for value in (*TEST_SECRETS.values(), *values):
        assert value not in text, value


def test_type7_device_converges_and_shows_no_secret(lab_run, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    install_log_masking()  # what the CLI does at start: every root handler (caplog's too) masks
    run = lab_run(INVENTORIES["demo"])
    assert run.deploy().exit_code == 0
    for host in run.design.hosts:
        assert run.lab.configure(host, TYPE7) == []
    config = run.lab.run("hub1", "show running-config")
    sevens = _encrypted_values(config, "7")
    assert len(sevens) == 3 and "Ops-pass-4411" not in config  # username, enable, vty: as IOS shows them
    again = run.deploy()
    assert again.exit_code == 0 and again.lines_pushed == 0, {h: r.commands for h, r in again.hosts.items()}
    assert all(r.status == Status.UNCHANGED for r in again.hosts.values())
    assert run.deploy().lines_pushed == 0  # and not on any later run
    _assert_no_secret(_outputs(run, again, caplog), "Ops-pass-4411", "Enpw-9d1c", "Vty-pw-55e1", *sevens)


@pytest.mark.parametrize("name", ["demo", "ikev1-phase2-ospf"])
def test_type6_psk_is_set_value_unknown(lab_run, caplog, name: str) -> None:
    caplog.set_level(logging.DEBUG)
    install_log_masking()  # what the CLI does at start: every root handler (caplog's too) masks
    run = lab_run(INVENTORIES[name])
    assert run.deploy().exit_code == 0
    spoke = next(h for h, spec in run.design.hosts.items() if spec.role == "spoke")
    assert run.lab.configure(spoke, TYPE6) == []
    before = run.lab.run(spoke, "show running-config")
    sixes = _encrypted_values(before, "6")
    assert sixes and TEST_SECRETS["DMVPN_PSK"] not in before  # the PSKs now show as type 6
    again = run.deploy()
    assert again.exit_code == 0 and again.lines_pushed == 0, {h: r.commands for h, r in again.hosts.items()}
    assert again.hosts[spoke].status == Status.UNCHANGED
    rotated = run.deploy(limit=(spoke,), rotate_secrets=True, allow_disruptive=True)
    record = rotated.hosts[spoke]
    assert rotated.exit_code == 0 and record.status == Status.DEPLOYED, (record.status, record.reason)
    assert any("pre-shared-key" in c and MASK in c for c in record.commands)
    assert record.pushed > 0
    after = run.lab.run(spoke, "show running-config")
    new_sixes = _encrypted_values(after, "6")
    assert new_sixes and set(new_sixes).isdisjoint(sixes)  # re-encrypted with a fresh salt: re-pushed
    _assert_no_secret(_outputs(run, rotated, caplog), *sixes, *new_sixes)
