"""`--More--` paging for humans (terminal length N); netmiko's `terminal length 0` turns it off."""
from __future__ import annotations

import asyncio

import asyncssh
import pytest

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab

pytestmark = pytest.mark.lab  # every test here starts the lab emulator


async def _session(port: int, user: str, password: str, keys: list[str]) -> str:
    async with asyncssh.connect("127.0.0.1", port=port, username=user, password=password,
                                known_hosts=None) as conn:
        proc = await conn.create_process(term_type="vt100")
        out = await asyncio.wait_for(proc.stdout.readuntil("hub1#"), 5)
        for key in keys:
            proc.stdin.write(key)
            await asyncio.sleep(0.15)
        await asyncio.sleep(0.3)
        out += await asyncio.wait_for(proc.stdout.read(1 << 20), 5)
        proc.close()
        return out


def test_more_pages_until_space_and_length_zero_does_not(lab: Lab, design: Design) -> None:
    spec = design.hosts["hub1"]
    args = (lab.port("hub1"), spec.username, spec.password.reveal())
    paged = asyncio.run(_session(*args, ["show version\r", " ", " ", " "]))
    assert paged.count("--More--") >= 1
    assert "Configuration register is 0x2102" in paged
    flat = asyncio.run(_session(*args, ["terminal length 0\r", "show version\r"]))
    assert "--More--" not in flat and "Configuration register is 0x2102" in flat


def test_q_stops_paging(lab: Lab, design: Design) -> None:
    spec = design.hosts["hub1"]
    out = asyncio.run(_session(lab.port("hub1"), spec.username, spec.password.reveal(), ["show version\r", "q"]))
    assert "--More--" in out and "Configuration register" not in out
