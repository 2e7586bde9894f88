"""Python API for tests and scripts: ``with Lab(design, ports="free") as lab:`` runs the lab in a thread."""
from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine, Iterable, Mapping
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, Literal, TypeVar

from dmvpn_ops.errors import LabError
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.core import LabCore
from dmvpn_ops.lab.service import LabService

log = logging.getLogger("dmvpn_ops.lab")
T = TypeVar("T")
Ports = Literal["free", "inventory"] | dict[str, int]


class Lab:
    """A whole lab on a background event loop; every method is synchronous and thread-safe.

    Args:
        design: the intent (``load_design``) whose hosts become routers.
        ports: ``"inventory"`` (each host's ``port``), ``"free"`` (OS-assigned), or a name->port map.
        ssh_hosts: the hosts that get an SSH listener (default: all). The others are routers of the
            cloud all the same, configured with :meth:`configure` (e.g. 2 hubs over SSH, 1,000 spokes
            loaded directly from their rendered configs).
        start_timeout: seconds :meth:`start` waits (default: 60, plus 20 ms per router past 1,000).
        host_key: a file holding the lab's SSH host key (created 0600 on first start) so a restarted lab
            keeps its identity; every router of the process serves that one key. Default: a fresh key
            per process.
        hide_lines: the IOS-XE 17.x quirk: ``True`` (every router) or the hosts whose `show running-config`
            omits ``ip nhrp shortcut`` / ``ip nhrp map multicast dynamic`` while still honouring them.
    """

    join_timeout = 10.0

    def __init__(self, design: Design, ports: Ports = "free", ssh_hosts: Iterable[str] | None = None,
                 start_timeout: float | None = None, hide_lines: bool | Iterable[str] = False,
                 host_key: Path | None = None) -> None:
        self.design = design
        self._host_key = host_key
        self._hide = list(design.hosts) if hide_lines is True else list(hide_lines or [])
        wanted = list(design.hosts) if ssh_hosts is None else list(ssh_hosts)
        unknown = sorted(set(wanted) - set(design.hosts))
        if unknown:
            raise LabError(f"ssh_hosts names unknown hosts: {', '.join(unknown)}")
        if ports == "free":
            self._ports = dict.fromkeys(wanted, 0)
        elif ports == "inventory":
            self._ports = {name: design.hosts[name].emulator_port for name in wanted}
        else:
            self._ports = {name: port for name, port in ports.items() if name in wanted}
        self.start_timeout = start_timeout or 60 + max(0, len(design.hosts) - 1000) * 0.02
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.service: LabService | None = None

    # --- lifecycle --------------------------------------------------------------------------
    def start(self) -> Lab:
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._loop = loop
        self._thread = threading.Thread(target=self._serve, args=(loop, ready), name="dmvpn-lab", daemon=True)
        self._thread.start()
        ready.wait()
        try:
            self.service = self._call(self._make(), timeout=self.start_timeout)
        except FutureTimeout:
            self.stop()
            raise LabError(f"the lab did not start within {self.start_timeout:.0f}s "
                           f"({len(self.design.hosts)} routers, {len(self._ports)} SSH listeners)") from None
        except BaseException:
            self.stop()
            raise
        return self

    async def _make(self) -> LabService:
        if self._host_key is not None:  # the lab's identity survives a restart (as `lab up` keeps its own)
            from dmvpn_ops.lab.runtime import lab_host_key
            from dmvpn_ops.lab.server import use_host_key
            use_host_key(lab_host_key(self._host_key))
        service = LabService(self.design, self._ports)
        for host in self._hide:
            service.core.routers[host].hide_lines = True
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
            self._thread.join(timeout=self.join_timeout)
        if self._loop.is_running():  # still busy (a start that timed out): the daemon thread ends with it
            log.warning("lab event loop still busy at stop; left to finish in its daemon thread")
        else:
            self._loop.close()
        self._loop, self.service = None, None

    def __enter__(self) -> Lab:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _call(self, coro: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        if self._loop is None:
            coro.close()
            raise LabError("the lab is not running")
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise

    # --- queries and operator actions ----------------------------------------------------------
    @property
    def core(self) -> LabCore:
        if self.service is None:
            raise LabError("the lab is not running")
        return self.service.core

    def port(self, host: str) -> int:
        """The SSH port (on 127.0.0.1) of ``host``."""
        if self.core._host(host) not in self.core.ports:
            raise LabError(f"{host} has no SSH listener in this lab (ssh_hosts)", host=host)
        return self.core.ports[host]

    def ports(self) -> dict[str, int]:
        return dict(self.core.ports)

    def nornir_hosts(self) -> dict[str, dict[str, Any]]:
        """``{host: {"hostname": "127.0.0.1", "port": N}}`` to overlay on a Nornir inventory."""
        return {name: {"hostname": "127.0.0.1", "port": port} for name, port in self.ports().items()}

    def fault(self, kind: str, host: str, value: float | None = None) -> None:
        """Inject ``kind`` on ``host`` (``value``: seconds for ``slow``)."""
        assert self.service is not None
        self._call(self.service.fault(kind, host, value))

    def clear(self, host: str | None = None) -> None:
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
        return self.configure_many({host: text})[host]

    def configure_many(self, configs: Mapping[str, str]) -> dict[str, list[str]]:
        """:meth:`configure` for many hosts in one hop to the lab's loop (1,000 spokes in one call)."""
        def go() -> dict[str, list[str]]:
            from dmvpn_ops.lab.router import load_text
            rejected = {}
            for host, text in configs.items():
                router = self.core.routers[self.core._host(host)]
                rejected[host] = load_text(router.running, text)
                router.changed("lab")
                self.core.config_changed(host)
            return rejected
        return dict(self._call(_sync(go), timeout=self.start_timeout))

    def hide_lines(self, host: str, on: bool = True) -> None:
        """Toggle the IOS-XE 17.x running-config quirk on one router (see ``hide_lines`` above)."""
        def go() -> None:
            self.core.routers[self.core._host(host)].hide_lines = on
        self._call(_sync(go))

    def run(self, host: str, command: str) -> str:
        """Run an EXEC command on ``host`` without SSH (privileged); returns its output."""
        def go() -> str:
            from dmvpn_ops.lab.session import Session
            return Session(self.core, self.core.routers[host], "lab", "api").run_exec(command, True).text
        return str(self._call(_sync(go)))


async def _sync(fn: Any) -> Any:
    return fn()
