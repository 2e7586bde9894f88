"""SCP into a router's flash: (what NAPALM, netmiko file_transfer, Ansible net_put and `scp -O` use).

asyncssh's SCP server works on an :class:`asyncssh.SFTPServer` backend; this one maps its paths onto the
router's flash dictionary (`flash:/x`, `flash:x`, `bootflash:x` and `/x` are one file, as IOS's file system
treats them). IOS serves SCP only with `ip scp server enable` (Cisco Security CR: ip scp server enable) and
only to a privilege-15 user (Secure Copy, IOS XE 17 Security VPN configuration guide). IOS-XE serves no SFTP:
"The SFTP server is not supported" (Catalyst 9300 IOS XE 17.10 Security Configuration Guide, Configuring SSH
File Transfer Protocol, Restrictions) and Cisco tech note 220371 (SCP from OpenSSH 9.0 clients to IOS XE: SFTP
is not supported, the transfer closes, use `scp -O`), so the lab's SSH server refuses the sftp subsystem.
"""
from __future__ import annotations

import posixpath
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import asyncssh
from asyncssh.constants import FILEXFER_TYPE_DIRECTORY, FILEXFER_TYPE_REGULAR, FXF_TRUNC, FXF_WRITE

from dmvpn_ops.lab import config

if TYPE_CHECKING:
    from dmvpn_ops.lab.router import Router


def missing_source(router: Router, command: str) -> str | None:
    """The path of an `scp -f PATH` (a download) that names no file on flash:, else None."""
    words = command.split()
    if words[:1] != ["scp"] or "-f" not in words or len(words) < 3:
        return None
    path = words[-1]
    key = flash_key(path)
    return path if key != "flash:" and key not in router.flash else None


def allowed(router: Router, privileged: bool) -> bool:
    return privileged and config.find(router.running, ("ip", "scp", "server", "enable")) is not None


def flash_key(path: bytes | str) -> str:
    """`flash:/x`, `bootflash:x`, `/x`, `x` -> `flash:x`; the device itself -> `flash:`."""
    text = path.decode() if isinstance(path, bytes) else path
    dev, sep, name = text.partition(":")
    if not sep:
        name = dev
    name = posixpath.normpath("/" + name).lstrip("/")   # `.`, `./x`, `//x` like a shell would
    return "flash:" + name


@dataclass
class _Open:
    key: str
    data: bytearray = field(default_factory=bytearray)
    writing: bool = False


class FlashSFTP(asyncssh.SFTPServer):
    """The file backend of the SCP server (asyncssh's SCP runs on an SFTPServer): one directory, flash:."""

    def __init__(self, chan: asyncssh.SSHServerChannel[bytes], router: Router) -> None:
        super().__init__(chan)
        self.router = router

    def _attrs(self, key: str) -> asyncssh.SFTPAttrs:
        if key == "flash:":
            return asyncssh.SFTPAttrs(type=FILEXFER_TYPE_DIRECTORY, permissions=0o40755, size=0)
        if key not in self.router.flash:
            raise asyncssh.SFTPNoSuchFile("No such file or directory")
        text, when = self.router.flash[key]
        return asyncssh.SFTPAttrs(type=FILEXFER_TYPE_REGULAR, permissions=0o100644, size=len(text.encode()),
                                  mtime=int(when), atime=int(when))

    def stat(self, path: bytes) -> asyncssh.SFTPAttrs:
        return self._attrs(flash_key(path))

    def lstat(self, path: bytes) -> asyncssh.SFTPAttrs:
        return self._attrs(flash_key(path))

    def realpath(self, path: bytes) -> bytes:
        key = flash_key(path)
        return b"/" + key.split(":", 1)[1].encode()

    def listdir(self, path: bytes) -> list[bytes]:
        if flash_key(path) != "flash:":
            raise asyncssh.SFTPNoSuchFile("not a directory")
        return [b".", b".."] + [k.split(":", 1)[1].encode() for k in sorted(self.router.flash)]

    def open(self, path: bytes, pflags: int, attrs: asyncssh.SFTPAttrs) -> _Open:
        key = flash_key(path)
        if key == "flash:":
            raise asyncssh.SFTPFailure("is a directory")
        if pflags & FXF_WRITE:
            old = b"" if pflags & FXF_TRUNC or key not in self.router.flash else self.router.flash[key][0].encode()
            return _Open(key, bytearray(old), True)
        if key not in self.router.flash:
            raise asyncssh.SFTPNoSuchFile("No such file or directory")
        return _Open(key, bytearray(self.router.flash[key][0].encode()))

    def read(self, file_obj: object, offset: int, size: int) -> bytes:
        assert isinstance(file_obj, _Open)
        return bytes(file_obj.data[offset:offset + size])

    def write(self, file_obj: object, offset: int, data: bytes) -> int:
        assert isinstance(file_obj, _Open)
        end = offset + len(data)
        if len(file_obj.data) < end:
            file_obj.data.extend(b"\0" * (end - len(file_obj.data)))
        file_obj.data[offset:end] = data
        return len(data)

    def close(self, file_obj: object) -> None:
        assert isinstance(file_obj, _Open)
        if file_obj.writing:  # IOS writes the file when the transfer closes it
            self.router.flash[file_obj.key] = (file_obj.data.decode(errors="replace"), self.router.clock.now())

    def fstat(self, file_obj: object) -> asyncssh.SFTPAttrs:
        assert isinstance(file_obj, _Open)
        return asyncssh.SFTPAttrs(type=FILEXFER_TYPE_REGULAR, permissions=0o100644, size=len(file_obj.data),
                                  mtime=int(time.time()))

    def setstat(self, path: bytes, attrs: asyncssh.SFTPAttrs) -> None:
        return None   # flash: keeps no owner or mode; `scp -p` times are ignored as IOS ignores them

    def fsetstat(self, file_obj: object, attrs: asyncssh.SFTPAttrs) -> None:
        return None

    def remove(self, path: bytes) -> None:
        key = flash_key(path)
        if key not in self.router.flash:
            raise asyncssh.SFTPNoSuchFile("No such file or directory")
        del self.router.flash[key]

    def mkdir(self, path: bytes, attrs: asyncssh.SFTPAttrs) -> None:
        raise asyncssh.SFTPPermissionDenied("the lab's flash: has no sub-directories")
