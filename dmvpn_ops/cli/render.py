"""`dmvpn-ops render`."""
from __future__ import annotations

import typer

from dmvpn_ops.cli._common import DEFAULT_INVENTORY, InventoryOption, not_built


def register(app: typer.Typer) -> None:
    @app.command("render", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
    def _render(inventory: InventoryOption = DEFAULT_INVENTORY) -> None:
        """Not built yet."""
        not_built("render", "render")
