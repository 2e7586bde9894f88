"""Playbooks are built from the public API: no ``dmvpn_ops`` module or name starting with ``_``."""
from __future__ import annotations

import ast
from pathlib import Path

TASKS = Path(__file__).resolve().parents[2] / "tasks"


def _imports(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            out += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            out += [alias.name for alias in node.names]
    return [name for name in out if name.startswith("dmvpn_ops")]


def test_playbooks_import_only_public_names() -> None:
    playbooks = sorted(TASKS.glob("*.py"))
    assert len(playbooks) >= 3
    for path in playbooks:
        names = _imports(path)
        assert names, path
        private = [n for n in names if any(part.startswith("_") for part in n.split("."))]
        assert not private, (path.name, private)
