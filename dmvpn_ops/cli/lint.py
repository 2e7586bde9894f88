"""`dmvpn-ops lint`: DMVPN design findings; exit 1 on errors, 0 on warnings only."""
from __future__ import annotations

from typing import Annotated

import typer
from rich.panel import Panel

from dmvpn_ops.cli._common import (
    DEFAULT_INVENTORY,
    InventoryOption,
    NornirConfigOption,
    check_format,
    console,
)
from dmvpn_ops.cli._load import design_for, intent_source
from dmvpn_ops.lint import RULES, explain, run_rules
from dmvpn_ops.report.findings import findings_table, print_summary
from dmvpn_ops.report.json import lint_json
from dmvpn_ops.results import Severity


def register(app: typer.Typer) -> None:
    @app.command("lint")
    def lint(
        inventory: InventoryOption = DEFAULT_INVENTORY,
        nornir_config: NornirConfigOption = None,
        explain_rule: Annotated[str | None, typer.Option(
            "--explain", metavar="RULE_ID", help="Say why a rule exists, then exit.")] = None,
        list_rules: Annotated[bool, typer.Option("--list", help="List every rule id.")] = False,
        output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    ) -> None:
        """Check the DMVPN design in the inventory against the DMVPN rules."""
        if explain_rule:
            rule = explain(explain_rule)
            console.print(Panel(f"{rule.why}\n\n[bold]Fix:[/] {rule.hint}",
                                title=f"{rule.id} ({rule.severity.value}): {rule.title}", expand=False))
            return
        if list_rules:
            for rule in RULES.values():
                console.print(f"{rule.id}  {rule.severity.value:<7}  {rule.title}", highlight=False)
            return
        check_format(output)
        source = intent_source(inventory, nornir_config)
        design = design_for(source, check_addressing=False, require_secrets=False)
        inventory = source.location
        findings = run_rules(design)
        if output == "json":
            typer.echo(lint_json(findings, inventory=str(inventory), rules=len(RULES), hosts=len(design.hosts),
                                 clouds=len(design.clouds)))
        elif findings:
            console.print(findings_table(findings, title=f"Lint: {inventory}"))
            print_summary(console, findings)
        else:
            console.print(f"[green]{inventory}: no findings[/] ({len(RULES)} rules, "
                          f"{len(design.hosts)} hosts, {len(design.clouds)} clouds)")
        if any(f.severity is Severity.ERROR for f in findings):
            raise typer.Exit(1)
