"""`dmvpn-ops demo --nornir-config FILE` (and `-i DIR`): the operator's own intent rehearsed on the embedded lab.

The inventory's hosts point at 127.0.0.2 (an address the lab does not serve): the demo must reach every
router on 127.0.0.1, at the lab's ports, never at the inventory's addresses. A core switch without DMVPN
intent (a loopback socket counting connections) is never contacted. No secret is set: the demo makes
throwaway ones for the references it finds through the Nornir inventory plugin.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from dmvpn_ops.intent import secret_references
from tests.conftest import INVENTORY
from tests.intent.test_nornir_inventories import Listener, _config, core  # noqa: F401 - core is a fixture

pytestmark = pytest.mark.lab

ELSEWHERE = "127.0.0.2"  # loopback, but not where the lab listens: a connection there is refused


def _elsewhere(kind: str, folder: Path) -> None:
    """Point every DMVPN host of the written inventory at ELSEWHERE."""
    if kind == "simple":
        hosts = yaml.safe_load((folder / "hosts.yaml").read_text())
        for name, entry in hosts.items():
            if name != "core1":
                entry["hostname"] = ELSEWHERE
        (folder / "hosts.yaml").write_text(yaml.safe_dump(hosts))
        return
    for path in (folder / "host_vars").glob("*.yml"):
        host_vars = yaml.safe_load(path.read_text())
        host_vars["ansible_host"] = ELSEWHERE
        path.write_text(yaml.safe_dump(host_vars))


@pytest.mark.parametrize(("kind", "option"), [("simple", "-i"), ("ansible-yaml", "--nornir-config")])
def test_demo_rehearses_a_nornir_inventory_on_the_lab(kind: str, option: str, tmp_path: Path, core: Listener,  # noqa: F811
                                                      cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in secret_references(INVENTORY):
        monkeypatch.delenv(name, raising=False)
    config = _config(kind, tmp_path / "inv", {}, core.port)
    _elsewhere(kind, tmp_path / "inv")
    monkeypatch.chdir(tmp_path)
    result = cli("demo", option, str(config if option == "--nornir-config" else tmp_path / "inv"), "--no-probe")
    assert result.code == 0, result.text
    text = " ".join(result.out.split())
    assert "all good: 8/8 edges up" in text and "generated throwaway lab secrets for" in text
    assert "core1" not in result.out
    assert core.connections() == 0
