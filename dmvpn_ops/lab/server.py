"""SSH front end: one asyncssh listener per router on 127.0.0.1, password auth, a vty line per session."""
from __future__ import annotations

import asyncio
import logging
from typing import Any, cast

import asyncssh
from asyncssh.constants import EXTENDED_DATA_STDERR
from asyncssh.scp import run_scp_server
from asyncssh.stream import SSHReader, SSHServerStreamSession, SSHWriter

from dmvpn_ops.errors import LabError
from dmvpn_ops.lab import banner, help, transfer
from dmvpn_ops.lab.core import LabCore
from dmvpn_ops.lab.session import Reply, Session

log = logging.getLogger("dmvpn_ops.lab")
MORE = " --More-- "
_UNMORE = "\b" * len(MORE) + " " * len(MORE) + "\b" * len(MORE)   # IOS erases the prompt in place
HISTORY = 10   # IOS `terminal history size` default
BIND = "127.0.0.1"  # never anything else: the lab's routers must not be reachable off-box
_HOST_KEY: asyncssh.SSHKey | None = None
_EOF = "\0eof"   # inbox marker for end-of-input (never typed: NUL is not a key the line discipline takes)


def host_key() -> asyncssh.SSHKey:
    """One key shared by every router of the process (memory: not one per router)."""
    global _HOST_KEY
    if _HOST_KEY is None:
        _HOST_KEY = asyncssh.generate_private_key("ssh-ed25519")
    return _HOST_KEY


def use_host_key(key: asyncssh.SSHKey) -> None:
    """Serve every router with ``key`` (a background lab loads its persisted key before listening)."""
    global _HOST_KEY
    _HOST_KEY = key


class _ExitingWriter(SSHWriter[bytes]):
    """The writer of a file channel: closing it sends exit-status 0 first (what OpenSSH's scp waits for)."""

    def close(self) -> None:
        chan = cast("asyncssh.SSHServerChannel[bytes]", self.channel)
        if not chan.is_closing():
            chan.exit(0)


async def _awaited(handler: Any) -> None:
    await handler


async def _refuse_download(stdin: SSHReader[bytes], chan: asyncssh.SSHServerChannel[bytes], path: str) -> None:
    """OpenSSH's scp source waits for the sink's first \\0 before it answers; answering before it (and
    closing) made a client that was still sending that byte see a closed channel instead of the error, so
    Ansible's net_put took a missing file for an unreadable one (and reported changed=false)."""
    try:
        await asyncio.wait_for(stdin.read(1), timeout=10)
    except (asyncio.TimeoutError, asyncssh.Error, OSError):
        pass
    chan.write(b"\x01scp: " + path.encode() + b": No such file or directory\n")
    chan.exit(1)


class _Server(asyncssh.SSHServer):
    def __init__(self, core: LabCore, name: str) -> None:
        self.core, self.name = core, name
        self.peer = "127.0.0.1"

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.peer = (conn.get_extra_info("peername") or ("127.0.0.1",))[0]

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        if self.core.fault(self.name, "refuse-login") is not None or self.core.is_down(self.name):
            log.info("%s: login refused for %s (fault)", self.name, username)
            return False
        ok = self.core.routers[self.name].check_login(username, password)
        log.info("%s: login %s for %s from %s", self.name, "ok" if ok else "failed", username, self.peer)
        return ok

    def session_requested(self) -> asyncssh.SSHServerSession[str]:
        return _Shell(self.core, self.name, self.conn.get_extra_info("username"), self.peer)


