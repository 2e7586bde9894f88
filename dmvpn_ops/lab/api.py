"""Python API for tests and scripts: ``with Lab(design, ports="free") as lab:`` runs the lab in a thread."""
from __future__ import annotations

import asyncio
import threading
from typing import Any, Coroutine, Literal, Optional, TypeVar, Union

from dmvpn_ops.errors import LabError
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.core import LabCore
from dmvpn_ops.lab.service import LabService

T = TypeVar("T")
Ports = Union[Literal["free", "inventory"], dict[str, int]]


class Lab:
    """A whole lab on a background event loop; every method is synchronous and thread-safe.

    Args:
        design: the intent (``load_design``) whose hosts become routers.
        ports: ``"inventory"`` (each host's ``port``), ``"free"`` (OS-assigned), or a name->port map.
    """

    def __init__(self, design: Design, ports: Ports = "free") -> None:
        self.design = design
        if ports == "free":
            self._ports = {name: 0 for name in design.hosts}
        elif ports == "inventory":
            self._ports = {name: host.emulator_port for name, host in design.hosts.items()}
        else:
            self._ports = dict(ports)
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self.service: Optional[LabService] = None

    # --- lifecycle --------------------------------------------------------------------------
    def start(self) -> "Lab":
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._loop = loop
        self._thread = threading.Thread(target=self._serve, args=(loop, ready), name="dmvpn-lab", daemon=True)
        self._thread.start()
        ready.wait()
        try:
            self.service = self._call(self._make())
        except BaseException:
            self.stop()
            raise
        return self

    async def _make(self) -> LabService:
        service = LabService(self.design, self._ports)
        await service.start()
        return service

    @staticmethod
    def _serve(loop: asyncio.AbstractEventLoop, ready: threading.Event) -> None:
        asyncio.set_event_loop(loop)
        loop.call_soon(ready.set)
        loop.run_forever()

    def stop(self) -> None:
        if self._loop is None:
            return
        if self.service is not None:
            self._call(self.service.stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._loop.close()
        self._loop, self.service = None, None

    def __enter__(self) -> "Lab":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _call(self, coro: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        if self._loop is None:
            coro.close()
            raise LabError("the lab is not running")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    # --- queries and operator actions ----------------------------------------------------------
    @property
    def core(self) -> LabCore:
        if self.service is None:
            raise LabError("the lab is not running")
        return self.service.core

    def port(self, host: str) -> int:
        """The SSH port (on 127.0.0.1) of ``host``."""
        return self.core.ports[self.core._host(host)]

    def ports(self) -> dict[str, int]:
        return dict(self.core.ports)

    def nornir_hosts(self) -> dict[str, dict[str, Any]]:
        """``{host: {"hostname": "127.0.0.1", "port": N}}`` to overlay on a Nornir inventory."""
        return {name: {"hostname": "127.0.0.1", "port": port} for name, port in self.ports().items()}

    def fault(self, kind: str, host: str, value: Optional[float] = None) -> None:
        """Inject ``kind`` on ``host`` (``value``: seconds for ``slow``)."""
        assert self.service is not None
        self._call(self.service.fault(kind, host, value))

    def clear(self, host: Optional[str] = None) -> None:
        assert self.service is not None
        self._call(self.service.clear(host))

    def advance(self, seconds: float) -> None:
        """Move the emulated clock (timers, uptimes, revert timers) forward."""
        assert self.service is not None
        self._call(self.service.advance(seconds))

    def status(self) -> dict[str, Any]:
        assert self.service is not None
        return self._call(self.service.status())

    def running_config(self, host: str) -> str:
        return str(self._call(_sync(lambda: self.core.routers[host].running_config())))

    def configure(self, host: str, text: str) -> list[str]:
        """Apply config text to ``host`` as if pasted in config mode; returns the rejected lines."""
        def go() -> list[str]:
            from dmvpn_ops.lab.router import load_text
            router = self.core.routers[host]
            rejected = load_text(router.running, text)
            router.changed("lab")
            self.core.config_changed(host, now=True)
            return rejected
        return self._call(_sync(go))

    def run(self, host: str, command: str) -> str:
        """Run an EXEC command on ``host`` without SSH (privileged); returns its output."""
        def go() -> str:
            from dmvpn_ops.lab.session import Session
            return Session(self.core, self.core.routers[host], "lab", "api").run_exec(command, True).text
        return str(self._call(_sync(go)))


async def _sync(fn: Any) -> Any:
    return fn()
