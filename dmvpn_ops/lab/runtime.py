"""Background lab process: `lab up/down/status`, its pid/state/log files and the daemon's main loop.

State lives in ``<inventory parent>/.dmvpn-ops/lab/<inventory dir name>/``: ``lab.pid``, ``state.json``
(pid, inventory, ports, socket, log, started), ``lab.log`` and ``control.sock``. With ``--nornir-config``
the config file names the lab instead of the folder (``IntentSource.location``: the key the connecting
verbs look the lab up by), and the daemon reads the design through that config's inventory plugin.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dmvpn_ops.errors import DmvpnOpsError, LabError
from dmvpn_ops.lab import control

if TYPE_CHECKING:
    from dmvpn_ops.intent.model import Design

READY_TIMEOUT = 60.0
_MARK = "dmvpn_ops.lab.runtime"


def state_dir(inventory: Path) -> Path:
    inv = inventory.resolve()
    return inv.parent / ".dmvpn-ops" / "lab" / inv.name


def socket_path(inventory: Path) -> Path:
    path = state_dir(inventory) / "control.sock"
    if len(str(path)) < 100:  # AF_UNIX path limit
        return path
    digest = hashlib.sha256(str(inventory.resolve()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"dmvpn-ops-lab-{digest}.sock"


def read_state(inventory: Path) -> dict[str, Any] | None:
    """The state of a lab process that is still alive, else None (stale files are ignored)."""
    try:
        state = json.loads((state_dir(inventory) / "state.json").read_text())
    except (OSError, ValueError):
        return None
    return state if _is_ours(int(state.get("pid", 0))) else None


def recorded_state(inventory: Path) -> dict[str, Any] | None:
    """The state file as ``lab up`` wrote it, whether or not its lab still runs (None: no file).

    A connecting verb uses it to refuse a dead lab instead of silently falling back to the
    inventory's real addresses (a lab file means "this inventory is rehearsed on the lab").
    """
    path = state_dir(inventory) / "state.json"
    try:
        state = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"pid": 0, "ports": {}, "state_file": str(path)}
    return state if isinstance(state, dict) else {"pid": 0, "ports": {}, "state_file": str(path)}


def answering(state: dict[str, Any]) -> bool:
    """The recorded lab process is ours and alive, and its control socket answers."""
    try:
        pid = int(state.get("pid", 0))
    except (TypeError, ValueError):
        return False
    if not _is_ours(pid):
        return False
    try:
        control.request(Path(str(state.get("socket", ""))), "status", timeout=5)
    except (LabError, ValueError):
        return False
    return True


def _is_ours(pid: int) -> bool:
    """True only for a live lab daemon: never signal a pid that was recycled by another program."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return pid > 0 and any(_MARK.encode() in part for part in cmdline)


def up(inventory: Path, nornir_config: Path | None = None) -> dict[str, Any]:
    """Start the lab in the background; returns its state once every router listens.

    ``nornir_config`` (a Nornir config.yaml, any inventory plugin) replaces the folder: the lab is then
    keyed by the config file, as every connecting verb given the same ``--nornir-config`` looks it up.
    """
    from dmvpn_ops.intent import IntentSource
    source = IntentSource(inventory, nornir_config)
    source.design()  # bad input fails here, in the foreground, with exit code 2
    inventory = source.location
    running = read_state(inventory)
    if running:
        raise LabError(f"a lab is already running for {inventory} (pid {running['pid']})",
                       hint="`dmvpn-ops lab down` first")
    folder = state_dir(inventory)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "state.json").unlink(missing_ok=True)
    log = folder / "lab.log"
    with open(log, "ab") as out:
        argv = [sys.executable, "-m", _MARK, str(inventory.resolve())] + ([_CONFIG_FLAG] if nornir_config else [])
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=out, start_new_session=True, close_fds=True)
    return _wait_ready(inventory, proc, log)


