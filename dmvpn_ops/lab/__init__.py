"""Lab stage: simulated IOS DMVPN routers over real SSH on 127.0.0.1 (``Lab`` is the Python API)."""
from __future__ import annotations

from typing import Any

__all__ = ["Lab"]


def __getattr__(name: str) -> Any:  # lazy: importing dmvpn_ops.lab.cloud must not start asyncssh
    if name == "Lab":
        from dmvpn_ops.lab.api import Lab
        return Lab
    raise AttributeError(name)
