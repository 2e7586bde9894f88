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
from functools import lru_cache

MASK = "*****"
MIN_LENGTH = 4  # shorter values cannot be masked without mangling ordinary output
_ENV_REF = re.compile(r"^env:([A-Za-z_][A-Za-z0-9_]*)$")

_lock = threading.Lock()
_known_values: set[str] = set()


def is_reference(text: object) -> bool:
    return isinstance(text, str) and bool(_ENV_REF.match(text))


def register(value: str) -> None:
    """Remember a secret value so that ``mask`` hides it from then on, wherever it appears.

    A plain word (letters only, e.g. the NHRP key ``dmvpn`` or ``cisco`` of many published configs) is
    masked by position only: masking it by value would turn ``show dmvpn`` into ``show *****`` and
    ``flash:dmvpn-ops-...`` into a file name that does not exist.
    """
    if value and len(value) >= MIN_LENGTH and not value.isalpha():
        with _lock:
            _known_values.add(value)


# Secret-bearing IOS commands: the secret is the named group ``s`` (masked whatever its value: old values
# during a rotation, type 6/7 forms on the device). Sources: Cisco IOS Security Command Reference
# (crypto isakmp key, pre-shared-key (IKEv2 keyring), username, enable secret, password (line), key-string,
# tacacs/radius server key), NHRP command reference (ip nhrp authentication), BGP (neighbor password),
# OSPF (ip ospf authentication-key / message-digest-key), SNMP (snmp-server community).
_TYPE = r"(?:[05-9] )?"
SECRET_POSITIONS: tuple[re.Pattern[str], ...] = tuple(re.compile(p) for p in (
    rf"\bcrypto isakmp key {_TYPE}(?P<s>\S+)",
    rf"\bpre-shared-key (?!address )(?:local |remote )?{_TYPE}(?P<s>\S+)",
    rf"\bpre-shared-key address \S+(?: \S+)? key {_TYPE}(?P<s>\S+)",
    r"\bip nhrp authentication (?P<s>\S+)",
    rf"\busername \S+(?: privilege \d+)?(?: algorithm-type \S+)? (?:secret|password) {_TYPE}(?P<s>\S+)",
    rf"\benable (?:secret|password)(?: level \d+)? {_TYPE}(?P<s>\S+)",
    rf"^\s*password {_TYPE}(?P<s>\S+)",
    rf"\bkey-string {_TYPE}(?P<s>\S+)",
    rf"^\s*key {_TYPE}(?P<s>\S+)",
    rf"\b(?:tacacs-server|radius-server) key {_TYPE}(?P<s>\S+)",
    rf"\bneighbor \S+ password {_TYPE}(?P<s>\S+)",
    rf"\bip ospf authentication-key {_TYPE}(?P<s>\S+)",
    rf"\bip ospf message-digest-key \d+ md5 {_TYPE}(?P<s>\S+)",
    r"\bsnmp-server community (?P<s>\S+)",
))


def mask_line(line: str) -> str:
    """``line`` with the argument of every secret-bearing command in it replaced by ``*****``.

    Every occurrence, not the first: one log line can hold many configs (Nornir logs a task's arguments,
    running configs included, as one repr line whose line breaks are the two characters ``\\n``: each
    piece between them is masked as a line of its own)."""
    if "\\n" in line:
        return "\\n".join(mask_line(piece) for piece in line.split("\\n"))
    for pattern in SECRET_POSITIONS:
        line = pattern.sub(_masked, line)
    return line


def _masked(found: re.Match[str]) -> str:
    """The match with its secret group masked (kept when already masked: JSON of masked records)."""
    if found.group("s").startswith(MASK):
        return found.group(0)
    start, end = found.start("s") - found.start(0), found.end("s") - found.start(0)
    return found.group(0)[:start] + MASK + found.group(0)[end:]


def mask(text: str) -> str:
    """Mask ``text`` by position (secret-bearing commands) and by value (every resolved secret)."""
    if not text:
        return text
    if any(p.search(text) for p in _QUICK):
        text = "\n".join(mask_line(line) for line in text.split("\n"))
    with _lock:
        values = sorted(_known_values, key=len, reverse=True)
    for value in values:
        if value in text:
            text = _whole_value(value).sub(MASK, text)
    return text


def mask_data(value: object) -> object:
    """``value`` (a JSON-ready tree) with every string in it masked, keys included, before serialization.

    Why not ``mask(json.dumps(...))``: in JSON text a secret holding ``"`` or ``\\`` is escaped and no longer
    found by value (it leaks), and a value masked in the text can hit a number or a structural token (a
    4-digit secret replacing a counter leaves a file no JSON reader accepts). Masking the strings themselves
    keeps the shape and escapes whatever ``*****`` replaced. Numbers, booleans and None are never secrets;
    any other object is masked as its ``str()`` (what ``json.dumps(default=str)`` would have written).
    """
    if isinstance(value, str):
        return mask(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, dict):
        return {mask(str(k)) if not isinstance(k, (bool, int, float)) else k: mask_data(v)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_data(item) for item in value]
    return mask(str(value))


@lru_cache(maxsize=256)
def _whole_value(value: str) -> re.Pattern[str]:
    """``value`` as a whole token: a 5-letter test secret must not mangle ``shortcut_source``."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])")


# Cheap pre-check before the per-line walk (most texts carry no secret-bearing command).
_QUICK = (re.compile(r"key|authentication|password|secret|community"),)


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
