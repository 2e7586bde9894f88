"""`dmvpn-ops demo` on a fresh machine: no variables set, lab up, deploy, verify, lab down."""
from __future__ import annotations

import os
import socket

from tests.conftest import INVENTORY


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
    """After the demo no router port is left listening."""
    from dmvpn_ops.lab import api

    seen: list[dict[str, int]] = []
    original = api.Lab.start

    def spy(self):  # type: ignore[no-untyped-def]
        lab = original(self)
        seen.append(lab.ports())
        return lab

    monkeypatch.setattr(api.Lab, "start", spy)
    monkeypatch.chdir(tmp_path)
    assert cli("demo", "-i", str(INVENTORY), "--no-probe").code == 0
    for port in seen[0].values():
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0
