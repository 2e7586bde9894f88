"""Benchmark: `deploy` to N emulated routers vs a raw netmiko send_config_set loop (same lines, workers).

Usage: python bench/deploy.py [--hosts 50] [--workers 20] [--batch-size 20]
Prints one JSON object; target ratio (deploy / raw) <= 1.3.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from netmiko import ConnectHandler

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dmvpn_ops.deploy import DeployOptions, deploy, remediate  # noqa: E402
from dmvpn_ops.intent import Design, load_design  # noqa: E402
from dmvpn_ops.intent.nornir import load_nornir  # noqa: E402
from dmvpn_ops.lab.api import Lab  # noqa: E402
from dmvpn_ops.lab.scale import grow_inventory  # noqa: E402
from dmvpn_ops.render import render_config  # noqa: E402

SECRETS = {"DMVPN_SSH_PASSWORD": "bench-ssh-pw", "DMVPN_ENABLE_SECRET": "bench-enable",
           "DMVPN_NHRP_AUTH": "bnchAuth", "DMVPN_PSK": "bench-psk-1"}


def make_inventory(directory: Path, hosts: int) -> Path:
    """The demo cloud grown to ``hosts`` routers: 2 hubs and ``hosts - 2`` spokes (ports chosen by the lab)."""
    return grow_inventory(directory, hosts)


def raw_loop(design: Design, lab: Lab, lines: dict[str, tuple[str, ...]], workers: int) -> float:
    """What a hand-written script does: connect, send_config_set, disconnect; no checks."""
    def one(name: str) -> None:
        host = design.hosts[name]
        conn = ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=lab.port(name),
                              username=host.username, password=host.password.reveal(),  # type: ignore[union-attr]
                              secret=host.enable_secret.reveal())  # type: ignore[union-attr]
        conn.send_config_set(list(lines[name]))
        conn.disconnect()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, design.hosts))
    return time.perf_counter() - start


def run_deploy(inventory: Path, design: Design, lab: Lab, workers: int, batch: int, state: Path) -> tuple[float, int]:
    nornir = load_nornir(inventory, design, num_workers=workers, ports=lab.ports())
    start = time.perf_counter()
    result = deploy(design, nornir, DeployOptions(batch_size=batch, state_dir=state))
    elapsed = time.perf_counter() - start
    if result.exit_code != 0:
        raise SystemExit(f"deploy failed: { {h: r.reason for h, r in result.hosts.items() if not r.ok} }")
    return elapsed, result.lines_pushed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=20)
    args = parser.parse_args()
    for name, value in SECRETS.items():
        os.environ.setdefault(name, value)
    with tempfile.TemporaryDirectory() as tmp:
        inventory = make_inventory(Path(tmp), args.hosts)
        design = load_design(inventory)
        with Lab(design, ports="free") as lab:
            lines = {h: remediate(lab.running_config(h), render_config(design, h, reveal_secrets=True)).commands
                     for h in design.hosts}
            raw = raw_loop(design, lab, lines, args.workers)
        with Lab(design, ports="free") as lab:
            elapsed, pushed = run_deploy(inventory, design, lab, args.workers, args.batch_size, Path(tmp) / "state")
    print(json.dumps({"hosts": args.hosts, "workers": args.workers, "batch_size": args.batch_size,
                      "lines": sum(len(v) for v in lines.values()), "lines_pushed_by_deploy": pushed,
                      "raw_netmiko_s": round(raw, 3), "deploy_s": round(elapsed, 3),
                      "ratio": round(elapsed / raw, 3), "target_ratio": 1.3}, indent=2))


if __name__ == "__main__":
    main()
