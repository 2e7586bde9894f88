"""The state facts of parsed records, answered once: registered, NHS responding, IKE up.

Parsers return flat records (``dict``); these typed views say what a record means, so the deploy
gate, verify, health and the tests read one definition instead of comparing strings each.
Sources: the legends IOS prints with each command (shared/reference/captures).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["DmvpnPeer", "NhsRecord", "IsakmpSa", "Ikev2Sa"]


@dataclass(frozen=True)
class DmvpnPeer:
    """One ``show dmvpn`` peer row."""

    record: Mapping[str, Any]

    @property
    def state(self) -> str:
        return str(self.record.get("state") or "").upper()

    @property
    def registered(self) -> bool:
        """State UP: the NHRP registration (or resolution) completed (IKE and NHRP both done)."""
        return self.state == "UP"

    @property
    def waiting_for_ike(self) -> bool:
        return self.state == "IKE"


@dataclass(frozen=True)
class NhsRecord:
    """One ``show ip nhrp nhs`` row; flags E (expecting replies), R (responding), W (waiting)."""

    record: Mapping[str, Any]

    @property
    def responding(self) -> bool:
        return "R" in (self.record.get("flags") or [])


@dataclass(frozen=True)
class IsakmpSa:
    """One ``show crypto isakmp sa`` row: established is QM_IDLE with an ACTIVE, not deleted, status."""

    record: Mapping[str, Any]

    @property
    def established(self) -> bool:
        status = str(self.record.get("status") or "ACTIVE")
        return self.record.get("state") == "QM_IDLE" and status.startswith("ACTIVE") and "deleted" not in status


@dataclass(frozen=True)
class Ikev2Sa:
    """One ``show crypto ikev2 sa`` row: established is READY."""

    record: Mapping[str, Any]

    @property
    def established(self) -> bool:
        return self.record.get("status") == "READY"
