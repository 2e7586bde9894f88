"""The running lab on an event loop: listeners follow the routers' up/down state; fault/clear/clock ops."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

import asyncssh

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.core import LabCore
from dmvpn_ops.lab.server import listen

log = logging.getLogger("dmvpn_ops.lab")
TICK = 1.0


class LabService:
    """Start/stop every router's SSH listener and apply operator actions; one per lab process."""

    def __init__(self, design: Design, ports: dict[str, int]) -> None:
        self.core = LabCore(design, ports)
        self.acceptors: dict[str, asyncssh.SSHAcceptor] = {}
        self._ticker: asyncio.Task[None] | None = None

    async def start(self) -> None:
        names = list(self.core.ports)
        try:
            results = await asyncio.gather(*(listen(self.core, n) for n in names), return_exceptions=True)
            for name, res in zip(names, results):
                if isinstance(res, BaseException):
                    raise res
                self.acceptors[name] = res
        except BaseException:
            await self.stop()
            raise
        self._ticker = asyncio.get_running_loop().create_task(self._tick())
        log.info("lab up: %d routers, %d on SSH at 127.0.0.1", len(self.core.routers), len(names))

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
        for name in list(self.acceptors):
            self.acceptors.pop(name).close()
        for name in self.core.routers:
            self.core.close_sessions(name)

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK)
            self.core.tick()

    async def reconcile(self) -> None:
        """hub-down closes a router's port (connection refused) and its sessions; clear reopens it."""
        for name in self.core.ports:
            down = self.core.is_down(name)
            if down and name in self.acceptors:
                self.acceptors.pop(name).close()
                self.core.close_sessions(name)
            elif not down and name not in self.acceptors:
                self.acceptors[name] = await listen(self.core, name)

    async def fault(self, kind: str, host: str, value: float | None = None) -> dict[str, Any]:
        self.core.inject(kind, host, value)
        await self.reconcile()
        log.info("fault %s injected on %s", kind, host)
        return self.core.status()

    async def clear(self, host: str | None = None) -> dict[str, Any]:
        self.core.clear(host)
        await self.reconcile()
        log.info("faults cleared on %s", host or "all hosts")
        return self.core.status()

    async def advance(self, seconds: float) -> dict[str, Any]:
        self.core.advance(seconds)
        await self.reconcile()
        log.info("clock advanced by %ss", seconds)
        return self.core.status()

    async def status(self) -> dict[str, Any]:
        return self.core.status()
