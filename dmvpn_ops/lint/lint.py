"""Lint stage: run every registered DMVPN design rule and collect all findings."""
from __future__ import annotations

from dmvpn_ops.errors import IntentError
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lint import rules as _rules  # noqa: F401  (registers the rules)
from dmvpn_ops.lint.registry import RULES, Rule
from dmvpn_ops.lint.rules.addressing import ADDRESSING_RULES
from dmvpn_ops.results import Finding, Severity

_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def run_rules(design: Design, only: list[str] | None = None) -> list[Finding]:
    """All findings of the selected rules (default: all), errors first, stable order."""
    selected = [RULES[r] for r in (only or sorted(RULES))]
    findings = [finding for rule in selected for finding in rule.run(design)]
    return sorted(findings, key=lambda f: (_SEVERITY_ORDER[f.severity], f.code, f.host or "", f.message))


def explain(rule_id: str) -> Rule:
    try:
        return RULES[rule_id.upper()]
    except KeyError:
        from dmvpn_ops.errors import InputError

        raise InputError(f"unknown lint rule {rule_id!r}; known: {', '.join(sorted(RULES))}",
                         field="RULE_ID") from None


def ensure_addressing(design: Design) -> None:
    """Bad addressing is bad input for every stage but lint: raise it as IntentError (exit 2)."""
    problems = run_rules(design, only=list(ADDRESSING_RULES))
    if problems:
        first = problems[0]
        more = f" ({len(problems) - 1} more addressing problems; run 'dmvpn-ops lint')" if len(problems) > 1 else ""
        raise IntentError(first.message + more, file=design.host_files.get(first.host or "", design.inventory_dir),
                          host=first.host, field=f"data.dmvpn.clouds.{first.cloud}.tunnel_ip"
                          if first.code != "DMV602" else f"data.dmvpn.clouds.{first.cloud}.nbma",
                          hint=first.hint)
