"""Intent stage: the Nornir inventory as a validated, typed DMVPN design."""
from __future__ import annotations

from dmvpn_ops.intent.load import load_design, read_inventory, secret_references
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
    "load_design", "read_inventory", "secret_references",
    "CloudSpec", "Crypto", "Design", "Host", "Lan", "NhsMapping", "Routing", "Tunnel", "Underlay",
]
