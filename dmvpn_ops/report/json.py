"""Every ``--format json`` document: ``schema_version`` first, then the shape its schema names.

The schemas ship in ``dmvpn_ops/schemas`` (verify, deploy, lint, parse); DESIGN.md fixes the order
``{"schema_version", "target"?, "summary", "hosts", "findings"}`` for verify. Computes nothing.
"""
from __future__ import annotations

import json as _json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from dmvpn_ops.results import Finding, Severity
from dmvpn_ops.schemas import SCHEMA_VERSION
from dmvpn_ops.secrets import mask_data

if TYPE_CHECKING:  # lint and parse print JSON too and must not load verify (and Nornir) for it
    from dmvpn_ops.verify.result import VerifyResult

__all__ = ["verify_json", "verify_document", "lint_json", "lint_document", "parse_json", "parse_document",
           "versioned", "SCHEMA_VERSION"]


def versioned(body: Mapping[str, Any]) -> dict[str, Any]:
    """``body`` with ``schema_version`` as its first key (what a reader checks before anything else)."""
    return {"schema_version": SCHEMA_VERSION, **body}


def _dumps(document: Mapping[str, Any], indent: int | None) -> str:
    return _json.dumps(mask_data(document), indent=indent)  # masked field by field (secrets.mask_data)


def verify_document(result: VerifyResult, *, edges: bool = True, target: str | None = None) -> dict[str, Any]:
    """The verify JSON as a dict (``verify.schema.json``); ``target`` when the caller knows it."""
    head: dict[str, Any] = {"target": target} if target is not None else {}
    return versioned({**head, **result.to_dict(edges=edges)})


def verify_json(result: VerifyResult, *, edges: bool = True, indent: int | None = 2,
                target: str | None = None) -> str:
    """Serialise a VerifyResult; every secret value the run knows is masked."""
    return _dumps(verify_document(result, edges=edges, target=target), indent)


def lint_document(findings: Iterable[Finding], *, inventory: str, rules: int, hosts: int,
                  clouds: int) -> dict[str, Any]:
    """The lint JSON as a dict (``lint.schema.json``): counts first, then every finding."""
    items = list(findings)
    count = {sev: sum(f.severity is sev for f in items) for sev in Severity}
    summary = {"ok": count[Severity.ERROR] == 0, "errors": count[Severity.ERROR],
               "warnings": count[Severity.WARNING], "info": count[Severity.INFO],
               "rules": rules, "hosts": hosts, "clouds": clouds}
    return versioned({"inventory": inventory, "summary": summary, "findings": [f.to_dict() for f in items]})


def lint_json(findings: Iterable[Finding], *, inventory: str, rules: int, hosts: int, clouds: int) -> str:
    """``dmvpn-ops lint --format json`` (masked)."""
    return _dumps(lint_document(findings, inventory=inventory, rules=rules, hosts=hosts, clouds=clouds), 2)


def parse_document(command: str, records: list[dict[str, Any]], *, fields: str = "default") -> dict[str, Any]:
    """The parse JSON as a dict (``parse.schema.json``); ``fields`` is ``default`` or ``ntc``."""
    return versioned({"command": " ".join(command.split()), "fields": fields, "records": records})


def parse_json(command: str, records: list[dict[str, Any]], *, fields: str = "default") -> str:
    """``dmvpn-ops parse --format json``: the records of one capture under a versioned head."""
    return _dumps(parse_document(command, records, fields=fields), 2)
