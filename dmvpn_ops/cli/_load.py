"""Loading the intent for a CLI verb: one place, one set of messages."""
from __future__ import annotations

from pathlib import Path

from dmvpn_ops.intent import Design, load_design
from dmvpn_ops.lint import ensure_addressing


def design_for(inventory: Path, *, check_addressing: bool = True,
               require_secrets: bool = True) -> Design:
    """Load the design; every verb but lint treats bad addressing as bad input (exit 2)."""
    design = load_design(inventory, require_secrets=require_secrets)
    if check_addressing:
        ensure_addressing(design)
    return design
