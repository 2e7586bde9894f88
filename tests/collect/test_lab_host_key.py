"""An in-process lab given a host-key file keeps its SSH identity across restarts (as `lab up` does)."""
from __future__ import annotations

import stat

import asyncssh
import pytest

from dmvpn_ops.collect.hostkeys import fetch_host_key, fingerprint
from dmvpn_ops.intent import load_design
from dmvpn_ops.lab import Lab
from dmvpn_ops.lab.server import use_host_key
from tests.conftest import INVENTORY

pytestmark = pytest.mark.lab


def _served(design, **kwargs) -> str:
    with Lab(design, ports="free", ssh_hosts=["hub1"], **kwargs) as lab:
        return fingerprint(fetch_host_key("127.0.0.1", lab.ports()["hub1"], timeout=10))


def test_lab_keeps_its_key_file_and_identity(tmp_path):
    design = load_design(INVENTORY)
    key = tmp_path / "ssh_host_ed25519_key"
    first = _served(design, host_key=key)
    use_host_key(asyncssh.generate_private_key("ssh-ed25519"))   # as a new process would start
    assert _served(design) != first                              # without the file: another identity
    assert _served(design, host_key=key) == first                # with it: the same lab again
    stored = asyncssh.read_private_key(str(key)).convert_to_public().get_fingerprint("sha256")
    assert stored == first and stat.S_IMODE(key.stat().st_mode) == 0o600
