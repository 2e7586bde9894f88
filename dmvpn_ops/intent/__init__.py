"""Intent stage: the Nornir inventory as a validated, typed DMVPN design."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dmvpn_ops.intent.load import design_from_nornir, load_design, read_inventory, secret_references
from dmvpn_ops.intent.model import (
    CloudSpec,
    Crypto,
    Design,
    Host,
    Lan,
    NhsMapping,
    Routing,
    Tunnel,
    Underlay,
)

__all__ = [
    "load_design", "design_from_nornir", "IntentSource", "read_inventory", "secret_references",
    "CloudSpec", "Crypto", "Design", "Host", "Lan", "NhsMapping", "Routing", "Tunnel", "Underlay",
]

if TYPE_CHECKING:
    from dmvpn_ops.intent.source import IntentSource


def __getattr__(name: str) -> Any:
    """``IntentSource`` on first use: it brings Nornir's runner, which ``parse`` and ``--help`` never need."""
    if name == "IntentSource":
        from dmvpn_ops.intent.source import IntentSource

        return IntentSource
    raise AttributeError(f"module 'dmvpn_ops.intent' has no attribute {name!r}")
