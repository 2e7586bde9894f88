"""known_hosts interoperates with OpenSSH: ssh-keyscan's lines (hashed too) are trusted, ours are found by ssh-keygen."""
from __future__ import annotations

import subprocess

import pytest

from dmvpn_ops.collect.hostkeys import KnownHosts, check_host_key, entry_name
from dmvpn_ops.errors import HostKeyError
from tests.support.fixtures import hostile_ssh  # noqa: F401 - fixture
from tests.support.hostile_ssh import Script


def _keyscan(port: int, *flags: str) -> str:
    out = subprocess.run(["ssh-keyscan", "-t", "ed25519", "-p", str(port), *flags, "127.0.0.1"],
                         capture_output=True, text=True, timeout=30)
    assert out.stdout.strip(), out.stderr
    return out.stdout


@pytest.mark.parametrize("hashed", [False, True], ids=["plain", "hashed"])
def test_strict_trusts_what_ssh_keyscan_recorded(tmp_path, hostile_ssh, hashed):  # noqa: F811
    server = hostile_ssh(Script())
    known = tmp_path / "known_hosts"
    known.write_text(_keyscan(server.port, *(["-H"] if hashed else [])))
    check_host_key("hub1", "127.0.0.1", server.port, policy="strict", known_hosts=known, timeout=5)
    impostor = hostile_ssh(Script())
    with pytest.raises(HostKeyError) as info:  # the recorded key belongs to another port: unknown here
        check_host_key("hub2", "127.0.0.1", impostor.port, policy="strict", known_hosts=known, timeout=5)
    assert info.value.kind == "unknown"


def test_tofu_lines_are_found_by_ssh_keygen_and_forgotten_by_name(tmp_path, hostile_ssh):  # noqa: F811
    server = hostile_ssh(Script())
    known = tmp_path / "known_hosts"
    check_host_key("hub1", "127.0.0.1", server.port, policy="tofu", known_hosts=known, timeout=5)
    found = subprocess.run(["ssh-keygen", "-F", entry_name("127.0.0.1", server.port), "-f", str(known)],
                           capture_output=True, text=True, timeout=30)
    assert found.returncode == 0 and server.known_hosts_line.split()[2] in found.stdout
    assert KnownHosts(known).forget({"hub1"}) == 1 and KnownHosts(known).lookup("127.0.0.1", server.port) == {}


def test_port_22_entries_have_no_brackets() -> None:
    assert entry_name("192.0.2.1", 22) == "192.0.2.1" and entry_name("192.0.2.1", 2222) == "[192.0.2.1]:2222"
