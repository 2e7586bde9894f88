"""A TCP relay on 127.0.0.1 that sends each new connection to a port of its choosing: a device address taken
over mid-run (the first connections reach the real device, later ones an impostor).

Usage::

    with Relay(lambda n: device_port if n < 2 else impostor_port) as relay:
        ...  # connect to 127.0.0.1:relay.port; relay.connections counts what came in
"""
from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from types import TracebackType

__all__ = ["Relay"]

BIND = "127.0.0.1"


class Relay:
    """Forwards connection number ``n`` (0-based) to ``127.0.0.1:route(n)``, bytes both ways, until either closes."""

    def __init__(self, route: Callable[[int], int]) -> None:
        self.route = route
        self.connections = 0
        self._listener = socket.create_server((BIND, 0))
        self.port = int(self._listener.getsockname()[1])
        self._stop = threading.Event()
        self._sockets: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, name="relay", daemon=True)

    def start(self) -> Relay:
        self._thread.start()
        return self

    def _accept(self) -> None:
        self._listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            target = self.route(self.connections)
            self.connections += 1
            try:
                upstream = socket.create_connection((BIND, target), timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            self._sockets += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()
        for sock in self._sockets:
            try:
                sock.close()
            except OSError:
                pass
        self._thread.join(timeout=2)

    def __enter__(self) -> Relay:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
