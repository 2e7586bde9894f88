"""`dmvpn-ops init DIR [--example NAME]`: a starter inventory to edit, copied from the ones the package ships."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from dmvpn_ops.cli._common import console
from dmvpn_ops.data import DEMO_INVENTORY, example, example_names
from dmvpn_ops.errors import InputError


def starter_files(source: Path) -> list[Path]:
    """The files of one inventory, relative to it; the demo's ``examples/`` stay behind (they have ``--example``)."""
    return sorted(p.relative_to(source) for p in source.rglob("*")
                  if p.is_file() and "examples" not in p.relative_to(source).parts)


def write_starter(target: Path, source: Path) -> list[Path]:
    """Copy ``source`` into ``target``; nothing is written when any target file exists (the user's edits win).

    Raises:
        InputError: a file would be overwritten, or ``target`` is a file (exit 2).
    """
    if target.exists() and not target.is_dir():
        raise InputError("exists and is not a directory; init writes a new inventory directory",
                         file=str(target), hint="name a new or empty directory")
    files = starter_files(source)
    taken = [str(target / f) for f in files if (target / f).exists()]
    if taken:
        raise InputError(f"would overwrite {', '.join(taken)}; init never overwrites",
                         file=taken[0], hint="choose another directory or move the existing files away")
    for f in files:
        (target / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / f, target / f)
    return [target / f for f in files]


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init(
        directory: Annotated[Path, typer.Argument(help="New inventory directory (created; never overwritten).")],
        example_name: Annotated[str | None, typer.Option(
            "--example", metavar="NAME", help="Start from a shipped example instead of the demo cloud: "
                                              f"{', '.join(n for n in example_names() if '/' not in n)} "
                                              "or broken/<rule case>.")] = None,
    ) -> None:
        """Write a starter inventory (the demo cloud or an example) into a new directory."""
        source = example(example_name) if example_name else DEMO_INVENTORY
        written = write_starter(directory, source)
        console.print(f"wrote {len(written)} files to {directory} "
                      f"({'example ' + example_name if example_name else 'the demo cloud'}):", highlight=False)
        for path in written:
            console.print(f"  {path}", highlight=False)
        console.print(f"next: edit {directory / 'hosts.yaml'}, then [bold]dmvpn-ops lint -i {directory}[/] and "
                      f"[bold]dmvpn-ops demo -i {directory}[/]", highlight=False)
