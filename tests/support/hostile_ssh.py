"""A small hostile IOS-like SSH server for tests: scripted replies, stalls, endless pagers, garbage, impostors.

The lab emulator is a well-behaved router; this server is the opposite. It speaks just enough IOS for
netmiko's ``cisco_ios`` driver to log in (``host>`` / ``host#`` prompts, ``enable``, ``terminal length 0``,
``terminal width 511``) and then misbehaves exactly as the test asks. It binds 127.0.0.1 only, on a
free port, and runs its asyncio loop in a background thread so synchronous tests (netmiko, the CLI) can
talk to it.

Usage::

    from tests.support.hostile_ssh import HostileSSH, Script, INVALID, AUTHZ_FAILED

    script = Script(hostname="hub1", replies={"show running-config": ""})
    with HostileSSH(script) as server:
        ...  # connect to 127.0.0.1:server.port with any user/password (or Script(password=...))
        assert server.logins == [("admin", "secret")]
        assert "show running-config" in server.commands

or the ``hostile_ssh`` pytest fixture (``from tests.support.fixtures import hostile_ssh`` in the test
module or a conftest): ``server = hostile_ssh(script)`` starts a server that is stopped at the end of the
test; ``hostile_ssh(script, port=p)`` restarts one on a port another server used (a device whose key
changed).

Behaviours (all per :class:`Script`):
    replies           exact command -> reply text (str or bytes; ``""`` is an empty answer). Any other
                      command answers ``unknown`` (default: IOS's ``% Invalid input detected at '^' marker.``).
    line_delay        seconds between output lines (a slow device).
    stall_after_login accept the login, then never send a prompt nor answer anything.
    stall_on          commands after which the session goes silent (prompt never comes back).
    pager_forever     commands whose output is a ``--More--`` pager that never ends, whatever key is sent.
    privileged        start at ``host#`` (privilege 15) instead of ``host>``.
    enable_secret     the ``enable`` password (``None``: any password works); ``allow_enable=False`` makes
                      ``enable`` fail like a privilege-1 account (``% Error in authentication.``).
    password          the only accepted login password (``None``: any).
    host_key          the server's key (default: a fresh ed25519 key per server). Pass another server's
                      key to build an impersonator of it, or a new one to be "the same host with a new key".

Helpers: :func:`huge_line`, :func:`garbage` and :func:`unknown_peers_dmvpn` build hostile outputs;
:attr:`HostileSSH.known_hosts_line` gives the OpenSSH ``known_hosts`` entry for the server.
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import asyncssh

__all__ = ["HostileSSH", "Script", "INVALID", "AUTHZ_FAILED", "huge_line", "garbage", "unknown_peers_dmvpn",
           "new_host_key"]

BIND = "127.0.0.1"
INVALID = "                    ^\n% Invalid input detected at '^' marker.\n"
AUTHZ_FAILED = "Command authorization failed.\n"
MORE = b" --More-- "
Reply = str | bytes


def new_host_key() -> asyncssh.SSHKey:
    """A fresh ed25519 host key (to give a server another identity)."""
    return asyncssh.generate_private_key("ssh-ed25519")


@dataclass
class Script:
    """How the hostile device behaves; see the module docstring for each field."""

    hostname: str = "hostile"
    replies: Mapping[str, Reply] = field(default_factory=dict)
    unknown: Reply = INVALID
    line_delay: float = 0.0
    stall_after_login: bool = False
    stall_on: frozenset[str] = frozenset()
    pager_forever: frozenset[str] = frozenset()
    privileged: bool = False
    allow_enable: bool = True
    enable_secret: str | None = None
    password: str | None = None
    host_key: asyncssh.SSHKey | None = None


class HostileSSH:
    """One hostile SSH server on 127.0.0.1:<free port>, running until :meth:`stop` (or ``with`` exit).

    Attributes:
        port: the TCP port it listens on.
        logins: every (username, password) it received, accepted or not, in order.
        commands: every command line it received (all sessions), in order.
        connections: how many SSH connections reached it (a key exchange without login counts).
        host_key: its private host key (``host_key.export_public_key()`` for the public part).
    """

    def __init__(self, script: Script | None = None, port: int = 0) -> None:
        self.script = script or Script()
        self.host_key = self.script.host_key or new_host_key()
        self.port = port
        self.logins: list[tuple[str, str]] = []
        self.commands: list[str] = []
        self.connections = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self._sessions: set[_Shell] = set()

    # --- lifecycle ----------------------------------------------------------------------------
    def start(self) -> HostileSSH:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="hostile-ssh", daemon=True)
        self._thread.start()
        self._acceptor = asyncio.run_coroutine_threadsafe(self._listen(), loop).result(timeout=30)
        self.port = self._acceptor.sockets[0].getsockname()[1]
        return self

    async def _listen(self) -> asyncssh.SSHAcceptor:
        return await asyncssh.create_server(
            lambda: _Server(self), BIND, self.port, server_host_keys=[self.host_key], line_editor=False,
            encoding=None, keepalive_interval=0, login_timeout=30, server_version="Cisco-1.25",
            reuse_address=True)

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._close(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        loop.close()
        self._loop = None

    async def _close(self) -> None:
        if self._acceptor is not None:
            self._acceptor.close()
        for shell in list(self._sessions):
            shell.abort()

    def __enter__(self) -> HostileSSH:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # --- identity -----------------------------------------------------------------------------
    @property
    def address(self) -> str:
        return f"{BIND}:{self.port}"

    @property
    def known_hosts_line(self) -> str:
        """``[127.0.0.1]:PORT ssh-ed25519 AAAA...``: OpenSSH's form for a non-22 port."""
        public = self.host_key.export_public_key("openssh").decode().split()
        return f"[{BIND}]:{self.port} {public[0]} {public[1]}\n"

    @property
    def fingerprint(self) -> str:
        """OpenSSH's SHA256 fingerprint of the host key (``SHA256:...``)."""
        return str(self.host_key.convert_to_public().get_fingerprint("sha256"))


