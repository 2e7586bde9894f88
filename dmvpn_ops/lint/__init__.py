"""Lint stage: DMVPN design rules over the intent."""
from __future__ import annotations

from dmvpn_ops.lint.lint import ensure_addressing, explain, run_rules
from dmvpn_ops.lint.registry import RULES, Rule

__all__ = ["RULES", "Rule", "ensure_addressing", "explain", "run_rules"]
