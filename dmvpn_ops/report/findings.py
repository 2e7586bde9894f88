"""Findings as a rich table or JSON; shared by lint and verify. Computes nothing."""
from __future__ import annotations

import json
from collections.abc import Iterable

from rich.console import Console

from dmvpn_ops.report.fit import FitColumn, FitTable
from dmvpn_ops.results import Finding, Severity
from dmvpn_ops.secrets import mask, mask_data

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def findings_table(findings: Iterable[Finding], *, title: str = "Findings", show_hint: bool = True) -> FitTable:
    """Severity, code, host, cloud, message, fix; on a narrow console the fix, then the cloud, drop first."""
    columns = [FitColumn("severity", no_wrap=True), FitColumn("code", no_wrap=True), FitColumn("host", 3),
               FitColumn("cloud", 4), FitColumn("message")]
    if show_hint:
        columns.append(FitColumn("fix", 5, style="dim"))
    table = FitTable(columns, title=title)
    for f in findings:
        row = [f"[{_STYLE[f.severity]}]{f.severity.value}[/]", f.code, f.host or "-", f.cloud or "-",
               mask(f.message)]
        if show_hint:
            row.append(mask(f.hint or ""))
        table.add_row(*row)
    return table


def findings_json(findings: Iterable[Finding]) -> str:
    return json.dumps(mask_data([f.to_dict() for f in findings]), indent=2)  # masked field by field


def print_summary(console: Console, findings: list[Finding]) -> None:
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    colour = "red" if errors else ("yellow" if warnings else "green")
    console.print(f"[{colour}]{errors} error(s), {warnings} warning(s)[/]")
