"""Large inventories for benchmarks and scale tests: the demo cloud grown to N routers (2 hubs)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from dmvpn_ops.data import DEMO_INVENTORY


def host_name(i: int) -> str:
    return f"hub{i + 1}" if i < 2 else f"spoke{i - 1}"


def _host(i: int) -> dict[str, Any]:
    third, fourth = divmod(i, 250)
    return {"port": 20000 + i, "groups": ["hubs" if i < 2 else "spokes"], "data": {"dmvpn": {
        "underlay": {"interface": "GigabitEthernet1", "address": f"100.{64 + third}.{fourth}.1/24",
                     "gateway": f"100.{64 + third}.{fourth}.254"},
        "lan": [{"interface": "GigabitEthernet2", "address": f"10.{100 + third}.{fourth}.1/24"}],
        "clouds": {"DMVPN1": {"tunnel_ip": f"172.{16 + third}.0.{fourth + 1}"}}}}}


def grow_inventory(folder: Path, n: int, source: Path = DEMO_INVENTORY) -> Path:
    """Write ``folder/inventory-N``: the demo cloud's groups with 2 hubs and N-2 spokes in a /12."""
    inv = folder / f"inventory-{n}"
    inv.mkdir(parents=True)
    for name in ("defaults.yaml", "groups.yaml"):
        (inv / name).write_text((source / name).read_text())
    hosts = {host_name(i): _host(i) for i in range(n)}
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    groups = yaml.safe_load((inv / "groups.yaml").read_text())
    groups["dmvpn_cloud"]["data"]["dmvpn"]["clouds"]["DMVPN1"]["subnet"] = "172.16.0.0/12"
    (inv / "groups.yaml").write_text(yaml.safe_dump(groups))
    return inv
