"""Verify benchmark; prints one JSON document.

1. ``full``: full verify of N emulated routers (default 50: 2 hubs + 48 spokes) against a raw netmiko
   loop running the same show commands with the same concurrency (target: verify <= 1.2x raw).
2. ``fast``: fast verify of 2 hubs x 1,000 spokes over real SSH to the 2 hubs (the spokes are
   routers of the lab without SSH listeners), target under 10 s.

Usage: python bench/verify.py [--routers 50] [--spokes 1000] [--workers 20] [--skip-fast]
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
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SECRETS = {"DMVPN_SSH_PASSWORD": "bench-pw", "DMVPN_ENABLE_SECRET": "bench-en",
           "DMVPN_NHRP_AUTH": "benchnh", "DMVPN_PSK": "bench-psk"}
for _k, _v in SECRETS.items():
    os.environ.setdefault(_k, _v)

from dmvpn_ops.collect.commands import commands_for  # noqa: E402
from dmvpn_ops.intent import Design, load_design  # noqa: E402
from dmvpn_ops.intent.nornir import load_nornir  # noqa: E402
from dmvpn_ops.lab.api import Lab  # noqa: E402
from dmvpn_ops.lab.scale import grow_inventory  # noqa: E402
from dmvpn_ops.render.render import render_config  # noqa: E402
from dmvpn_ops.verify import verify  # noqa: E402


def make_inventory(folder: Path, n: int) -> Path:
    """The demo cloud grown to ``n`` routers: 2 hubs and n-2 spokes in a /12 tunnel subnet."""
    return grow_inventory(folder, n)


def configure_all(lab: Lab, design: Design) -> float:
    start = time.perf_counter()
    for name in design.hosts:
        rejected = lab.configure(name, render_config(design, name, reveal_secrets=True))
        if rejected:
            raise SystemExit(f"{name}: the lab rejected {rejected[:3]}")
    lab.advance(30)
    return time.perf_counter() - start


def raw_netmiko(design: Design, ports: dict[str, int], workers: int) -> float:
    """The baseline: ConnectHandler + the same commands + disconnect, per host, in a thread pool."""
    from netmiko import ConnectHandler

    def one(name: str) -> int:
        host = design.hosts[name]
        conn = ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=ports[name],
                              username=host.username, password=host.password.reveal() if host.password else None,
                              secret=host.enable_secret.reveal() if host.enable_secret else "")
        try:
            return sum(len(conn.send_command(cmd)) for cmd in commands_for(host))
        finally:
            conn.disconnect()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, design.hosts))
    return time.perf_counter() - start


def bench_full(folder: Path, n: int, workers: int) -> dict[str, Any]:
    inv = make_inventory(folder, n)
    design = load_design(inv)
    with Lab(design, ports="free") as lab:
        setup = configure_all(lab, design)
        ports = lab.ports()
        raw = raw_netmiko(design, ports, workers)
        start = time.perf_counter()
        result = verify(design, load_nornir(inv, design, num_workers=workers, ports=ports), mode="full")
        ours = time.perf_counter() - start
        raw2 = raw_netmiko(design, ports, workers)  # again: the lab warms up too
    baseline = min(raw, raw2)
    return {"routers": n, "workers": workers, "setup_s": round(setup, 2),
            "raw_netmiko_s": round(baseline, 3), "raw_netmiko_runs_s": [round(raw, 3), round(raw2, 3)],
            "verify_full_s": round(ours, 3), "ratio": round(ours / baseline, 3), "target_ratio": 1.2,
            "exit_code": result.exit_code, "findings": len(result.findings),
            "edges_up": result.summary()["edges_up"], "edges": len(result.edges),
            "per_session_s": round(ours / max(1, -(-n // workers)), 3)}


def bench_fast(folder: Path, spokes: int, workers: int) -> dict[str, Any]:
    """Fast verify of 2 hubs x ``spokes`` over real SSH: a lab where only the hubs listen.

    Every spoke is a router of the lab's cloud model, loaded directly from its rendered config
    (``Lab(..., ssh_hosts=hubs)`` + ``configure_many``); verify connects to the 2 hubs with netmiko,
    collects, parses and compares. ``verify_fast_s`` is the whole verify call, SSH included.
    """
    inv = make_inventory(folder, spokes + 2)
    design = load_design(inv)
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    start = time.perf_counter()
    with Lab(design, ports="free", ssh_hosts=design.hub_names) as lab:
        started = time.perf_counter() - start
        rejected = {h: r for h, r in lab.configure_many(configs).items() if r}
        if rejected:
            raise SystemExit(f"the lab rejected lines: {dict(list(rejected.items())[:2])}")
        lab.advance(30)
        setup = time.perf_counter() - start
        nornir = load_nornir(inv, design, num_workers=workers, ports=lab.ports())
        begin = time.perf_counter()
        result = verify(design, nornir, mode="fast")
        took = time.perf_counter() - begin
    return {"hubs": 2, "spokes": spokes, "method": "lab with SSH on the 2 hubs only, verify over netmiko",
            "lab_start_s": round(started, 2), "setup_s": round(setup, 2), "verify_fast_s": round(took, 3),
            "target_s": 10.0, "ok": took < 10.0, "ssh_sessions": len(design.hub_names),
            "exit_code": result.exit_code, "findings": len(result.findings),
            "edges_up": result.summary()["edges_up"], "edges": len(result.edges)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--routers", type=int, default=50)
    ap.add_argument("--spokes", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=20)
    ap.add_argument("--skip-fast", action="store_true")
    args = ap.parse_args()
    out: dict[str, Any] = {"cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        out["full"] = bench_full(Path(tmp), args.routers, args.workers)
        if not args.skip_fast:
            out["fast"] = bench_fast(Path(tmp), args.spokes, args.workers)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
