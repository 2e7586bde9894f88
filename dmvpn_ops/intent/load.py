"""Nornir SimpleInventory -> typed ``Design``; every error names file, host and field.

Nornir resolves top-level data keys host > groups > defaults but does not merge nested
mappings, so ``data.dmvpn`` is deep-merged here in that same order: a group describes a
cloud, a host adds its tunnel address and may override any cloud key (which is how the
linter gets to see mismatches within a cloud).
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dmvpn_ops.errors import IntentError
from dmvpn_ops.intent.files import INVENTORY_FILES, RawInventory, Source, read_inventory, secret_references
from dmvpn_ops.intent.ios import DEFAULT_VERSION, IosVersion
from dmvpn_ops.intent.model import CloudSpec, Design, Host, Lan, NhsMapping, Tunnel, Underlay
from dmvpn_ops.intent.origin import deep_merge, fail_at, origin, validation_error
from dmvpn_ops.intent.secret_refs import Lenient, check_secrets, enable_secret, from_groups, host_secret

__all__ = ["load_design", "read_inventory", "secret_references", "deep_merge", "origin", "INVENTORY_FILES"]

_TUNNEL_KEYS = {"tunnel_ip", "source", "nbma", "nat", "nat_public", "nhs", "nhrp_group"}
_HOST_KEYS = {"role", "underlay", "lan", "clouds", "bgp_as", "router_id", "unique_secrets_per_cloud",
              "ios_version"}




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
        env = Lenient(env)  # unresolved secrets allowed
    hosts: dict[str, Host] = {}
    host_files: dict[str, str] = {}
    for name in raw.hosts:
        sources = raw.dmvpn_sources(name)
        host_files[name] = raw.path("hosts.yaml")
        hosts[name] = _build_host(raw, name, sources, env)
    if not hosts:
        raise IntentError("no hosts defined", file=raw.path("hosts.yaml"))
    _check_unique_endpoints(hosts, raw.path("hosts.yaml"))
    defaults_dmvpn = raw.defaults.get("data", {}).get("dmvpn", {}) or {}
    return Design(
        inventory_dir=str(raw.directory),
        hosts=hosts,
        host_files=host_files,
        unique_secrets_per_cloud=bool(defaults_dmvpn.get("unique_secrets_per_cloud", False)),
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


def _build_host(raw: RawInventory, name: str, sources: list[Source],
                env: Mapping[str, str]) -> Host:
    dmvpn = deep_merge(sources)
    if not dmvpn:
        raise fail_at(sources, name, (), "host has no data.dmvpn (role, underlay, clouds)")
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
    entry = raw.hosts[name]
    try:
        return Host(
            name=name, role=dmvpn["role"],
            hostname=str(entry.get("hostname") or raw.defaults.get("hostname") or name),
            port=int(entry.get("port") or from_groups(raw, name, "port") or raw.defaults.get("port") or 22),
            platform=str(entry.get("platform") or from_groups(raw, name, "platform")
                         or raw.defaults.get("platform") or "cisco_ios"),
            username=entry.get("username") or from_groups(raw, name, "username") or raw.defaults.get("username"),
            password=host_secret(raw, name, "password", env),
            enable_secret=enable_secret(raw, name, env),
            underlay=underlay, lan=lan, tunnels=tunnels,
            bgp_as=dmvpn.get("bgp_as"), router_id=dmvpn.get("router_id"), ios_version=version,
            lab_port=((entry.get("data") or {}).get("lab") or {}).get("port"),
        )
    except ValidationError as exc:
        raise validation_error(sources, name, (), exc) from None
    except (TypeError, ValueError) as exc:
        raise IntentError(str(exc), file=raw.path("hosts.yaml"), host=name, field="port") from None


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
