"""Saved device outputs per scenario (tests/fixtures/verify) turned into HostCollections offline."""
from __future__ import annotations

from pathlib import Path

from dmvpn_ops.collect.collect import HostCollection, command_filename
from dmvpn_ops.collect.commands import commands_for
from dmvpn_ops.intent import Design
from dmvpn_ops.parse import UnparseableOutput, parse

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "verify"


def scenario_inventory(name: str) -> Path:
    line = (FIXTURES / name / "README").read_text().splitlines()[0]
    return ROOT / line.split(":", 1)[1].strip()


def load_collections(name: str, design: Design, hosts: list[str] | None = None,
                     edit: dict[tuple[str, str], str] | None = None, *, full: bool = False) -> dict[str, HostCollection]:
    """HostCollections for ``hosts`` (default all) from saved outputs; missing folder = unreachable.

    ``edit`` replaces the text of (host, command) before parsing (garbage, truncation...); ``full``
    adds the full-mode commands, as ``verify --mode full`` collects them.
    """
    out = {}
    for host_name in hosts or list(design.hosts):
        folder = FIXTURES / name / host_name
        coll = HostCollection(host_name, commands_for(design.hosts[host_name], full=full))
        if not folder.is_dir():
            coll.error, coll.error_kind = "cannot connect: [Errno 111] Connection refused", "unreachable"
            out[host_name] = coll
            continue
        for command in coll.commands:
            text = (folder / command_filename(command)).read_text()
            text = (edit or {}).get((host_name, command), text)
            coll.outputs[command] = text
            try:
                coll.records[command] = parse(command, text, host=host_name)
            except UnparseableOutput as exc:
                coll.parse_errors[command] = exc.reason
        out[host_name] = coll
    return out


