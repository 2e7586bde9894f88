"""Nornir inventory -> typed ``Design``; every error names file (where the plugin has one), host and field.

``design_from_nornir`` reads any Nornir object (any inventory plugin); ``load_design`` is the same over a
SimpleInventory folder, its three YAML files syntax-checked first so their errors name the file and line.
Nornir resolves a host's fields through groups and defaults; ``data.dmvpn`` is deep-merged in Nornir's own
group order (``intent.inventory``). Hosts without ``data.dmvpn`` (a core switch in the same inventory) are
not part of the design: they are listed once at debug level and every stage leaves them alone.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from dmvpn_ops.errors import IntentError
from dmvpn_ops.intent.files import INVENTORY_FILES, Source, read_inventory, secret_references
from dmvpn_ops.intent.ios import DEFAULT_VERSION, IosVersion
from dmvpn_ops.intent.model import CloudSpec, Design, Host, Lan, NhsMapping, Tunnel, Underlay
from dmvpn_ops.intent.origin import deep_merge, fail_at, origin, validation_error
from dmvpn_ops.intent.secret_refs import Lenient, check_secrets, resolve_secret

if TYPE_CHECKING:  # Nornir is imported when an intent is read, not by `import dmvpn_ops.intent` (parse, --help)
    from nornir.core import Nornir
    from nornir.core.inventory import Host as NornirHost
    from nornir.core.inventory import Inventory

    from dmvpn_ops.intent.inventory import Origins

__all__ = ["load_design", "design_from_nornir", "read_inventory", "secret_references", "deep_merge", "origin",
           "INVENTORY_FILES"]

_log = logging.getLogger(__name__)
_TUNNEL_KEYS = {"tunnel_ip", "source", "nbma", "nat", "nat_public", "nhs", "nhrp_group"}
_HOST_KEYS = {"role", "underlay", "lan", "clouds", "bgp_as", "router_id", "unique_secrets_per_cloud",
              "ios_version"}


def load_design(inventory_dir: str | Path, environ: Mapping[str, str] | None = None, *,
                require_secrets: bool = True) -> Design:
    """Load and validate the DMVPN intent of a SimpleInventory directory.

    ``require_secrets=False`` lets offline verbs (lint, masked render) run where the
    ``env:`` variables are not set; secrets then stay unresolved references.

    Raises:
        IntentError: the files are missing, malformed, or describe an invalid design.
        SecretError: a referenced secret is not set.
    """
    from dmvpn_ops.intent.inventory import Origins, nornir_inventory

    raw = read_inventory(inventory_dir)
    origins = Origins.simple(raw.path("hosts.yaml"))
    return design_from_inventory(nornir_inventory(raw), origins, environ, require_secrets=require_secrets,
                                 inventory_dir=str(raw.directory))


def design_from_nornir(nr: Nornir, environ: Mapping[str, str] | None = None, *,
                       require_secrets: bool = True) -> Design:
    """The typed design of a Nornir object, whatever its inventory plugin (``InitNornir(config_file=...)``).

    Errors name the inventory file where the plugin reads files Nornir tells us about (SimpleInventory),
    else the host and the field. Secret references (env:, file:, keyring:) resolve as with ``load_design``.
    Connect through ``intent.nornir.connect_nornir(nr, design)``: it drops the non-DMVPN hosts and puts the
    resolved credentials (never the references) into the hosts' connection options.

    Raises:
        IntentError: no host has ``data.dmvpn``, or a host's intent is invalid.
        SecretError: a referenced secret is not set.
    """
    from dmvpn_ops.intent.inventory import Origins

    section = nr.config.inventory
    origins = Origins.of_config(str(section.plugin), dict(section.options or {}))
    where = str(Path(origins.hosts).parent) if origins.hosts else f"nornir inventory ({section.plugin})"
    return design_from_inventory(nr.inventory, origins, environ, require_secrets=require_secrets,
                                 inventory_dir=where)


def design_from_inventory(inventory: Inventory, origins: Origins, environ: Mapping[str, str] | None = None, *,
                          require_secrets: bool = True, inventory_dir: str = "") -> Design:
    """The design of a Nornir ``Inventory``; ``origins`` names the file of each level for error messages."""
    from dmvpn_ops.intent.inventory import dmvpn_sources, has_dmvpn

    env: Mapping[str, str] = os.environ if environ is None else environ
    if not require_secrets:
        env = Lenient(env)  # unresolved secrets allowed
    hosts: dict[str, Host] = {}
    host_files: dict[str, str] = {}
    ignored: list[str] = []
    for name, nornir_host in inventory.hosts.items():
        if not has_dmvpn(nornir_host):
            ignored.append(name)
            continue
        hosts[name] = _build_host(nornir_host, dmvpn_sources(nornir_host, origins), origins, env)
        if origins.hosts:
            host_files[name] = origins.hosts
    if ignored:
        _log.debug("hosts without data.dmvpn, not part of the design: %s", ", ".join(ignored))
    if not hosts:
        raise IntentError("no host has data.dmvpn (role, underlay, clouds): no DMVPN design here",
                          file=origins.hosts or inventory_dir or None)
    _check_unique_endpoints(hosts, origins.hosts)
    defaults = inventory.defaults.data if isinstance(inventory.defaults.data, dict) else {}
    defaults_dmvpn = defaults.get("dmvpn") or {}
    return Design(
        inventory_dir=inventory_dir,
        hosts=hosts,
        host_files=host_files,
        unique_secrets_per_cloud=bool(isinstance(defaults_dmvpn, dict)
                                      and defaults_dmvpn.get("unique_secrets_per_cloud", False)),
    )


def _check_unique_endpoints(hosts: Mapping[str, Host], file: str) -> None:
    """Two hosts on one SSH address:port would be one device configured twice (and one lab port, no lab)."""
    for label, endpoint in (("connect to", lambda h: (h.hostname, h.port)),
                            ("have the lab port", lambda h: ("127.0.0.1", h.emulator_port))):
        seen: dict[tuple[str, int], str] = {}
        for name, host in hosts.items():
            key = endpoint(host)
            if key in seen:
                raise IntentError(f"{seen[key]} and {name} both {label} {key[0]}:{key[1]}; each device needs "
                                  "its own address or port", file=file, host=name, field="port")
            seen[key] = name


def _build_host(nornir_host: NornirHost, sources: list[Source], origins: Origins,
                env: Mapping[str, str]) -> Host:
    name = nornir_host.name
    dmvpn = deep_merge(sources)
    unknown = set(dmvpn) - _HOST_KEYS
    if unknown:
        raise fail_at(sources, name, (sorted(unknown)[0],),
                    f"unknown key; expected one of {', '.join(sorted(_HOST_KEYS))}")
    if dmvpn.get("role") not in ("hub", "spoke"):
        raise fail_at(sources, name, ("role",),
                    f"role must be 'hub' or 'spoke' (got {dmvpn.get('role')!r})")
    underlay = _build_list(Underlay, dmvpn.get("underlay"), sources, name, "underlay", required=True)
    lan = _build_list(Lan, dmvpn.get("lan"), sources, name, "lan", required=False)
    host_clouds = sources[0][1].get("clouds") or {}
    if not isinstance(host_clouds, dict) or not host_clouds:
        raise fail_at(sources, name, ("clouds",), "host joins no cloud: add clouds.<name>.tunnel_ip")
    version = _ios_version(dmvpn, sources, name)
    tunnels = tuple(_build_tunnel(name, cloud, dmvpn["clouds"][cloud], underlay, sources, env, version)
                    for cloud in host_clouds)
    _check_nornir_fields(nornir_host, origins)
    lab = nornir_host.data.get("lab") if isinstance(nornir_host.data, dict) else None
    try:
        return Host(
            name=name, role=dmvpn["role"],
            hostname=str(nornir_host.hostname or name),
            port=nornir_host.port or 22,
            platform=str(nornir_host.platform or "cisco_ios"),
            username=nornir_host.username,
            password=_field_secret(nornir_host, origins, "password", env),
            enable_secret=_enable_secret(nornir_host, origins, env),
            underlay=underlay, lan=lan, tunnels=tunnels,
            bgp_as=dmvpn.get("bgp_as"), router_id=dmvpn.get("router_id"), ios_version=version,
            lab_port=lab.get("port") if isinstance(lab, dict) else None,
        )
    except ValidationError as exc:
        raise validation_error(sources, name, (), exc) from None


def _check_nornir_fields(host: NornirHost, origins: Origins) -> None:
    """Nornir's own fields typed as netmiko needs them, whatever plugin filled them (named at the level set)."""
    from dmvpn_ops.intent.inventory import levels, own

    for level in levels(host):
        port = own(level, "port")
        if port is not None and (isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535):
            raise IntentError(f"port must be a whole number from 1 to 65535, got {port!r}"[:200],
                              file=origins.of(level) or None, host=host.name, field="port")
        for key in ("hostname", "platform", "username"):
            value = own(level, key)
            if value is not None and not isinstance(value, str):
                raise IntentError(f"{key} must be a string, got {type(value).__name__} {value!r}"[:200],
                                  file=origins.of(level) or None, host=host.name, field=key)


