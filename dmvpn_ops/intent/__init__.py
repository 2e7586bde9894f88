"""Intent stage: the Nornir inventory as a validated, typed DMVPN design."""
from __future__ import annotations

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
from dmvpn_ops.intent.source import IntentSource

__all__ = [
    "load_design", "design_from_nornir", "IntentSource", "read_inventory", "secret_references",
    "CloudSpec", "Crypto", "Design", "Host", "Lan", "NhsMapping", "Routing", "Tunnel", "Underlay",
]
