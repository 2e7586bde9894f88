"""Inventory files: the three YAML files syntax-checked, with Nornir's group order."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from dmvpn_ops.errors import IntentError
from dmvpn_ops.secrets import is_reference

# The same YAML 1.2 loader Nornir's SimpleInventory uses: what passes here, Nornir reads too.
_YAML = YAML(typ="safe")
INVENTORY_FILES = ("hosts.yaml", "groups.yaml", "defaults.yaml")
Source = tuple[str, Mapping[str, Any]]  # (file name, the dmvpn mapping it contributes)


class RawInventory:
    """The three YAML files, syntax-checked, with Nornir's group resolution order."""

    def __init__(self, directory: Path, hosts: dict[str, Any], groups: dict[str, Any],
                 defaults: dict[str, Any]) -> None:
        self.directory = directory
        self.hosts = hosts
        self.groups = groups
        self.defaults = defaults

    def path(self, name: str) -> str:
        return str(self.directory / name)

    def group_chain(self, host: str) -> list[str]:
        """Groups of a host in Nornir priority order (own groups first, then their parents)."""
        ordered: list[str] = []

        def visit(names: Iterable[str], owner_file: str, owner: str) -> None:
            for group in names:
                if group not in self.groups:
                    raise IntentError(f"unknown group {group!r}", file=owner_file,
                                      host=owner, field="groups")
                if group not in ordered:
                    ordered.append(group)
                    visit(self.groups[group].get("groups") or [], self.path("groups.yaml"), group)

        visit(self.hosts[host].get("groups") or [], self.path("hosts.yaml"), host)
        return ordered

    def dmvpn_sources(self, host: str) -> list[Source]:
        """``data.dmvpn`` contributions, highest priority first."""
        sources: list[Source] = [(self.path("hosts.yaml"), _dmvpn_of(self.hosts[host]))]
        sources += [(self.path("groups.yaml"), _dmvpn_of(self.groups[g]))
                     for g in self.group_chain(host)]
        sources.append((self.path("defaults.yaml"), _dmvpn_of(self.defaults)))
        return sources


def read_inventory(inventory_dir: str | Path) -> RawInventory:
    directory = Path(inventory_dir)
    if not directory.is_dir():
        raise IntentError("inventory directory not found", file=str(directory),
                          hint="pass -i/--inventory DIR holding hosts.yaml, groups.yaml, defaults.yaml")
    hosts = _read_yaml(directory / "hosts.yaml", required=True)
    groups = _read_yaml(directory / "groups.yaml", required=False)
    defaults = _read_yaml(directory / "defaults.yaml", required=False)
    for file, content in (("hosts.yaml", hosts), ("groups.yaml", groups)):
        for name, entry in content.items():
            if entry is None:
                content[name] = {}
            elif not isinstance(entry, dict):
                raise IntentError(f"{name!r} must be a mapping, got {type(entry).__name__}",
                                  file=str(directory / file), host=str(name))
    return RawInventory(directory, hosts, groups, defaults)


def _read_yaml(path: Path, *, required: bool) -> dict[str, Any]:
    if not path.exists():
        if required:
            raise IntentError("file not found", file=str(path))
        return {}
    try:
        content = _YAML.load(path.read_text(encoding="utf-8"))
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise IntentError(f"YAML syntax error{where}: {problem}", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IntentError(f"cannot read file: {exc.__class__.__name__}", file=str(path)) from None
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise IntentError(f"top level must be a mapping, got {type(content).__name__}", file=str(path))
    return {str(k): v for k, v in content.items()}


def _dmvpn_of(entry: Mapping[str, Any]) -> Mapping[str, Any]:
    data = entry.get("data") or {}
    dmvpn = data.get("dmvpn") if isinstance(data, dict) else None
    return dmvpn if isinstance(dmvpn, dict) else {}


def secret_references(inventory_dir: str | Path) -> list[str]:
    """Every ``env:NAME`` the inventory refers to (for the demo's throwaway secrets)."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif is_reference(node):
            names.add(str(node)[4:])

    raw = read_inventory(inventory_dir)
    walk(raw.hosts)
    walk(raw.groups)
    walk(raw.defaults)
    return sorted(names)
