"""`dmvpn-ops parse COMMAND FILE`: parse a saved capture offline and print its records."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from dmvpn_ops.cli._common import DEFAULT_INVENTORY, InventoryOption, console
from dmvpn_ops.cli._load import read_capture
from dmvpn_ops.parse import SUPPORTED_COMMANDS, parse, resolve_command
from dmvpn_ops.parse.ntc import NTC_NAMES, check_fields, ntc_command, parse_ntc
from dmvpn_ops.report.json import parse_json


class OutputFormat(str, Enum):
    json = "json"
    table = "table"


def _read(file: Path) -> str:
    if str(file) == "-":
        return sys.stdin.read()
    return read_capture(file, "FILE")  # a regular file only: /dev/zero or a FIFO would never end


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


def _table(command: str, records: list[dict[str, Any]]) -> Table:
    table = Table(title=f"{command} ({len(records)} records)", title_justify="left")
    for key in (records[0] if records else {}):
        table.add_column(key, overflow="fold")
    for record in records:
        table.add_row(*(_cell(value) for value in record.values()))
    return table


def register(app: typer.Typer) -> None:
    @app.command("parse")
    def _parse(
        command: Annotated[str, typer.Argument(help=f"Show command, abbreviations allowed. "
                                                    f"One of: {', '.join(SUPPORTED_COMMANDS)}.")],
        file: Annotated[Path, typer.Argument(help="Saved capture ('-' reads stdin).")],
        output: Annotated[OutputFormat, typer.Option("--format", "-f", help="json or table.")] = OutputFormat.json,
        inventory: InventoryOption = DEFAULT_INVENTORY,
        fields: Annotated[str, typer.Option(
            "--fields", help="default (dmvpn-ops names, typed values) or ntc (ntc-templates' names, string values; "
                             f"{', '.join(NTC_NAMES)}).")] = "default",
    ) -> None:
        """Parse a saved capture offline; print the records (JSON list or a table)."""
        if check_fields(fields) == "ntc":
            ntc_command(command, file=str(file))  # exit 2 before reading a capture ntc has no names for
            records: list[dict[str, Any]] = [dict(r) for r in parse_ntc(command, _read(file), file=str(file),
                                                                         paste=True)]
        else:
            records = parse(command, _read(file), file=str(file), paste=True)
        if output is OutputFormat.table:
            console.print(_table(" ".join(command.split()), records))
        else:
            spec = resolve_command(command)  # the full name (`sh dmvpn` -> `show dmvpn`)
            typer.echo(parse_json(spec.name if spec else command, records, fields=fields))
