"""`dmvpn-ops demo` on a fresh machine: no variables set, lab up, deploy, verify, lab down."""
from __future__ import annotations

import os
import socket

import pytest

from tests.conftest import INVENTORY

pytestmark = pytest.mark.lab


def test_demo_with_no_secrets_set(cli, monkeypatch, tmp_path) -> None:
    from dmvpn_ops.intent import secret_references

    names = secret_references(INVENTORY)
    for name in names:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    result = cli("demo", "-i", str(INVENTORY))
    assert result.code == 0, result.text
    assert "all good: 8/8 edges up" in " ".join(result.out.split())
    assert "6/6 probes passed" in " ".join(result.out.split())
    generated = {name: os.environ[name] for name in names}
    assert all(len(value) == 8 for value in generated.values())
    for value in generated.values():
        assert value not in result.text
    assert (tmp_path / ".dmvpn-ops" / "demo" / "backups" / "hub1").is_dir()


def test_demo_stops_the_lab(cli, monkeypatch, tmp_path) -> None:
    """After the demo no router port is left listening. Run from an empty directory with no ``-i``: the demo cloud
    shipped in the package is used (what a plain ``pip install`` user gets)."""
    from dmvpn_ops.lab import api

    seen: list[dict[str, int]] = []
    original = api.Lab.start

    def spy(self):  # type: ignore[no-untyped-def]
        lab = original(self)
        seen.append(lab.ports())
        return lab

    monkeypatch.setattr(api.Lab, "start", spy)
    monkeypatch.chdir(tmp_path)
    result = cli("demo", "--no-probe")
    assert result.code == 0, result.text
    assert "using the demo cloud shipped with dmvpn-ops" in " ".join(result.out.split())
    assert len(seen[0]) == 6  # hub1, hub2, spoke1-4 of the shipped demo
    for port in seen[0].values():
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0
