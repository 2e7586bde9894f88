"""dmvpn-ops: intent-driven Cisco DMVPN operations."""
from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:  # one version source: the installed package's metadata (pyproject's [project] version)
    __version__ = version("dmvpn-ops")
except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__", "nornir_tasks"]


def __getattr__(name: str) -> Any:
    """``dmvpn_ops.nornir_tasks`` (render, collect, view, push) on first use: ``import dmvpn_ops`` stays light."""
    if name == "nornir_tasks":
        return import_module("dmvpn_ops.nornir_tasks")
    raise AttributeError(f"module 'dmvpn_ops' has no attribute {name!r}")
