"""Lab fixtures for deploy end-to-end tests: a fresh emulator on free ports per test."""
from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dmvpn_ops.deploy import DeployOptions, DeployResult, deploy
from dmvpn_ops.intent import Design, load_design
from dmvpn_ops.intent.nornir import load_nornir
from dmvpn_ops.lab.api import Lab
from tests.conftest import inventory_with_ports
from tests.support.fixtures import hostile_ssh  # noqa: F401 - the fixture, for the hostile-device tests


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Run:
    """A started lab plus helpers to deploy the same design into it."""

    def __init__(self, inventory: Path, design: Design, lab: Any, state_dir: Path) -> None:
        self.inventory, self.design, self.lab, self.state_dir = inventory, design, lab, state_dir

    def deploy(self, ports: dict[str, int] | None = None, timeout: float = 10.0, **kw: Any) -> DeployResult:
        ports = {**self.lab.ports(), **(ports or {})}
        # no read_timeout_override: deploy scales a push's read timeout with its size
        extras = {"conn_timeout": timeout, "auth_timeout": timeout, "banner_timeout": timeout}
        nornir = load_nornir(self.inventory, self.design, ports=ports, extras=extras)
        options = DeployOptions(state_dir=self.state_dir, timeout=timeout,
                                confirm_timeout=kw.pop("confirm_timeout", 15.0), **kw)
        return deploy(self.design, nornir, options)

    def running(self) -> dict[str, str]:
        return {h: self.lab.running_config(h) for h in self.design.hosts}

    def write_inventory(self, target: Path) -> Path:
        """A copy of the inventory whose ports are the lab's (for the CLI)."""
        return inventory_with_ports(self.inventory, target, self.lab.ports())


@pytest.fixture
def lab_run(tmp_path: Path) -> Iterator[Callable[[Path], Run]]:
    """``lab_run(inventory_dir)`` starts a fresh lab for that inventory; all stop at teardown."""
    labs: list[Any] = []

    def start(inventory: Path) -> Run:
        design = load_design(inventory)
        lab = Lab(design, ports="free").start()
        labs.append(lab)
        return Run(inventory, design, lab, tmp_path / "state")

    yield start
    for lab in labs:
        lab.stop()
