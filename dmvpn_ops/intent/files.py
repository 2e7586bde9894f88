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
            if not isinstance(name, str):
                raise IntentError(f"the name {name!r} is not a string (YAML read a {type(name).__name__})",
                                  file=str(directory / file), host=str(name),
                                  hint=f"quote it: '{name}':")
            if entry is None:
                content[name] = {}
            elif not isinstance(entry, dict):
                raise IntentError(f"{name!r} must be a mapping, got {type(entry).__name__}",
                                  file=str(directory / file), host=str(name))
            check_entry(content[name], str(directory / file), name)
    check_entry(defaults, str(directory / "defaults.yaml"), None)
    _check_group_cycles(groups, str(directory / "groups.yaml"))
    return RawInventory(directory, hosts, groups, defaults)


# Nornir's own fields of a host/group/defaults entry and the type each must have (Nornir's SimpleInventory
# schema: nornir.core.inventory.Host); a wrong type would crash Nornir or netmiko far from the file.
_FIELD_TYPES: dict[str, tuple[type, ...]] = {"hostname": (str,), "platform": (str,), "username": (str,),
                                             "groups": (list,), "data": (dict,), "connection_options": (dict,)}


def check_entry(entry: Mapping[str, Any], file: str, name: str | None) -> None:
    """Types of Nornir's fields, a TCP port in 1..65535, connection_options.<plugin>.extras a mapping."""
    for key, types in _FIELD_TYPES.items():
        value = entry.get(key)
        if value is not None and not isinstance(value, types):
            raise IntentError(f"{key} must be a {types[0].__name__ if types[0] is not dict else 'mapping'}, "
                              f"got {type(value).__name__} {value!r}"[:300], file=file, host=name, field=key)
    port = entry.get("port")
    if port is not None and (isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535):
        raise IntentError(f"port must be a whole number from 1 to 65535, got {port!r}"[:200], file=file,
                          host=name, field="port")
    for group in entry.get("groups") or []:
        if not isinstance(group, str):
            raise IntentError(f"group names are strings, got {group!r}"[:200], file=file, host=name, field="groups")
    for plugin, options in (entry.get("connection_options") or {}).items():
        field = f"connection_options.{plugin}"
        if not isinstance(options, dict):
            raise IntentError(f"must be a mapping (hostname, port, extras, ...), got {type(options).__name__}",
                              file=file, host=name, field=field)
        extras = options.get("extras")
        if extras is not None and not isinstance(extras, dict):
            raise IntentError(f"must be a mapping of {plugin} arguments, got {type(extras).__name__}",
                              file=file, host=name, field=f"{field}.extras")
        check_entry({k: v for k, v in options.items() if k != "extras"}, file, name)


def _check_group_cycles(groups: Mapping[str, Any], file: str) -> None:
    """A group that is its own ancestor would make Nornir (and the merge) recurse forever."""
    done: set[str] = set()
    for start in groups:
        path: list[str] = []
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            group, depth = stack.pop()
            del path[depth:]
            if group in path:
                raise IntentError(f"group cycle: {' -> '.join([*path[path.index(group):], group])}",
                                  file=file, host=group, field="groups")
            if group in done or group not in groups:
                continue
            path.append(group)
            parents = groups[group].get("groups") or [] if isinstance(groups[group], dict) else []
            if not parents:
                done.add(group)
            stack.extend((parent, depth + 1) for parent in parents)


def _read_yaml(path: Path, *, required: bool) -> dict[str, Any]:
    if not path.exists():
        if required:
            raise IntentError("file not found", file=str(path))
        return {}
    try:
        content = _YAML.load(read_regular_file(path, MAX_FILE))
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise IntentError(f"YAML syntax error{where}: {problem}", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IntentError(f"cannot read file: {exc.__class__.__name__}", file=str(path)) from None
    except RecursionError:
        raise IntentError(f"YAML nested deeper than {MAX_DEPTH} levels", file=str(path)) from None
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise IntentError(f"top level must be a mapping, got {type(content).__name__}", file=str(path))
    _check_depth(content, path)
    return dict(content)


MAX_FILE = 64 * 1024 * 1024   # an inventory of 100,000 hosts is ~20 MB
MAX_DEPTH = 64                # intent nests ~6 levels; deeper is hostile and would exhaust recursion later


def read_regular_file(path: Path, limit: int, errors: str = "strict") -> str:
    """The text of a regular file of at most ``limit`` bytes: FIFOs, devices (/dev/zero) never hang us.

    Raises:
        IntentError: not a regular file, too large, unreadable or not UTF-8.
    """
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens without waiting for a writer
    except FileNotFoundError:
        raise IntentError("file not found", file=str(path)) from None
    except OSError as exc:
        raise IntentError(f"cannot read file: {exc.strerror or exc}", file=str(path)) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise IntentError("is a directory; give a file", file=str(path))
        if not stat.S_ISREG(info.st_mode):
            raise IntentError("not a regular file (a FIFO or a device); give a file", file=str(path))
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise IntentError(f"file larger than {limit // (1024 * 1024)} MB", file=str(path))
    try:
        return data.decode("utf-8", errors=errors)
    except UnicodeDecodeError as exc:
        raise IntentError(f"not UTF-8 text (byte {exc.start})", file=str(path)) from None


def _check_depth(content: Any, path: Path) -> None:
    """Refuse nesting deeper than MAX_DEPTH (iteratively: the check itself must not recurse)."""
    stack: list[tuple[Any, int]] = [(content, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise IntentError(f"YAML nested deeper than {MAX_DEPTH} levels", file=str(path))
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def _dmvpn_of(entry: Mapping[str, Any]) -> Mapping[str, Any]:
    data = entry.get("data") or {}
    dmvpn = data.get("dmvpn") if isinstance(data, dict) else None
    return dmvpn if isinstance(dmvpn, dict) else {}


def secret_references(inventory_dir: str | Path) -> list[str]:
    """Every ``env:NAME`` the inventory refers to (for the demo's throwaway secrets)."""
    raw = read_inventory(inventory_dir)
    return references_in(raw.hosts, raw.groups, raw.defaults)


def references_in(*trees: Any) -> list[str]:
    """Every ``env:NAME`` in nested mappings and lists (an inventory's files, or Nornir's ``Inventory.dict()``)."""
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

    for tree in trees:
        walk(tree)
    return sorted(names)