class _Shell(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """A vty: reads keystrokes, echoes them like IOS, runs each line through a Session in order."""

    def __init__(self, core: LabCore, name: str, user: str, peer: str) -> None:
        self.core, self.name = core, name
        self.session = Session(core, core.routers[name], user, peer, len(core.sessions[name]))
        self.inbox: asyncio.Queue[str] = asyncio.Queue()
        self.buf, self.last_cr = "", False
        self.command: str | None = None
        self.worker: asyncio.Task[None] | None = None
        self.more: list[str] | None = None     # lines still to page out after " --More-- "
        self.stream: SSHServerStreamSession[Any] | None = None   # an SCP channel: asyncssh serves it
        self.esc = ""                      # an ANSI escape sequence being read (cursor keys)
        self.history: list[str] = []
        self.hist_at = 0

    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:  # type: ignore[type-arg]
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: Any, term_modes: Any) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        if command.startswith("scp "):   # `scp -t flash:/x` / `scp -f flash:/x`: the SCP server of IOS
            return self._file_channel()
        self.command = command
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        """IOS-XE has no SFTP server: the request is refused and the client's transfer ends ("The SFTP server
        is not supported", Catalyst 9300 IOS XE 17.10 Security Configuration Guide, Configuring SSH File
        Transfer Protocol, Restrictions; Cisco tech note 220371 "SCP from clients on OpenSSH 9.0 to IOS XE":
        SFTP is not supported over SSH, the login succeeds and the transfer closes; `scp -O` is the fix)."""
        log.info("%s: %s subsystem refused (IOS-XE serves no SFTP; SCP needs scp -O)", self.name, subsystem)
        return False

    def _file_channel(self) -> bool:
        """Turn this channel into an SCP one over flash: (IOS: `ip scp server enable`, privilege 15)."""
        if not transfer.allowed(self.core.routers[self.name], self.session.privileged):
            log.info("%s: file transfer refused (ip scp server enable / privilege 15)", self.name)
            return False
        self.chan.set_encoding(None)      # raw bytes from here on
        self.stream = SSHServerStreamSession(None)
        self.stream.connection_made(self.chan)
        return True

    def _serve_files(self, stream: SSHServerStreamSession[Any]) -> None:
        """asyncssh's SCP protocol handler over the flash SFTPServer; the channel ends with exit-status 0
        as on IOS (asyncssh's own stream session would close it without one, and scp reports failure)."""
        chan = cast("asyncssh.SSHServerChannel[bytes]", self.chan)
        server = transfer.FlashSFTP(chan, self.core.routers[self.name])
        stdin: SSHReader[bytes] = SSHReader(stream, chan)
        stdout: SSHWriter[bytes] = _ExitingWriter(stream, chan)
        command = chan.get_command()
        missing = transfer.missing_source(self.core.routers[self.name], command or "")
        if missing is not None:   # `scp -f` of no file: the error OpenSSH's scp server sends, then exit 1
            asyncio.get_running_loop().create_task(_refuse_download(stdin, chan, missing))
            return
        handler = run_scp_server(server, command or "", stdin, stdout, SSHWriter(stream, chan, EXTENDED_DATA_STDERR))
        if handler is not None:
            asyncio.get_running_loop().create_task(_awaited(handler))

    def session_started(self) -> None:
        if self.stream is not None:
            self._serve_files(self.stream)
            return
        self.core.sessions[self.name].add(self)
        self.worker = asyncio.get_running_loop().create_task(self._run())

    def data_received(self, data: str, datatype: Any) -> None:
        if self.stream is not None:
            self.stream.data_received(data, datatype)
            return
        self.inbox.put_nowait(data)

    def pause_writing(self) -> None:
        if self.stream is not None:
            self.stream.pause_writing()

    def resume_writing(self) -> None:
        if self.stream is not None:
            self.stream.resume_writing()

    def eof_received(self) -> bool:
        if self.stream is not None:
            return bool(self.stream.eof_received())
        # IOS on end-of-input (`ssh -n`, piped stdin): it still answers every line it received, then
        # exits the vty. True keeps our sending side open (False would half-close it and the next
        # write would raise BrokenPipeError); the worker sees EOF after the queued lines.
        self.inbox.put_nowait(_EOF)
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        if self.stream is not None:
            self.stream.connection_lost(exc)
        self.core.sessions[self.name].discard(self)
        if self.worker is not None:
            self.worker.cancel()

    def drop(self) -> None:
        """Cut the session (reload, hub-down, refuse-login)."""
        self.chan.get_connection().abort()

    def _write(self, text: str) -> None:
        if text:
            self.chan.write(text.replace("\r\n", "\n").replace("\n", "\r\n"))

    async def _run(self) -> None:
        """Serve the channel, and whatever happens, end it with an exit-status (clients wait for one)."""
        try:
            if self.command is not None:
                await self._exec_channel(self.command)
            else:
                await self._shell()
        except (BrokenPipeError, ConnectionError, asyncssh.Error) as exc:
            log.info("%s: session ended: %s", self.name, exc)
        finally:
            self._exit()

    def _exit(self) -> None:
        if not self.chan.is_closing():
            try:
                self.chan.exit(0)
            except (BrokenPipeError, OSError):   # the connection was cut under us (drop, client gone)
                pass

    async def _shell(self) -> None:
        self._write(self._motd() + self.session.prompt)
        while True:
            data = await self.inbox.get()
            if data == _EOF:   # every entered line before it has been answered; an unfinished one is not
                return
            echo: list[str] = []
            for ch in data:
                if self.more is not None:
                    self._more_key(ch)
                    continue
                if ch == "\x04":
                    return
                line = self._key(ch, echo)
                if line is None:
                    continue
                self._write("".join(echo))
                echo.clear()
                if not await self._command(line):
                    return
            self._write("".join(echo))

    def _key(self, ch: str, echo: list[str]) -> str | None:
        """Line discipline: returns a finished line on Enter, else None (echo collected)."""
        if self.esc or ch == "\x1b":
            self._escape(ch, echo)
            return None
        if ch == "\n" and self.last_cr:
            self.last_cr = False
            return None
        self.last_cr = ch == "\r"
        if ch in "\r\n" or ch == "\x1a":
            line, self.buf = self.buf + ("\x1a" if ch == "\x1a" else ""), ""
            echo.append("^Z\n" if ch == "\x1a" else "\n")
            self._remember(line)
            return line
        editing = self.session.pending is None and not self.session.hide_input
        if editing and ch in "?\t\x10\x0e":   # help, completion, ^P / ^N history (IOS editing keys)
            self._edit_key(ch, echo)
            return None
        if ch == "\x15" and editing:     # ^U: erase the line (IOS editing key)
            echo.append("\b \b" * len(self.buf))
            self.buf = ""
            return None
        if ch in "\x7f\x08":
            if self.buf:
                self.buf = self.buf[:-1]
                echo.append("\b \b")
        elif ch >= " " or ch == "\t":
            self.buf += ch
            if not self.session.hide_input:
                echo.append(ch)
        return None

    def _escape(self, ch: str, echo: list[str]) -> None:
        """ANSI cursor keys: up/down walk the history (as ^P/^N); other sequences are swallowed."""
        self.esc += ch
        if len(self.esc) < 3 and self.esc in ("\x1b", "\x1b[", "\x1bO"):
            return
        seq, self.esc = self.esc, ""
        if seq[-1:] in ("A", "B") and self.session.pending is None and not self.session.hide_input:
            self._edit_key("\x10" if seq[-1] == "A" else "\x0e", echo)

    def _edit_key(self, ch: str, echo: list[str]) -> None:
        grammar = self.session.grammar()
        if ch == "?":
            text = help.help_text(grammar, self.buf, len(self.session.prompt))
            echo.append("?\n" + text + "\n" + self.session.prompt + self.buf)
        elif ch == "\t":
            done = help.complete(grammar, self.buf)
            if done is not None:
                echo.append(done[len(self.buf):] if done.startswith(self.buf) else "")
                self.buf = done
        else:
            self._recall(-1 if ch == "\x10" else 1, echo)

    def _remember(self, line: str) -> None:
        """The last 10 commands entered (IOS's default `history size`), not answers to prompts."""
        if line.strip() and self.session.pending is None and not self.session.hide_input:
            self.history = (self.history + [line])[-HISTORY:]
        self.hist_at = len(self.history)

    def _recall(self, step: int, echo: list[str]) -> None:
        at = self.hist_at + step
        if not 0 <= at <= len(self.history):
            echo.append("\a")
            return
        self.hist_at = at
        new = self.history[at] if at < len(self.history) else ""
        echo.append("\b \b" * len(self.buf) + new)
        self.buf = new

    async def _command(self, line: str) -> bool:
        reply = self.session.handle(line)
        delay = self.core.fault(self.name, "slow")
        if delay:
            await asyncio.sleep(delay)
        text = reply.text
        if self.core.take_drop(self.name):  # ssh-drop: half the output, then the line goes dead
            self._write(text[: len(text) // 2])
            await asyncio.sleep(0.05)
            self.drop()
            return False
        if text.endswith("\0"):
            self._write(text[:-1])
        elif not reply.close and self._page(text):
            return True
        else:
            self._write(text + ("\n" if text else "") + ("" if reply.close else self.session.prompt))
        return not reply.close

    def _page(self, text: str) -> bool:
        """`terminal length N` (not 0): print a screenful and wait at --More-- (True if paging began)."""
        lines, size = text.split("\n"), self.session.length - 1
        if size <= 0 or len(lines) <= size:
            return False
        self._write("\n".join(lines[:size]) + "\n" + MORE)
        self.more = lines[size:]
        return True

    def _more_key(self, ch: str) -> None:
        """Space: next screen; Enter: one more line; anything else: stop and show the prompt."""
        rest, self.more = self.more or [], None
        self._write(_UNMORE)
        if ch == "\n" and self.last_cr:
            self.more, self.last_cr = rest, False       # the LF of a CR LF pair
            self._write(MORE)
            return
        self.last_cr = ch == "\r"
        step = max(1, self.session.length - 1) if ch == " " else 1 if ch in "\r\n" else 0
        shown, rest = rest[:step], rest[step:]
        if shown:
            self._write("\n".join(shown) + "\n")
        if rest and step:
            self.more = rest
            self._write(MORE)
        else:
            self._write(("" if shown or not rest else "\n") + self.session.prompt)

    def _motd(self) -> str:
        line = next((ln for ln in self.session.router.running if ln.text.startswith("banner motd")), None)
        return (banner.text_of(line.text).strip("\n") + "\n") if line else ""

    async def _exec_channel(self, command: str) -> None:
        """`ssh router "show version"`: run one command at the user's privilege and exit."""
        reply: Reply = self.session.run_exec(command.strip())
        self._write(reply.text.rstrip("\0") + "\n")


async def listen(core: LabCore, name: str) -> asyncssh.SSHAcceptor:
    try:
        acceptor = await asyncssh.create_server(
            lambda: _Server(core, name), BIND, core.ports[name], server_host_keys=[host_key()],
            line_editor=False, encoding="utf-8", keepalive_interval=0, login_timeout=30,
            server_version="Cisco-1.25", reuse_address=True)
    except OSError as exc:
        raise LabError(f"cannot listen on {BIND}:{core.ports[name]}: {exc.strerror or exc}",
                       host=name, field="port",
                       hint="another lab or program uses that port; `dmvpn-ops lab status` or pick free ports") from exc
    if core.ports[name] == 0:  # "free" ports: keep the one the OS gave, so a restart reuses it
        core.ports[name] = acceptor.sockets[0].getsockname()[1]
    return acceptor
