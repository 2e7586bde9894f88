"""Inventories shipped with the package: the demo cloud and the examples (``dmvpn-ops demo`` / ``init``).

In a checkout ``dmvpn_ops/data/inventory`` is a symlink to the top-level ``inventory/`` (the one source, where
the project edits them); the wheel carries real copies, so a plain ``pip install`` can run the demo anywhere.
"""
from __future__ import annotations

from pathlib import Path

from dmvpn_ops.errors import InputError

__all__ = ["DEMO_INVENTORY", "example", "example_names"]

DEMO_INVENTORY = Path(__file__).parent / "inventory"
_EXAMPLES = DEMO_INVENTORY / "examples"


def example_names() -> list[str]:
    """Every shipped example, named by its path under ``examples/`` (e.g. ``phase2-eigrp``, ``broken/dmv101-...``)."""
    return sorted(str(hosts.parent.relative_to(_EXAMPLES)) for hosts in _EXAMPLES.rglob("hosts.yaml"))


def example(name: str) -> Path:
    """The directory of one shipped example.

    Raises:
        InputError: no example of that name (the message lists them).
    """
    if name not in example_names():
        raise InputError(f"no example named {name!r}; examples: {', '.join(example_names())}",
                         field="--example")
    return _EXAMPLES / name
