"""Lab fixtures: the demo design with throwaway secrets, a lab on free ports, a netmiko connector."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from netmiko import ConnectHandler

from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab

REPO = Path(__file__).resolve().parents[2]
SECRETS = {"DMVPN_SSH_PASSWORD": "lab-pw-1", "DMVPN_ENABLE_SECRET": "lab-en-1",
           "DMVPN_NHRP_AUTH": "nhrpkey", "DMVPN_PSK": "lab-psk-1"}


@pytest.fixture(scope="session")
def design() -> Design:
    for name, value in SECRETS.items():
        os.environ.setdefault(name, value)
    return load_design(str(REPO / "inventory"))


@pytest.fixture()
def lab(design: Design) -> Iterator[Lab]:
    with Lab(design, ports="free") as running:
        yield running


@pytest.fixture()
def connect(lab: Lab, design: Design) -> Iterator[Callable[..., Any]]:
    """``connect("hub1")`` -> an enabled netmiko connection; closed after the test."""
    opened: list[Any] = []

    def _connect(host: str, **kwargs: Any) -> Any:
        spec = design.hosts[host]
        params = {"device_type": "cisco_ios", "host": "127.0.0.1", "port": lab.port(host),
                  "username": spec.username, "password": spec.password.reveal(),
                  "secret": spec.enable_secret.reveal(), "conn_timeout": 10, "auth_timeout": 10}
        params.update(kwargs)
        conn = ConnectHandler(**params)
        opened.append(conn)
        return conn

    yield _connect
    for conn in opened:
        try:
            conn.disconnect()
        except Exception:
            pass
