"""Shared result vocabulary: findings and per-host results (``.ok``, never truthiness)."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

__all__ = ["Severity", "Finding", "HostResult"]


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One problem with where it is and how to fix it.

    ``code`` is a verify code (``SPOKE_NOT_REGISTERED``) or a lint rule id (``DMV101``).
    """

    code: str
    severity: Severity
    message: str
    host: str | None = None
    cloud: str | None = None
    peer: str | None = None
    expected: Any = None
    observed: Any = None
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "host": self.host,
            "cloud": self.cloud,
            "peer": self.peer,
            "message": self.message,
            "expected": self.expected,
            "observed": self.observed,
            "hint": self.hint,
        }


@dataclass
class HostResult:
    """Outcome of one stage on one host. Failures are data, not exceptions."""

    host: str
    failed: bool = False
    unreachable: bool = False
    reason: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.failed or self.unreachable)

    def __bool__(self) -> bool:  # scrapli's trap: refuse truthiness, make callers say .ok
        raise TypeError("use HostResult.ok, not truthiness")
