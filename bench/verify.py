"""Verify benchmark; prints one JSON document.

1. ``full``: full verify of N emulated routers (default 50: 2 hubs + 48 spokes) against a raw netmiko
   loop running the same show commands with the same concurrency (target: verify <= 1.2x raw).
2. ``fast``: fast verify of 2 hubs x 1,000 spokes (only the hubs are asked: 2 SSH sessions),
   target under 10 s (see ``bench_fast`` for how the 1,000 spokes are modelled).

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


def hub_outputs(design: Design) -> dict[str, dict[str, str]]:
    """The hubs' show outputs from the lab's cloud model (in-process: no SSH listener per spoke)."""
    from dmvpn_ops.lab.cloud.cloud import Cloud

    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    cloud = Cloud(design, lambda h: configs[h])
    cloud.snapshot()
    cloud.clock.advance(30)
    return {hub: {cmd: cloud.execute(hub, cmd) or "" for cmd in commands_for(design.hosts[hub])}
            for hub in design.hub_names}


def bench_fast(folder: Path, spokes: int) -> dict[str, Any]:
    """Fast verify cost for 2 hubs x ``spokes``: parse + compare of the hubs' real-size outputs.

    The emulator cannot start 1,000 SSH routers quickly (its cloud model takes ~1 min to settle
    at that size), so the hubs' outputs are produced by the cloud model in-process and verify's own
    work (parse every table, build 2,000 edges, run every check) is timed. Fast mode needs 2 SSH
    sessions; their transfer time is the ``per_session_s`` measured in the full benchmark.
    """
    from dmvpn_ops.collect.collect import HostCollection
    from dmvpn_ops.parse import parse
    from dmvpn_ops.verify import evaluate

    inv = make_inventory(folder, spokes + 2)
    design = load_design(inv)
    setup_start = time.perf_counter()
    outputs = hub_outputs(design)
    setup = time.perf_counter() - setup_start
    start = time.perf_counter()
    collections = {}
    for hub, texts in outputs.items():
        coll = HostCollection(hub, list(texts), outputs=dict(texts))
        for cmd, text in texts.items():
            coll.records[cmd] = parse(cmd, text, host=hub)
        collections[hub] = coll
    parsed = time.perf_counter() - start
    result = evaluate(design, collections, mode="fast")
    took = time.perf_counter() - start
    return {"hubs": 2, "spokes": spokes, "method": "hub outputs from the cloud model, parse+compare timed",
            "setup_s": round(setup, 2), "output_bytes": sum(len(t) for o in outputs.values() for t in o.values()),
            "parse_s": round(parsed, 3), "verify_fast_s": round(took, 3), "target_s": 10.0,
            "ssh_sessions": 2, "exit_code": result.exit_code, "findings": len(result.findings),
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
            out["fast"] = bench_fast(Path(tmp), args.spokes)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
