"""`dmvpn-ops audit`: the deploy audit trail (`<state-dir>/audit.jsonl`) as a table or JSON; reads, never connects."""
from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from dmvpn_ops.cli._common import DEFAULT_STATE_DIR, StateDirOption, check_format, console
from dmvpn_ops.deploy.audit import audit_path, read_entries
from dmvpn_ops.report.json import versioned
from dmvpn_ops.secrets import mask, mask_data


def _table(entries: list[dict[str, object]]) -> Table:
    table = Table(title="Deploy audit trail", title_justify="left")
    for column in ("time", "user", "host", "result", "lines", "revert", "backup", "reason"):
        table.add_column(column, overflow="fold")
    for e in entries:
        lines = e.get("lines_pushed") or []
        revert = str(e.get("revert") or "-") + (f", fires {e['revert_at']}" if e.get("revert_at") else "")
        reason = "; ".join(str(x) for x in (e.get("interrupted"), e.get("reason"), e.get("rollback")) if x)
        table.add_row(str(e.get("time", "")), str(e.get("user", "")), str(e.get("host", "")),
                      str(e.get("result", "")), str(len(lines) if isinstance(lines, list) else 0), revert,
                      str(e.get("backup") or "-"), mask(reason) or "-")
    return table


def register(app: typer.Typer) -> None:
    @app.command("audit")
    def _audit(
        host: Annotated[str | None, typer.Option("--host", help="Only this host's lines.")] = None,
        output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
        state_dir: StateDirOption = DEFAULT_STATE_DIR,
    ) -> None:
        """Show the deploy audit trail: one line per host per deploy (masked)."""
        check_format(output)
        entries = read_entries(state_dir, host)
        if output == "json":
            document = versioned({"file": str(audit_path(state_dir)), "entries": entries})
            typer.echo(json.dumps(mask_data(document), indent=2))
            return
        if not entries:
            console.print(f"no audit lines{f' for {host}' if host else ''} in {audit_path(state_dir)}",
                          highlight=False)
            return
        console.print(_table(entries))
