"""Deploy test helpers: example inventories and an in-process lab router (no SSH) for pure tests."""
from __future__ import annotations

from pathlib import Path

from dmvpn_ops.intent import Design, load_design
from dmvpn_ops.lab.router import Router, load_text
from dmvpn_ops.render import render_bootstrap
from tests.conftest import EXAMPLES, INVENTORY

INVENTORIES: dict[str, Path] = {"demo": INVENTORY, **{
    p.name: p for p in sorted(EXAMPLES.iterdir()) if p.is_dir() and p.name != "broken"}}


class _Clock:
    def now(self) -> float:
        return 0.0


def router(design: Design, host: str) -> Router:
    """A lab router booted from the bootstrap config, driven without SSH."""
    return Router(host, render_bootstrap(design, host), _Clock())


def apply(r: Router, commands: list[str] | tuple[str, ...]) -> list[str]:
    """Apply commands the way config mode does; returns the rejected lines."""
    return load_text(r.running, "\n".join(commands))


def design(name: str) -> Design:
    return load_design(INVENTORIES[name])
