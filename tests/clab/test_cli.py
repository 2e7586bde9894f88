"""`dmvpn-ops clab generate`: files written, bad input exits 2 with file/field, example lab up to date."""
from __future__ import annotations

import filecmp
from pathlib import Path

from dmvpn_ops.cli import _common, app

from .conftest import ROOT


def run(*args: str) -> int:
    return _common.run_app(app, list(args))


def test_generate_writes_the_lab(tmp_path: Path) -> None:
    assert run("clab", "generate", "-i", str(ROOT / "inventory"), "--out", str(tmp_path)) == 0
    assert (tmp_path / "dmvpn-demo.clab.yml").is_file()
    assert (tmp_path / "inventory" / "hosts.yaml").is_file()
    assert (tmp_path / "configs" / "hub1.partial.cfg").is_file()


def test_bad_kind_is_bad_input(tmp_path: Path, capsys) -> None:
    assert run("clab", "generate", "-i", str(ROOT / "inventory"), "--out", str(tmp_path), "--kind", "ceos") == 2
    assert "--kind" in capsys.readouterr().err


def test_missing_inventory_is_bad_input(tmp_path: Path, capsys) -> None:
    assert run("clab", "generate", "-i", str(tmp_path / "nope"), "--out", str(tmp_path)) == 2
    assert "nope" in capsys.readouterr().err


def test_bad_mgmt_subnet_is_bad_input(tmp_path: Path) -> None:
    assert run("clab", "generate", "-i", str(ROOT / "inventory"), "--out", str(tmp_path),
               "--mgmt-subnet", "10.0.0.0/30") == 2


def test_committed_example_lab_is_current(tmp_path: Path, monkeypatch) -> None:
    """containerlab/ holds the demo lab as generated; regenerate it after an intended change."""
    monkeypatch.chdir(ROOT)
    assert run("clab", "generate", "-i", "inventory", "--out", str(tmp_path)) == 0
    committed = ROOT / "containerlab"
    for path in sorted(p for p in tmp_path.rglob("*") if p.is_file()):
        rel = path.relative_to(tmp_path)
        assert (committed / rel).is_file(), f"missing {rel}: run dmvpn-ops clab generate --out containerlab/"
        assert filecmp.cmp(path, committed / rel, shallow=False), f"{rel} is stale: regenerate containerlab/"
