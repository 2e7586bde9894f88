"""Rule families, one module each; importing them registers the rules."""
from __future__ import annotations

from dmvpn_ops.lint.rules import addressing, consistency, crypto, nhrp, routing, tunnel, underlay

__all__ = ["addressing", "consistency", "crypto", "nhrp", "routing", "tunnel", "underlay"]
