"""Nornir inventories as the intent's source: any inventory plugin, Nornir's own inheritance.

The design is read from ``nr.inventory`` (``design_from_nornir``), so SimpleInventory, nornir-ansible's
AnsibleInventory or a NetBox plugin all drive every stage. Nornir resolves a host's fields
(hostname, port, username, password, platform) through its groups and defaults itself
(``Host.__getattribute__``) and gives the group order (``Host.extended_groups``); what Nornir does not do is
merge *nested* data, so ``data.dmvpn`` is deep-merged here in that same order (host, its groups as Nornir
orders them, defaults): a group describes a cloud, a host adds its tunnel address and may override any key.

``Origins`` says which file each level came from, so errors keep naming the file that set a field where the
plugin has files (SimpleInventory: hosts.yaml, groups.yaml, defaults.yaml); elsewhere they name host and field.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nornir.core.inventory import (
    ConnectionOptions,
    Defaults,
    Group,
    Groups,
    Host,
    Hosts,
    Inventory,
    ParentGroups,
)

from dmvpn_ops.intent.files import RawInventory, Source

__all__ = ["Origins", "nornir_inventory", "dmvpn_sources", "has_dmvpn", "own", "levels", "dmvpn_raw_inventory"]

Level = Host | Group | Defaults


@dataclass(frozen=True)
class Origins:
    """The file each inventory level was read from ('' where the plugin has none)."""

    hosts: str = ""
    groups: str = ""
    defaults: str = ""

    @classmethod
    def simple(cls, host_file: str | Path, group_file: str | Path | None = None,
               defaults_file: str | Path | None = None) -> Origins:
        """SimpleInventory's three files (groups/defaults beside hosts.yaml unless given)."""
        base = Path(host_file).parent
        return cls(str(host_file), str(group_file or base / "groups.yaml"),
                   str(defaults_file or base / "defaults.yaml"))

    @classmethod
    def of_config(cls, plugin: str, options: Mapping[str, Any]) -> Origins:
        """The files of a Nornir ``inventory:`` section: known for SimpleInventory, none for other plugins."""
        if plugin != "SimpleInventory":
            return cls()
        host_file = Path(str(options.get("host_file", "hosts.yaml"))).expanduser()
        return cls.simple(host_file, options.get("group_file") or "groups.yaml",
                          options.get("defaults_file") or "defaults.yaml")

    def of(self, level: Level) -> str:
        if isinstance(level, Group):  # before Host: Nornir's Group is a Host subclass
            return self.groups
        return self.hosts if isinstance(level, Host) else self.defaults


def levels(host: Host) -> list[Level]:
    """The host, its groups in Nornir's inheritance order, then the defaults: highest priority first."""
    return [host, *host.extended_groups(), host.defaults]


def own(level: Level, attribute: str) -> Any:
    """A level's own value of a Nornir field (``host.port`` would already be the inherited one)."""
    return object.__getattribute__(level, attribute)


def _dmvpn_of(level: Level) -> Mapping[str, Any]:
    data = level.data if isinstance(level.data, dict) else {}
    dmvpn = data.get("dmvpn")
    return dmvpn if isinstance(dmvpn, dict) else {}


def dmvpn_sources(host: Host, origins: Origins) -> list[Source]:
    """``data.dmvpn`` contributions of every level with the file it came from, highest priority first."""
    return [(origins.of(level), _dmvpn_of(level)) for level in levels(host)]


def has_dmvpn(host: Host) -> bool:
    """Whether the host or one of its groups gives it DMVPN intent (a core switch in the same inventory has none).

    The defaults do not count: they apply to every host, so ``data.dmvpn`` there (``unique_secrets_per_cloud``)
    must not turn the core switch into a DMVPN router.
    """
    return any(_dmvpn_of(level) for level in (host, *host.extended_groups()))


def _options(entry: Mapping[str, Any]) -> dict[str, ConnectionOptions]:
    return {name: ConnectionOptions(hostname=o.get("hostname"), port=o.get("port"), username=o.get("username"),
                                    password=o.get("password"), platform=o.get("platform"), extras=o.get("extras"))
            for name, o in (entry.get("connection_options") or {}).items()}


def nornir_inventory(raw: RawInventory) -> Inventory:
    """The Nornir ``Inventory`` of an already validated SimpleInventory folder (read once, checked first).

    These are Nornir's own objects, built the way its SimpleInventory builds them, so the design and
    ``nr.inventory`` resolve groups and defaults by the same (Nornir's) rules.
    """
    def fields(entry: Mapping[str, Any]) -> dict[str, Any]:
        return {key: entry.get(key) for key in ("hostname", "port", "username", "password", "platform")} | {
            "data": dict(entry.get("data") or {}), "connection_options": _options(entry)}

    defaults = Defaults(**fields(raw.defaults))
    groups = Groups({name: Group(name=name, defaults=defaults, **fields(entry)) for name, entry in raw.groups.items()})
    for name, group in groups.items():
        group.groups = ParentGroups([groups[g] for g in raw.groups[name].get("groups") or []])
    hosts = Hosts()
    for name, entry in raw.hosts.items():
        raw.group_chain(name)  # an unknown group is named (file, host) before Nornir would KeyError
        hosts[name] = Host(name=name, defaults=defaults,
                           groups=ParentGroups([groups[g] for g in entry.get("groups") or []]), **fields(entry))
    return Inventory(hosts=hosts, groups=groups, defaults=defaults)


def _own_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """One level of ``Inventory.dict()`` as SimpleInventory writes it: set fields only, no ``name``."""
    options = {name: {k: v for k, v in opts.items() if v is not None}
               for name, opts in (entry.get("connection_options") or {}).items()}
    out = {k: v for k, v in entry.items() if k not in ("name", "connection_options") and v not in (None, [], {})}
    return out | ({"connection_options": options} if options else {})


def dmvpn_raw_inventory(inventory: Inventory, directory: Path) -> RawInventory:
    """A Nornir inventory (any plugin) as SimpleInventory's three files would hold it, DMVPN hosts only.

    Nornir's own ``Inventory.dict()`` gives each level's own values (group and defaults resolution stays
    Nornir's); only the hosts with DMVPN intent and the groups they are in are kept: a core switch of the
    same inventory is no router of the design (``clab generate`` writes a lab inventory from this, the demo
    finds the secrets to make up in it). ``directory`` is where error messages say the files are.
    """
    routers = {name: host for name, host in inventory.hosts.items() if has_dmvpn(host)}
    used = {group.name for host in routers.values() for group in host.extended_groups()}
    every = inventory.dict()
    return RawInventory(directory, {name: _own_entry(every["hosts"][name]) for name in routers},
                        {name: _own_entry(entry) for name, entry in every["groups"].items() if name in used},
                        _own_entry(every["defaults"]))
