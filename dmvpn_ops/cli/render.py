"""`dmvpn-ops render --out DIR`: one IOS config file per host, secrets masked by default."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dmvpn_ops.cli._common import DEFAULT_INVENTORY, InventoryOption, NornirConfigOption, console
from dmvpn_ops.cli._load import design_for, intent_source
from dmvpn_ops.errors import InputError
from dmvpn_ops.render import render_bootstrap, render_config


def register(app: typer.Typer) -> None:
    @app.command("render")
    def render(
        inventory: InventoryOption = DEFAULT_INVENTORY,
        nornir_config: NornirConfigOption = None,
        out: Annotated[Path | None, typer.Option("--out", help="Directory for <host>.cfg files.")] = None,
        show_secrets: Annotated[bool, typer.Option(
            "--show-secrets", help="Write real secret values (default: *****).")] = False,
        bootstrap: Annotated[bool, typer.Option(
            "--bootstrap", help="Render the startup (bootstrap) config instead.")] = False,
        limit: Annotated[str | None, typer.Option("--limit", help="Comma-separated hosts.")] = None,
    ) -> None:
        """Render the IOS configuration of every host (stdout, or files with --out)."""
        source = intent_source(inventory, nornir_config)
        design = design_for(source, require_secrets=show_secrets)
        inventory = source.location
        hosts = _select(limit, list(design.hosts), inventory)
        for name in hosts:
            text = (render_bootstrap(design, name, reveal_secrets=show_secrets) if bootstrap
                    else render_config(design, name, reveal_secrets=show_secrets))
            if out is None:
                typer.echo(f"! ===== {name} =====\n{text}", nl=False)
                continue
            _write(out / f"{name}.cfg", text, secret=show_secrets)
        if out is not None:
            console.print(f"wrote {len(hosts)} config(s) to {out}"
                          + (" [yellow](secrets in clear, mode 0600)[/]" if show_secrets else " (secrets masked)"))


def _select(limit: str | None, names: list[str], inventory: Path) -> list[str]:
    if not limit:
        return names
    wanted = [n.strip() for n in limit.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in names]
    if unknown:
        raise InputError(f"unknown host(s) in --limit: {', '.join(unknown)}",
                         file=str(inventory if inventory.is_file() else inventory / "hosts.yaml"),
                         field="--limit")
    return wanted


def _write(path: Path, text: str, *, secret: bool) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if secret:
            path.chmod(0o600)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=str(path), field="--out") from None
