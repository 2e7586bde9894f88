"""Secrets: ``env:NAME`` references, resolved once, masked everywhere they could leak.

Every resolved value is registered here; ``mask()`` replaces registered values in any
text before it reaches a console, log, diff, report or exception message.
"""
from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

MASK = "*****"
MIN_LENGTH = 4  # shorter values cannot be masked without mangling ordinary output
_ENV_REF = re.compile(r"^env:([A-Za-z_][A-Za-z0-9_]*)$")

_lock = threading.Lock()
_known_values: set[str] = set()


def is_reference(text: object) -> bool:
    return isinstance(text, str) and bool(_ENV_REF.match(text))


def register(value: str) -> None:
    """Remember a secret value so that ``mask`` hides it from then on."""
    if value and len(value) >= MIN_LENGTH:
        with _lock:
            _known_values.add(value)


def mask(text: str) -> str:
    """Replace every known secret value in ``text`` with ``*****`` (longest first)."""
    if not text:
        return text
    with _lock:
        values = sorted(_known_values, key=len, reverse=True)
    for value in values:
        if value in text:
            text = text.replace(value, MASK)
    return text


@dataclass(frozen=True)
class SecretRef:
    """A reference to a secret in the environment; ``str()`` never shows the value."""

    ref: str
    _value: str | None = field(default=None, repr=False, compare=False)

    @property
    def env_name(self) -> str:
        match = _ENV_REF.match(self.ref)
        return match.group(1) if match else self.ref

    @property
    def too_short(self) -> bool:
        return self._value is not None and len(self._value) < MIN_LENGTH

    @property
    def resolved(self) -> bool:
        return self._value is not None

    def reveal(self) -> str:
        """The secret value; only the renderer at push time and the lab should call this."""
        if self._value is None:
            raise LookupError(f"secret {self.ref} is not set")
        return self._value

    def __str__(self) -> str:
        return self.ref

    @classmethod
    def resolve(cls, ref: str, environ: Mapping[str, str] | None = None) -> SecretRef:
        env = os.environ if environ is None else environ
        match = _ENV_REF.match(ref)
        if not match:
            raise ValueError(f"not an env: reference: {ref!r}")
        value = env.get(match.group(1))
        if value is not None and len(value) >= MIN_LENGTH:
            register(value)
        return cls(ref=ref, _value=value)


class MaskingFilter(logging.Filter):
    """Logging filter that masks secrets in every record, whoever logs it (netmiko included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not break logging
            return True
        record.msg = mask(message)
        record.args = None
        return True


def install_log_masking() -> None:
    """Attach the masking filter to every handler of the root logger and to new ones."""
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
