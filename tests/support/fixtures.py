"""pytest fixture for hostile SSH servers: ``hostile_ssh(Script(...))`` starts one, stopped after the test."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.support.hostile_ssh import HostileSSH, Script


@pytest.fixture
def hostile_ssh() -> Iterator[Callable[..., HostileSSH]]:
    """Factory: ``server = hostile_ssh(Script(hostname="hub1"))``; every server it started stops at teardown."""
    started: list[HostileSSH] = []

    def start(script: Script | None = None, port: int = 0) -> HostileSSH:
        server = HostileSSH(script, port=port).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
