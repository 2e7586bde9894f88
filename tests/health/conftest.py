"""A deployed demo lab for health tests (module scope) and an inventory copy that points at it."""
from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dmvpn_ops.deploy import DeployOptions, deploy
from dmvpn_ops.intent import Design, load_design
from dmvpn_ops.intent.nornir import load_nornir
from dmvpn_ops.lab.api import Lab
from tests.conftest import inventory_with_ports

ROOT = Path(__file__).resolve().parents[2]


class Cloud:
    """The running lab, the design, and helpers for in-process and subprocess runs."""

    def __init__(self, inventory: Path, design: Design, lab: Any) -> None:
        self.inventory, self.design, self.lab = inventory, design, lab

    def nornir(self, timeout: float = 10.0) -> Any:
        extras = {"conn_timeout": timeout, "auth_timeout": timeout, "banner_timeout": timeout,
                  "read_timeout_override": timeout}
        return load_nornir(self.inventory, self.design, ports=self.lab.ports(), extras=extras)

    def inventory_copy(self, target: Path) -> Path:
        """The inventory with the lab's ports, for a CLI or playbook in a subprocess."""
        return inventory_with_ports(self.inventory, target, self.lab.ports())

    def fault(self, kind: str, host: str, value: float | None = None) -> None:
        self.lab.fault(kind, host, value)
        self.lab.run(host, "show dmvpn")  # lets the emulator stamp the fault's time before advancing

    def clear(self, host: str | None = None) -> None:
        self.lab.clear(host)
        self.lab.run(host or self.design.hub_names[0], "show dmvpn")


@pytest.fixture(scope="module")
def cloud() -> Iterator[Cloud]:
    inventory = ROOT / "inventory"
    design = load_design(inventory)
    with Lab(design, ports="free") as lab:
        c = Cloud(inventory, design, lab)
        result = deploy(design, c.nornir(), DeployOptions(state_dir=Path(tempfile.mkdtemp()), timeout=10))
        assert result.ok, {n: h.status for n, h in result.hosts.items()}
        lab.advance(30)
        yield c