def _field_secret(host: NornirHost, origins: Origins, key: str, env: Mapping[str, str]) -> Any:
    """A Nornir secret field (password) from the level that sets it, resolved from its reference."""
    from dmvpn_ops.intent.inventory import levels, own

    for level in levels(host):
        value = own(level, key)
        if value is not None:
            return resolve_secret(value, env, file=origins.of(level), host=host.name, field=key)
    return None


def _enable_secret(host: NornirHost, origins: Origins, env: Mapping[str, str]) -> Any:
    """``connection_options.netmiko.extras.secret`` from the first level that sets it."""
    from dmvpn_ops.intent.inventory import levels

    for level in levels(host):
        options = level.connection_options.get("netmiko")
        secret = (options.extras or {}).get("secret") if options is not None else None
        if secret is not None:
            return resolve_secret(secret, env, file=origins.of(level), host=host.name,
                                  field="connection_options.netmiko.extras.secret")
    return None


def _build_list(model: Any, value: Any, sources: list[Source], host: str, key: str,
                *, required: bool) -> tuple[Any, ...]:
    if value is None:
        if required:
            raise fail_at(sources, host, (key,), "required")
        return ()
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list):
        raise fail_at(sources, host, (key,), "must be a list of mappings")
    built = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise fail_at(sources, host, (key,), f"entry {index} must be a mapping")
        try:
            built.append(model(**item))
        except ValidationError as exc:
            raise validation_error(sources, host, (key,), exc) from None
    return tuple(built)


