"""Shared result vocabulary: the Finding every stage reports (lint rules, verify checks, health)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

__all__ = ["Severity", "Finding"]


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

