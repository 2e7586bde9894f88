"""dmvpn-ops: intent-driven Cisco DMVPN operations."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:  # one version source: the installed package's metadata (pyproject's [project] version)
    __version__ = version("dmvpn-ops")
except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
