"""Findings as a rich table or JSON; shared by lint and verify. Computes nothing."""
from __future__ import annotations

import json
from collections.abc import Iterable

from rich.console import Console
from rich.table import Table

from dmvpn_ops.results import Finding, Severity
from dmvpn_ops.secrets import mask

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def findings_table(findings: Iterable[Finding], *, title: str = "Findings", show_hint: bool = True) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("severity")
    table.add_column("code")
    table.add_column("host")
    table.add_column("cloud")
    table.add_column("message", overflow="fold")
    if show_hint:
        table.add_column("fix", overflow="fold", style="dim")
    for f in findings:
        row = [f"[{_STYLE[f.severity]}]{f.severity.value}[/]", f.code, f.host or "-", f.cloud or "-",
               mask(f.message)]
        if show_hint:
            row.append(mask(f.hint or ""))
        table.add_row(*row)
    return table


def findings_json(findings: Iterable[Finding]) -> str:
    return mask(json.dumps([f.to_dict() for f in findings], indent=2, default=str))


def print_summary(console: Console, findings: list[Finding]) -> None:
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    colour = "red" if errors else ("yellow" if warnings else "green")
    console.print(f"[{colour}]{errors} error(s), {warnings} warning(s)[/]")