class _Server(asyncssh.SSHServer):
    def __init__(self, owner: HostileSSH) -> None:
        self.owner = owner

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.owner.connections += 1

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        self.owner.logins.append((username, password))
        wanted = self.owner.script.password
        return wanted is None or password == wanted

    def session_requested(self) -> _Shell:
        return _Shell(self.owner)


class _Shell(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """An IOS-ish vty: echoes keystrokes, answers each line from the script, misbehaves on cue."""

    def __init__(self, owner: HostileSSH) -> None:
        self.owner, self.script = owner, owner.script
        self.inbox: asyncio.Queue[bytes | None] = asyncio.Queue()
        self.privileged = self.script.privileged
        self.buf, self.last_cr = b"", False
        self.worker: asyncio.Task[None] | None = None

    def connection_made(self, chan: Any) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: Any, term_modes: Any) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def session_started(self) -> None:
        self.owner._sessions.add(self)
        self.worker = asyncio.get_running_loop().create_task(self._run())

    def data_received(self, data: bytes, datatype: Any) -> None:
        self.inbox.put_nowait(data)

    def eof_received(self) -> bool:
        self.inbox.put_nowait(None)
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        self.owner._sessions.discard(self)
        if self.worker is not None:
            self.worker.cancel()

    def abort(self) -> None:
        self.chan.get_connection().abort()

    # --- the vty ------------------------------------------------------------------------------
    @property
    def prompt(self) -> bytes:
        return f"{self.script.hostname}{'#' if self.privileged else '>'}".encode()

    def _write(self, data: bytes) -> None:
        if data and not self.chan.is_closing():
            self.chan.write(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))

    async def _run(self) -> None:
        try:
            if self.script.stall_after_login:
                await asyncio.Event().wait()  # logged in, then nothing ever again
            self._write(b"\n" + self.prompt)
            while await self._next_line():
                pass
        except (BrokenPipeError, ConnectionError, asyncssh.Error):
            pass
        finally:
            if not self.chan.is_closing():
                self.chan.exit(0)

    async def _read_line(self, echo: bool = True) -> bytes | None:
        """Next complete line (CR, LF or CR LF ends it); None at end of input."""
        while True:
            for i, ch in enumerate(self.buf):
                if ch in b"\r\n":
                    line, rest = self.buf[:i], self.buf[i + 1:]
                    if ch == 13 and rest[:1] == b"\n":
                        rest = rest[1:]
                    self.buf = rest
                    if echo:
                        self._write(b"\n")
                    return line
            data = await self.inbox.get()
            if data is None:
                return None
            if echo:
                self._write(data.replace(b"\r", b"").replace(b"\n", b""))
            self.buf += data

    async def _next_line(self) -> bool:
        raw = await self._read_line()
        if raw is None:
            return False
        command = raw.decode(errors="replace").strip()
        if command:
            self.owner.commands.append(command)
        if command in ("exit", "logout", "quit"):
            return False
        if command == "enable" and command not in self.script.replies:
            await self._enable()
        elif command in self.script.pager_forever:
            await self._pager_forever(command)
        elif command in self.script.replies:
            await self._reply(self.script.replies[command])
        elif command == "" or command.startswith(("terminal length", "terminal width", "terminal no")):
            pass
        else:
            await self._reply(self.script.unknown)
        if command in self.script.stall_on:
            await asyncio.Event().wait()
        self._write(self.prompt)
        return True

    async def _enable(self) -> None:
        self._write(b"Password: ")
        secret = await self._read_line(echo=False)
        self._write(b"\n")
        wanted = self.script.enable_secret
        if self.script.allow_enable and (wanted is None or (secret or b"").decode(errors="replace") == wanted):
            self.privileged = True
        else:
            self._write(b"% Error in authentication.\n\n")

    async def _reply(self, reply: Reply) -> None:
        data = reply.encode() if isinstance(reply, str) else reply
        if self.script.line_delay <= 0:
            self._write(data)
            return
        for line in data.splitlines(keepends=True):
            await asyncio.sleep(self.script.line_delay)
            self._write(line)

    async def _pager_forever(self, command: str) -> None:
        """A --More-- prompt after every screen; any key only brings the next one."""
        screen = 0
        while True:
            self._write(b"".join(f"{command} line {screen * 23 + i}\n".encode() for i in range(23)) + MORE)
            screen += 1
            data = await self.inbox.get()
            if data is None:
                raise ConnectionError("end of input")
            self._write(b"\b" * len(MORE) + b" " * len(MORE) + b"\b" * len(MORE))