def _wait_ready(inventory: Path, proc: subprocess.Popen[bytes], log: Path) -> dict[str, Any]:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        state = read_state(inventory)
        if state and state["pid"] == proc.pid:
            return state
        if proc.poll() is not None:
            tail = log.read_text(errors="replace").strip().splitlines()[-1:] or ["(no log)"]
            message = tail[0].split(": ", 1)[-1] if " ERROR " in tail[0] else tail[0]
            raise LabError(f"the lab process exited during start-up: {message}", file=str(log))
        time.sleep(0.05)
    proc.terminate()
    raise LabError(f"the lab did not come up within {READY_TIMEOUT:.0f}s", file=str(log))


def down(inventory: Path) -> int | None:
    """Stop exactly the lab process recorded for this inventory; returns its pid (None: none ran)."""
    state = read_state(inventory)
    folder = state_dir(inventory)
    if state is None:
        for name in ("state.json", "lab.pid"):
            (folder / name).unlink(missing_ok=True)
        return None
    pid = int(state["pid"])
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while _is_ours(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _is_ours(pid):
        os.kill(pid, signal.SIGKILL)
    for name in ("state.json", "lab.pid"):
        (folder / name).unlink(missing_ok=True)
    return pid


def call(inventory: Path, op: str, **args: Any) -> dict[str, Any]:
    """Send an operator action to the running lab of ``inventory``."""
    state = read_state(inventory)
    if state is None:
        raise LabError(f"no lab is running for {inventory}", hint="`dmvpn-ops lab up` first")
    return control.request(Path(state["socket"]), op, **args)


_CONFIG_FLAG = "--nornir-config"  # the daemon's second argument: its first is a Nornir config, not a folder


def _design(location: Path, nornir_config: bool) -> Design:
    """The design the daemon serves: the folder's, or that of the Nornir config's inventory plugin."""
    from dmvpn_ops.intent import IntentSource, load_design

    if nornir_config:
        return IntentSource(nornir_config=location).design()
    return load_design(str(location))


def serve(inventory: Path, nornir_config: bool = False) -> None:
    """The daemon: run every router until SIGTERM; write state.json once listening."""
    from dmvpn_ops.secrets import MaskingFilter
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(MaskingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    try:
        asyncio.run(_serve(inventory, nornir_config))
    except DmvpnOpsError as exc:  # the parent shows the log's last line: make it the message
        logging.getLogger("dmvpn_ops.lab").error("%s", exc.render())
        sys.exit(exc.exit_code)


async def _serve(inventory: Path, nornir_config: bool) -> None:
    from dmvpn_ops.lab.server import use_host_key
    from dmvpn_ops.lab.service import LabService
    design = _design(inventory, nornir_config)
    use_host_key(lab_host_key(state_dir(inventory) / "ssh_host_ed25519_key"))
    service = LabService(design, {n: h.emulator_port for n, h in design.hosts.items()})
    await service.start()
    sock = socket_path(inventory)
    ctl = await control.serve(service, sock)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    _write_state(inventory, service, sock)
    await stop.wait()
    ctl.close()
    await service.stop()
    sock.unlink(missing_ok=True)
    logging.getLogger("dmvpn_ops.lab").info("lab down")


def lab_host_key(path: Path) -> Any:
    """The lab's one SSH host key, kept in its state dir (0600) so a restarted lab keeps its identity."""
    import asyncssh

    try:
        return asyncssh.read_private_key(str(path))
    except (OSError, asyncssh.KeyImportError):
        key = asyncssh.generate_private_key("ssh-ed25519")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key.export_private_key())
        return key


def _write_state(inventory: Path, service: Any, sock: Path) -> None:
    folder = state_dir(inventory)
    state = {"pid": os.getpid(), "inventory": str(inventory.resolve()), "ports": service.core.ports,
             "socket": str(sock), "log": str(folder / "lab.log"), "started": time.time()}
    (folder / "lab.pid").write_text(f"{os.getpid()}\n")
    tmp = folder / "state.json.tmp"
    tmp.write_text(json.dumps(state, indent=2))
    tmp.replace(folder / "state.json")


if __name__ == "__main__":
    serve(Path(sys.argv[1]), nornir_config=sys.argv[2:] == [_CONFIG_FLAG])
