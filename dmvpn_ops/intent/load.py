"""Nornir SimpleInventory -> typed ``Design``; every error names file, host and field.

Nornir resolves top-level data keys host > groups > defaults but does not merge nested
mappings, so ``data.dmvpn`` is deep-merged here in that same order: a group describes a
cloud, a host adds its tunnel address and may override any cloud key (which is how the
linter gets to see mismatches within a cloud).
"""
from __future__ import annotations

import copy
import os
import re
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml
from pydantic import ValidationError

from dmvpn_ops.errors import IntentError, SecretError
from dmvpn_ops.intent.model import (
    CloudSpec, Design, Host, Lan, NhsMapping, Tunnel, Underlay,
)
from dmvpn_ops.secrets import MIN_LENGTH, SecretRef, is_reference

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
INVENTORY_FILES = ("hosts.yaml", "groups.yaml", "defaults.yaml")
_TUNNEL_KEYS = {"tunnel_ip", "source", "nbma", "nat", "nat_public", "nhs", "nhrp_group"}
_HOST_KEYS = {"role", "underlay", "lan", "clouds", "bgp_as", "router_id", "unique_secrets_per_cloud"}

Source = tuple[str, Mapping[str, Any]]  # (file name, the dmvpn mapping it contributes)


def load_design(inventory_dir: str | Path, environ: Mapping[str, str] | None = None, *,
                require_secrets: bool = True) -> Design:
    """Load and validate the DMVPN intent of an inventory directory.

    ``require_secrets=False`` lets offline verbs (lint, masked render) run where the
    ``env:`` variables are not set; secrets then stay unresolved references.

    Raises:
        IntentError: the files are missing, malformed, or describe an invalid design.
        SecretError: a referenced ``env:`` secret is not set.
    """
    raw = read_inventory(inventory_dir)
    env: Mapping[str, str] = os.environ if environ is None else environ
    if not require_secrets:
        env = _Lenient(env)  # unresolved secrets allowed
    hosts: dict[str, Host] = {}
    host_files: dict[str, str] = {}
    for name in raw.hosts:
        sources = raw.dmvpn_sources(name)
        host_files[name] = raw.path("hosts.yaml")
        hosts[name] = _build_host(raw, name, sources, env)
    if not hosts:
        raise IntentError("no hosts defined", file=raw.path("hosts.yaml"))
    defaults_dmvpn = raw.defaults.get("data", {}).get("dmvpn", {}) or {}
    return Design(
        inventory_dir=str(raw.directory),
        hosts=hosts,
        host_files=host_files,
        unique_secrets_per_cloud=bool(defaults_dmvpn.get("unique_secrets_per_cloud", False)),
    )


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
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
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


def deep_merge(sources: list[Source]) -> dict[str, Any]:
    """Merge mappings lowest priority first, nested mappings recursively, lists replaced."""
    merged: dict[str, Any] = {}
    for _file, data in reversed(sources):
        _merge_into(merged, data)
    return merged