# --- hostile outputs ---------------------------------------------------------------------------
def huge_line(size: int = 1_000_000, char: str = "A") -> str:
    """One line of ``size`` characters (no newline inside)."""
    return char * size + "\n"


def garbage(size: int = 4096) -> bytes:
    """ANSI escapes, control bytes, NULs and invalid UTF-8: what a broken terminal server might emit."""
    chunk = (b"\x1b[31mRED\x1b[0m \x1b]0;title\x07 \x00\x01\x02\x7f \xff\xfe\xc3\x28 \x1b[2J\x1b[H"
             b"Interface: Tunnel0\x08\x08\x08\n")
    return (chunk * (size // len(chunk) + 1))[:size]


def unknown_peers_dmvpn(count: int, *, interface: str = "Tunnel0", first: str = "10.99") -> str:
    """`show dmvpn` of a spoke listing ``count`` dynamic peers nobody intended (IOS 15+/XE layout)."""
    rows = []
    for i in range(count):
        a, b = divmod(i, 250)
        nbma, tunnel = f"203.0.{a % 250}.{b + 1}", f"{first}.{a % 250}.{b + 1}"
        rows.append(f"     1 {nbma:<15} {tunnel:>15}    UP 00:01:{i % 60:02d}   D")
    header = (
        "Legend: Attrb --> S - Static, D - Dynamic, I - Incomplete\n"
        "        N - NATed, L - Local, X - No Socket\n"
        "        T1 - Route Installed, T2 - Nexthop-override\n"
        "        C - CTS Capable, I2 - Temporary\n"
        "        # Ent --> Number of NHRP entries with same NBMA peer\n"
        "        NHS Status: E --> Expecting Replies, R --> Responding, W --> Waiting\n"
        "        UpDn Time --> Up or Down Time for a Tunnel\n"
        "==========================================================================\n\n"
        f"Interface: {interface}, IPv4 NHRP Details \n"
        f"Type:Spoke, NHRP Peers:{count}, \n\n"
        " # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb\n"
        " ----- --------------- --------------- ----- -------- -----\n")
    return header + "\n".join(rows) + "\n\n"
