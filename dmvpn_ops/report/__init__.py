"""report stage: findings and verify results as a rich console view, JSON, JUnit XML or Prometheus text.

Reporters compute nothing: they format a ``VerifyResult`` (or findings) handed to them.
"""
from __future__ import annotations

from dmvpn_ops.report.console import print_verify, verify_renderable
from dmvpn_ops.report.json import verify_json
from dmvpn_ops.report.junit import verify_junit
from dmvpn_ops.report.prom import verify_prometheus
from dmvpn_ops.verify.result import VerifyResult

__all__ = ["print_verify", "verify_renderable", "verify_json", "verify_junit", "verify_prometheus",
           "render_verify", "FORMATS"]

FORMATS = ("table", "json", "junit", "prom")


def render_verify(result: VerifyResult, fmt: str) -> str:
    """A VerifyResult as text in ``fmt`` (json | junit | prom); ``table`` goes through print_verify."""
    if fmt == "json":
        return verify_json(result)
    if fmt == "junit":
        return verify_junit(result)
    if fmt == "prom":
        return verify_prometheus(result)
    raise ValueError(f"unknown report format {fmt!r}; use json, junit or prom")
