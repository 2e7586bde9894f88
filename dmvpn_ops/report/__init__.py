"""report stage: findings and verify results as a rich console view, JSON, JUnit XML or Prometheus text.

Reporters compute nothing: they format a ``VerifyResult`` (or findings) handed to them.
"""
from __future__ import annotations

__all__ = ["print_verify", "verify_renderable", "verify_json", "verify_junit", "verify_prometheus",
           "render_verify"]


def render_verify(result: object, fmt: str) -> str:
    """A VerifyResult as text in ``fmt`` (json | junit | prom); ``table`` is printed via print_verify."""
    from dmvpn_ops.report.json import verify_json
    from dmvpn_ops.report.junit import verify_junit
    from dmvpn_ops.report.prom import verify_prometheus
    formats = {"json": verify_json, "junit": verify_junit, "prom": verify_prometheus}
    return formats[fmt](result)  # type: ignore[operator]


def __getattr__(name: str) -> object:  # lazy: `report.findings` is imported by lint without rich trees
    if name in ("print_verify", "verify_renderable"):
        from dmvpn_ops.report import console
        return getattr(console, name)
    if name == "verify_json":
        from dmvpn_ops.report.json import verify_json
        return verify_json
    if name == "verify_junit":
        from dmvpn_ops.report.junit import verify_junit
        return verify_junit
    if name == "verify_prometheus":
        from dmvpn_ops.report.prom import verify_prometheus
        return verify_prometheus
    raise AttributeError(name)
