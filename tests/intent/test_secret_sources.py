"""Secret sources: env:NAME, file:PATH (0600 and ours only) and keyring:SERVICE/NAME, all masked alike."""
from __future__ import annotations

import shutil
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from dmvpn_ops.errors import SecretError
from dmvpn_ops.intent import load_design
from dmvpn_ops.secrets import mask
from tests.conftest import INVENTORY


class MemoryKeyring(KeyringBackend):
    """A keyring backend in memory (the test's OS keyring)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def _inventory(tmp_path: Path, password_ref: str) -> Path:
    inv = tmp_path / "inventory"
    shutil.copytree(INVENTORY, inv, ignore=shutil.ignore_patterns("examples"))
    defaults = (inv / "defaults.yaml").read_text().replace("env:DMVPN_SSH_PASSWORD", password_ref)
    (inv / "defaults.yaml").write_text(defaults)
    return inv


def test_file_secret_0600_is_read_and_masked(tmp_path):
    secret = tmp_path / "ssh-password"
    secret.write_text("File-pw-4242\n")
    secret.chmod(0o600)
    design = load_design(_inventory(tmp_path, f"file:{secret}"))
    assert design.hosts["hub1"].password.reveal() == "File-pw-4242"
    assert mask("login with File-pw-4242 now") == "login with ***** now"


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_file_secret_readable_by_others_is_refused_exit_2(tmp_path, cli, mode):
    secret = tmp_path / "ssh-password"
    secret.write_text("File-pw-4242\n")
    secret.chmod(mode)
    inv = _inventory(tmp_path, f"file:{secret}")
    with pytest.raises(SecretError, match="chmod 600"):
        load_design(inv)
    result = cli("verify", "-i", str(inv), "--state-dir", str(tmp_path / "state"))
    assert result.code == 2 and "Traceback" not in result.text
    assert "defaults.yaml" in result.err and f"{mode:04o}" in result.err and "File-pw-4242" not in result.text


def test_file_secret_not_a_regular_file_is_refused(tmp_path):
    with pytest.raises(SecretError, match="not a regular file"):
        load_design(_inventory(tmp_path, "file:/dev/zero"))


def test_keyring_secret_is_resolved_and_masked(tmp_path, memory_keyring):
    memory_keyring.set_password("dmvpn-ops", "ssh", "Keyring-pw-777")
    design = load_design(_inventory(tmp_path, "keyring:dmvpn-ops/ssh"))
    assert design.hosts["spoke1"].password.reveal() == "Keyring-pw-777"
    assert "Keyring-pw-777" not in mask("username admin password Keyring-pw-777")


def test_keyring_secret_missing_names_service_and_field(tmp_path, memory_keyring, cli):
    inv = _inventory(tmp_path, "keyring:dmvpn-ops/nope")
    result = cli("verify", "-i", str(inv), "--state-dir", str(tmp_path / "state"))
    assert result.code == 2 and "'nope'" in result.err and "'dmvpn-ops'" in result.err
    assert "password" in result.err and "Traceback" not in result.text
