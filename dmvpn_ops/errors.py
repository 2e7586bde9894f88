"""The one exception hierarchy of dmvpn-ops; each class knows its CLI exit code.

Device failures are *data* in results (see ``results.py``); exceptions are for
input errors and for stage failures that stop a run. The CLI maps them to exit
codes: 1 findings/failures, 2 bad input, 3 unreachable devices.
"""
from __future__ import annotations

from typing import ClassVar

__all__ = [
    "DmvpnOpsError",
    "InputError",
    "IntentError",
    "SecretError",
    "RenderError",
    "DeployError",
    "RollbackError",
    "ParseError",
    "LabError",
    "UnreachableError",
    "HostKeyError",
]


class DmvpnOpsError(Exception):
    """Base class; ``exit_code`` is what the CLI returns when this escapes."""

    exit_code: ClassVar[int] = 1

    def __init__(self, message: str, *, file: str | None = None, host: str | None = None,
                 field: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.file = file
        self.host = host
        self.field = field
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        """One paragraph naming file, host and field, as operators want it."""
        where = [f"{label} {value}" for label, value in
                 (("file", self.file), ("host", self.host), ("field", self.field)) if value]
        text = self.message
        if where:
            text = f"{', '.join(where)}: {text}"
        if self.hint:
            text = f"{text.rstrip('.')}. Hint: {self.hint}"
        return text


class InputError(DmvpnOpsError):
    """Bad input: arguments, files, inventory. Exit code 2."""

    exit_code = 2


class IntentError(InputError):
    """The inventory does not describe a valid DMVPN design."""


class SecretError(InputError):
    """A referenced secret (``env:NAME``) is missing or malformed."""


class RenderError(DmvpnOpsError):
    """A template failed to render."""


class DeployError(DmvpnOpsError):
    """A push failed."""


class RollbackError(DeployError):
    """Rollback failed: the device is not back on its backup."""


class ParseError(DmvpnOpsError):
    """Output is not what the command prints (UNPARSEABLE_OUTPUT)."""

    def __init__(self, message: str, *, command: str | None = None, **kwargs: str | None) -> None:
        self.command = command
        super().__init__(message, **kwargs)


class LabError(DmvpnOpsError):
    """The lab emulator could not start, stop or act."""

    exit_code = 2


class UnreachableError(DmvpnOpsError):
    """A device could not be reached or refused login (exit 3)."""

    exit_code = 3


class HostKeyError(UnreachableError):
    """An SSH host key was refused (changed, or unknown under ``--host-keys strict``): exit 3, no login.

    ``kind`` is ``changed``, ``unknown`` or ``unreadable`` (the known_hosts file); ``old``/``new`` are
    SHA256 fingerprints.
    """

    def __init__(self, message: str, *, kind: str, old: str | None = None, new: str | None = None,
                 **kwargs: str | None) -> None:
        self.kind, self.old, self.new = kind, old, new
        super().__init__(message, **kwargs)
