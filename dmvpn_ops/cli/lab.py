"""`dmvpn-ops lab ...`."""
from __future__ import annotations

import typer

from dmvpn_ops.cli._common import not_built


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Not built yet.", no_args_is_help=True)
    app.add_typer(sub, name="lab")

    @sub.callback(invoke_without_command=True, context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
    def _lab() -> None:
        not_built("lab", "lab")
