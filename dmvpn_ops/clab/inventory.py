"""The lab's Nornir inventory: the intent on kind interface names, management addresses, env credentials.

Rehearsal contract (for the lab emulator): each host carries ``data.lab: {hostname: 127.0.0.1,
port: N}``. Nornir's own ``hostname``/``port`` point at the containerlab management address
(port 22); the emulator binds 127.0.0.1:``data.lab.port`` and connects there instead.
See :func:`rehearsal_ports`.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from dmvpn_ops.clab.kinds import KindProfile
from dmvpn_ops.intent import read_inventory
from dmvpn_ops.intent.files import RawInventory
from dmvpn_ops.intent.model import Design

PASSWORD_ENV = "env:CLAB_SSH_PASSWORD"
ENABLE_ENV = "env:CLAB_ENABLE_SECRET"
_CREDENTIAL_KEYS = ("username", "password", "connection_options")
_REHEARSAL_BASE_PORT = 12400


def lab_inventory(source: str | Path | RawInventory, mapped: Design, kinds: dict[str, KindProfile],
                  mgmt: dict[str, str], *, lab_name: str) -> dict[str, dict[str, Any]]:
    """``{"hosts.yaml": ..., "groups.yaml": ..., "defaults.yaml": ...}`` for the lab.

    ``source`` is the intent's folder, or its inventory already read (``IntentSource.raw_inventory``).
    """
    raw = source if isinstance(source, RawInventory) else read_inventory(source)
    hosts: dict[str, Any] = {}
    for index, (name, entry) in enumerate(raw.hosts.items()):
        if name not in mapped.hosts:  # no DMVPN intent (a core switch in the same folder): no lab router
            continue
        host = mapped.hosts[name]
        kind = kinds[name]
        new = {k: copy.deepcopy(v) for k, v in entry.items() if k not in _CREDENTIAL_KEYS + ("hostname", "port")}
        new = {"hostname": mgmt[name], "port": 22, "platform": kind.platform, **new}
        data = new.setdefault("data", {})
        dmvpn = data.setdefault("dmvpn", {})
        dmvpn["underlay"] = [u.model_dump(mode="json", exclude_none=True) for u in host.underlay]
        if host.lan:
            dmvpn["lan"] = [lan.model_dump(mode="json") for lan in host.lan]
        clouds = dmvpn.setdefault("clouds", {})
        for tunnel in host.tunnels:
            clouds.setdefault(tunnel.cloud, {})["source"] = tunnel.source
        rehearsal_port = int(entry.get("port") or 0) or _REHEARSAL_BASE_PORT + index
        data["lab"] = {"hostname": "127.0.0.1", "port": rehearsal_port}
        data["clab"] = {"lab": lab_name, "node": name, "kind": kind.kind,
                        "deploy": kind.platform == "cisco_ios"}
        hosts[name] = new
    groups = {name: {k: copy.deepcopy(v) for k, v in entry.items() if k not in _CREDENTIAL_KEYS}
              for name, entry in raw.groups.items()}
    defaults: dict[str, Any] = {
        "platform": "cisco_ios",
        "username": next(iter(kinds.values())).default_username,
        "password": PASSWORD_ENV,
        "connection_options": {"netmiko": {"extras": {"secret": ENABLE_ENV}}},
    }
    if raw.defaults.get("data"):
        defaults["data"] = copy.deepcopy(raw.defaults["data"])
    return {"hosts.yaml": hosts, "groups.yaml": groups, "defaults.yaml": defaults}


def rehearsal_ports(inventory_dir: str | Path) -> dict[str, int]:
    """Host -> 127.0.0.1 port for the emulator rehearsal of a generated lab inventory.

    Hosts without ``data.lab.port`` (a hand-written inventory) keep their Nornir ``port``.
    """
    raw = read_inventory(inventory_dir)
    ports: dict[str, int] = {}
    for name, entry in raw.hosts.items():
        lab = ((entry.get("data") or {}).get("lab") or {})
        ports[name] = int(lab.get("port") or entry.get("port") or 22)
    return ports