def _ios_version(dmvpn: dict[str, Any], sources: list[Source], host: str) -> IosVersion:
    """The host's release (host or group ``ios_version``): it decides what crypto IOS accepts."""
    if dmvpn.get("ios_version") is None:
        return DEFAULT_VERSION
    try:
        return IosVersion.parse(str(dmvpn["ios_version"]))
    except ValueError as exc:
        raise fail_at(sources, host, ("ios_version",), str(exc)) from None


def _build_tunnel(host: str, cloud: str, merged: Any, underlay: tuple[Underlay, ...],
                  sources: list[Source], env: Mapping[str, str], version: IosVersion) -> Tunnel:
    prefix = ("clouds", cloud)
    if not isinstance(merged, dict):
        raise fail_at(sources, host, prefix, "must be a mapping")
    member = {k: v for k, v in merged.items() if k in _TUNNEL_KEYS}
    spec_data = {k: v for k, v in merged.items() if k not in _TUNNEL_KEYS}
    check_secrets(spec_data, sources, host, prefix, env)
    try:
        spec = CloudSpec.model_validate(spec_data, context={"ios_version": version})
    except ValidationError as exc:
        raise validation_error(sources, host, prefix, exc) from None
    if "tunnel_ip" not in member:
        raise fail_at(sources, host, prefix + ("tunnel_ip",), "required: this host's address in the cloud")
    source_name = member.get("source") or underlay[0].interface
    source = next((u for u in underlay if u.interface == source_name), None)
    if source is None:
        raise fail_at(sources, host, prefix + ("source",),
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
        raise validation_error(sources, host, prefix, exc) from None
    except TypeError:
        raise fail_at(sources, host, prefix + ("nhs",), "must be a list of {tunnel_ip, nbma}") from None