def _merge_into(target: dict[str, Any], data: Mapping[str, Any]) -> None:
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge_into(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def origin(sources: list[Source], path: tuple[Any, ...]) -> str:
    """The file that set ``path`` (highest priority wins), for error messages."""
    for file, data in sources:
        node: Any = data
        for part in path:
            if isinstance(node, dict) and part in node:
                node = node[part]
            else:
                break
        else:
            return file
    return sources[0][0]


def _fail(sources: list[Source], host: str, path: tuple[Any, ...], message: str) -> IntentError:
    field = "data.dmvpn." + ".".join(str(p) for p in path) if path else "data.dmvpn"
    return IntentError(message, file=origin(sources, path), host=host, field=field)


def _validation_error(sources: list[Source], host: str, prefix: tuple[Any, ...],
                      exc: ValidationError) -> IntentError:
    errors = exc.errors()
    # A union (address or "dhcp") reports one error per member; the literal one is noise.
    relevant = [e for e in errors if e["type"] != "literal_error"] or errors
    err = relevant[0]
    loc = tuple(p for p in err["loc"] if isinstance(p, int) or _IDENT.match(str(p)))
    message = err["msg"].removeprefix("Value error, ")
    value = err.get("input")
    if value is not None and err["type"] != "missing" and not isinstance(value, (dict, list)) \
            and "secret" not in message:
        message = f"{message} (got {value!r})"
    fields = {tuple(p for p in e["loc"] if isinstance(p, int) or _IDENT.match(str(p))) for e in errors}
    if len(fields) > 1:
        more = len(fields) - 1
        message += f" (and {more} more problem{'s' if more > 1 else ''} in this host)"
    return _fail(sources, host, prefix + loc, message)


def _build_host(raw: RawInventory, name: str, sources: list[Source],
                env: Mapping[str, str]) -> Host:
    dmvpn = deep_merge(sources)
    if not dmvpn:
        raise _fail(sources, name, (), "host has no data.dmvpn (role, underlay, clouds)")
    unknown = set(dmvpn) - _HOST_KEYS
    if unknown:
        raise _fail(sources, name, (sorted(unknown)[0],),
                    f"unknown key; expected one of {', '.join(sorted(_HOST_KEYS))}")
    if dmvpn.get("role") not in ("hub", "spoke"):
        raise _fail(sources, name, ("role",),
                    f"role must be 'hub' or 'spoke' (got {dmvpn.get('role')!r})")
    underlay = _build_list(Underlay, dmvpn.get("underlay"), sources, name, "underlay", required=True)
    lan = _build_list(Lan, dmvpn.get("lan"), sources, name, "lan", required=False)
    host_clouds = sources[0][1].get("clouds") or {}
    if not isinstance(host_clouds, dict) or not host_clouds:
        raise _fail(sources, name, ("clouds",), "host joins no cloud: add clouds.<name>.tunnel_ip")
    tunnels = tuple(_build_tunnel(name, cloud, dmvpn["clouds"][cloud], underlay, sources, env)
                    for cloud in host_clouds)
    entry = raw.hosts[name]
    try:
        return Host(
            name=name, role=dmvpn["role"],
            hostname=str(entry.get("hostname") or raw.defaults.get("hostname") or name),
            port=int(entry.get("port") or _from_groups(raw, name, "port") or raw.defaults.get("port") or 22),
            platform=str(entry.get("platform") or _from_groups(raw, name, "platform")
                         or raw.defaults.get("platform") or "cisco_ios"),
            username=entry.get("username") or _from_groups(raw, name, "username") or raw.defaults.get("username"),
            password=_host_secret(raw, name, "password", env),
            enable_secret=_enable_secret(raw, name, env),
            underlay=underlay, lan=lan, tunnels=tunnels,
            bgp_as=dmvpn.get("bgp_as"), router_id=dmvpn.get("router_id"),
            lab_port=((entry.get("data") or {}).get("lab") or {}).get("port"),
        )
    except ValidationError as exc:
        raise _validation_error(sources, name, (), exc) from None
    except (TypeError, ValueError) as exc:
        raise IntentError(str(exc), file=raw.path("hosts.yaml"), host=name, field="port") from None


def _from_groups(raw: RawInventory, host: str, key: str) -> Any:
    for group in raw.group_chain(host):
        if raw.groups[group].get(key) is not None:
            return raw.groups[group][key]
    return None


def _host_secret(raw: RawInventory, host: str, key: str, env: Mapping[str, str]) -> SecretRef | None:
    value = raw.hosts[host].get(key)
    file = raw.path("hosts.yaml")
    if value is None:
        value, file = _from_groups(raw, host, key), raw.path("groups.yaml")
    if value is None:
        value, file = raw.defaults.get(key), raw.path("defaults.yaml")
    return _resolve_secret(value, env, file=file, host=host, field=key)


def _enable_secret(raw: RawInventory, host: str, env: Mapping[str, str]) -> SecretRef | None:
    for file, entry in ((raw.path("hosts.yaml"), raw.hosts[host]),
                        *((raw.path("groups.yaml"), raw.groups[g]) for g in raw.group_chain(host)),
                        (raw.path("defaults.yaml"), raw.defaults)):
        secret = (((entry.get("connection_options") or {}).get("netmiko") or {})
                  .get("extras") or {}).get("secret")
        if secret is not None:
            return _resolve_secret(secret, env, file=file, host=host,
                                   field="connection_options.netmiko.extras.secret")
    return None


def _resolve_secret(value: Any, env: Mapping[str, str], *, file: str, host: str,
                    field: str) -> SecretRef | None:
    if value is None:
        return None
    if not is_reference(value):
        raise IntentError("secrets are never stored in the inventory; reference one as env:NAME",
                          file=file, host=host, field=field)
    ref = SecretRef.resolve(str(value), env)
    _check_length(ref, file=file, host=host, field=field)
    if not ref.resolved and not isinstance(env, _Lenient):
        raise SecretError(f"environment variable {ref.env_name} is not set", file=file,
                          host=host, field=field, hint=f"export {ref.env_name}=...")
    return ref


def _build_list(model: Any, value: Any, sources: list[Source], host: str, key: str,
                *, required: bool) -> tuple[Any, ...]:
    if value is None:
        if required:
            raise _fail(sources, host, (key,), "required")
        return ()
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list):
        raise _fail(sources, host, (key,), "must be a list of mappings")
    built = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise _fail(sources, host, (key,), f"entry {index} must be a mapping")
        try:
            built.append(model(**item))
        except ValidationError as exc:
            raise _validation_error(sources, host, (key,), exc) from None
    return tuple(built)


