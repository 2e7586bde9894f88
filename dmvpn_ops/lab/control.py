"""Control channel of a background lab: JSON lines over a unix socket (mode 0600, owner only)."""
from __future__ import annotations

import asyncio
import json
import os
import socket
from pathlib import Path
from typing import Any

from dmvpn_ops.errors import DmvpnOpsError, LabError
from dmvpn_ops.lab.service import LabService

_OPS = ("status", "fault", "clear", "advance")


async def serve(service: LabService, path: Path) -> asyncio.AbstractServer:
    """Answer one JSON request per line: ``{"op": "fault", "kind": ..., "host": ...}``."""
    if path.exists():
        path.unlink()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await reader.readline()
            writer.write((json.dumps(await _dispatch(service, line)) + "\n").encode())
            await writer.drain()
        finally:
            writer.close()

    server = await asyncio.start_unix_server(handle, path=str(path))
    os.chmod(path, 0o600)
    return server


async def _dispatch(service: LabService, line: bytes) -> dict[str, Any]:
    try:
        req = json.loads(line)
        op = req.get("op")
        if op not in _OPS:
            raise LabError(f"unknown control operation {op!r}")
        if op == "fault":
            result = await service.fault(req["kind"], req["host"], req.get("value"))
        elif op == "clear":
            result = await service.clear(req.get("host"))
        elif op == "advance":
            result = await service.advance(float(req["seconds"]))
        else:
            result = await service.status()
        return {"ok": True, "result": result}
    except DmvpnOpsError as exc:
        return {"ok": False, "error": exc.render()}
    except (ValueError, KeyError, TypeError) as exc:
        return {"ok": False, "error": f"bad control request: {exc}"}


def request(path: Path, op: str, timeout: float = 30, **args: Any) -> dict[str, Any]:
    """Send one request to a running lab; raises LabError with the lab's own message on failure."""
    payload = json.dumps({"op": op, **args}).encode() + b"\n"
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(path))
            sock.sendall(payload)
            data = b""
            while not data.endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
    except OSError as exc:
        raise LabError(f"cannot reach the lab's control socket {path}: {exc.strerror or exc}",
                       hint="is the lab up? `dmvpn-ops lab status`") from exc
    reply = json.loads(data or b"{}")
    if not reply.get("ok"):
        raise LabError(reply.get("error", "the lab did not answer"))
    return dict(reply["result"])
