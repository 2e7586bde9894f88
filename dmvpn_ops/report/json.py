"""Verify result as JSON: ``{"summary", "hosts", "findings"}`` (DESIGN.md) plus edges and probes."""
from __future__ import annotations

import json as _json

from dmvpn_ops.secrets import mask
from dmvpn_ops.verify.result import VerifyResult

__all__ = ["verify_json"]


def verify_json(result: VerifyResult, *, edges: bool = True, indent: int | None = 2) -> str:
    """Serialise a VerifyResult; every secret value the run knows is masked."""
    return mask(_json.dumps(result.to_dict(edges=edges), indent=indent, default=str))