def _build_tunnel(host: str, cloud: str, merged: Any, underlay: tuple[Underlay, ...],
                  sources: list[Source], env: Mapping[str, str]) -> Tunnel:
    prefix = ("clouds", cloud)
    if not isinstance(merged, dict):
        raise _fail(sources, host, prefix, "must be a mapping")
    member = {k: v for k, v in merged.items() if k in _TUNNEL_KEYS}
    spec_data = {k: v for k, v in merged.items() if k not in _TUNNEL_KEYS}
    _check_secrets(spec_data, sources, host, prefix, env)
    try:
        spec = CloudSpec(**spec_data)
    except ValidationError as exc:
        raise _validation_error(sources, host, prefix, exc) from None
    if "tunnel_ip" not in member:
        raise _fail(sources, host, prefix + ("tunnel_ip",), "required: this host's address in the cloud")
    source_name = member.get("source") or underlay[0].interface
    source = next((u for u in underlay if u.interface == source_name), None)
    if source is None:
        raise _fail(sources, host, prefix + ("source",),
                    f"tunnel source {source_name!r} is not an underlay interface")
    nbma = member.get("nbma")
    if nbma is None:
        nbma = "dhcp" if source.dynamic else str(source.address.ip)  # type: ignore[union-attr]
    nat_public = member.get("nat_public", source.nat_public)
    try:
        return Tunnel(
            cloud=cloud, spec=spec, tunnel_ip=member["tunnel_ip"], source=source_name,
            nbma=nbma,  # type: ignore[arg-type]  # pydantic validates the str
            nat=member.get("nat", nat_public is not None), nat_public=nat_public,
            nhs=None if member.get("nhs") is None else tuple(NhsMapping(**m) for m in member["nhs"]),
            nhrp_group=member.get("nhrp_group"),
        )
    except ValidationError as exc:
        raise _validation_error(sources, host, prefix, exc) from None
    except TypeError:
        raise _fail(sources, host, prefix + ("nhs",), "must be a list of {tunnel_ip, nbma}") from None


def _check_secrets(spec: dict[str, Any], sources: list[Source], host: str,
                   prefix: tuple[Any, ...], env: Mapping[str, str]) -> None:
    """Resolve secrets before pydantic sees them, so a missing one names its env variable."""
    places: list[tuple[dict[str, Any], str, tuple[Any, ...]]] = [(spec, "nhrp_auth", ("nhrp_auth",))]
    if isinstance(spec.get("crypto"), dict):
        places.append((spec["crypto"], "psk", ("crypto", "psk")))
    for container, key, path in places:
        value = container.get(key)
        if value is None or isinstance(value, SecretRef):
            continue
        if not is_reference(value):
            raise _fail(sources, host, prefix + path,
                        "secrets are never stored in the inventory; reference one as env:NAME")
        ref = SecretRef.resolve(str(value), env)
        where = _fail(sources, host, prefix + path, "")
        _check_length(ref, file=where.file or "", host=host, field=where.field or "")
        if not ref.resolved and not isinstance(env, _Lenient):
            err = _fail(sources, host, prefix + path, f"environment variable {ref.env_name} is not set")
            raise SecretError(err.message, file=err.file, host=err.host, field=err.field,
                              hint=f"export {ref.env_name}=...")
        container[key] = ref


def _check_length(ref: SecretRef, *, file: str, host: str, field: str) -> None:
    if ref.too_short:
        raise SecretError(f"the value of {ref.env_name} is shorter than {MIN_LENGTH} characters, "
                          "too short to be masked in output", file=file, host=host, field=field,
                          hint=f"use a longer secret in {ref.env_name}")


class _Lenient(dict):  # type: ignore[type-arg]
    """An environment view that marks "missing secrets are fine here"."""


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
