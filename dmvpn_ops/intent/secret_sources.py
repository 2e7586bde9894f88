"""Where a secret reference's value comes from: ``env:NAME``, ``file:PATH`` (0600, ours) or ``keyring:SERVICE/NAME``.

Every value read is registered for masking (``dmvpn_ops.secrets``), whatever its source.
"""
from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path

from dmvpn_ops.errors import SecretError
from dmvpn_ops.secrets import MIN_LENGTH, SecretRef, is_reference, register

__all__ = ["is_secret_reference", "resolve_reference"]

_FILE = re.compile(r"^file:(?P<path>.+)$")
_KEYRING = re.compile(r"^keyring:(?P<service>[^/\s]+)/(?P<name>\S+)$")
MAX_FILE = 4096  # a secret, not a document: never read a huge (or endless) file


def is_secret_reference(value: object) -> bool:
    """``env:NAME``, ``file:PATH`` or ``keyring:SERVICE/NAME``."""
    return isinstance(value, str) and bool(is_reference(value) or _FILE.match(value) or _KEYRING.match(value))


def resolve_reference(ref: str, env: Mapping[str, str], *, lenient: bool, file: str, host: str,
                      field: str) -> SecretRef:
    """The reference with its value (unresolved only when ``lenient`` and the source has none).

    Raises:
        SecretError: a ``file:`` that is not a regular file owned by the user with mode 0600 or
            stricter, cannot be read, or a keyring that fails; a missing value unless ``lenient``.
    """
    where = {"file": file, "host": host, "field": field}
    found = _FILE.match(ref)
    if found:
        return _known(ref, _read_file(Path(found.group("path")).expanduser(), ref, where, lenient))
    found = _KEYRING.match(ref)
    if found:
        return _known(ref, _read_keyring(found.group("service"), found.group("name"), ref, where, lenient))
    return SecretRef.resolve(ref, env)


def _known(ref: str, value: str | None) -> SecretRef:
    if value is not None and len(value) >= MIN_LENGTH:
        register(value)
    return SecretRef(ref=ref, _value=value)


def _read_file(path: Path, ref: str, where: dict[str, str], lenient: bool) -> str | None:
    """The file's first line; refused unless a regular file of ours, mode 0600 or stricter (as ssh does)."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        if lenient:
            return None
        raise SecretError(f"{ref}: no such file", **where, hint=f"create {path} with mode 0600") from None
    except OSError as exc:
        raise SecretError(f"{ref}: cannot read {path}: {exc.strerror or exc}", **where) from exc
    if not stat.S_ISREG(info.st_mode):
        raise SecretError(f"{ref}: {path} is not a regular file", **where)
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise SecretError(f"{ref}: {path} has mode {stat.S_IMODE(info.st_mode):04o} and owner uid {info.st_uid}; "
                          "a secret file must be yours and readable by you only", **where,
                          hint=f"chmod 600 {path}")
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(MAX_FILE + 1)
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretError(f"{ref}: cannot read {path}: {exc}", **where) from exc
    if len(text) > MAX_FILE:
        raise SecretError(f"{ref}: {path} is larger than {MAX_FILE} bytes; it should hold one secret", **where)
    if text.strip():
        return text.splitlines()[0]
    if not lenient:
        raise SecretError(f"{ref}: the file is empty", **where)
    return None


def _read_keyring(service: str, name: str, ref: str, where: dict[str, str], lenient: bool) -> str | None:
    """The OS keyring's value (``keyring`` package: Secret Service, macOS Keychain, Windows, or a test backend)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        value = keyring.get_password(service, name)
    except KeyringError as exc:
        raise SecretError(f"{ref}: the keyring failed: {exc}", **where,
                          hint="check `keyring --list-backends`, or use env: / file:") from exc
    if value is None and not lenient:
        raise SecretError(f"{ref}: the keyring has no secret {name!r} in service {service!r}", **where,
                          hint=f"keyring set {service} {name}")
    return value
