"""Lab benchmark: start 10/50/200 routers; start-up time, RSS per router, connect+`show dmvpn` vs echo.

Each size runs in its own process (clean RSS). Prints one JSON document. Usage: python bench/lab.py [N ...]
"""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncssh

SIZES = (10, 50, 200)
SAMPLES = 20
SECRETS = {"DMVPN_SSH_PASSWORD": "bench-pw", "DMVPN_ENABLE_SECRET": "bench-en",
           "DMVPN_NHRP_AUTH": "benchnh", "DMVPN_PSK": "bench-psk"}
REPO = Path(__file__).resolve().parents[1]


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def make_inventory(folder: Path, n: int) -> Path:
    """The demo cloud grown to ``n`` routers: 2 hubs and n-2 spokes (ports chosen by the lab)."""
    from dmvpn_ops.lab.scale import grow_inventory
    return grow_inventory(folder, n)


async def _one_session(port: int, user: str, password: str, command: str, prompt: str) -> float:
    start = time.perf_counter()
    async with asyncssh.connect("127.0.0.1", port=port, username=user, password=password,
                                known_hosts=None) as conn:
        proc = await conn.create_process(term_type="vt100")
        await proc.stdout.readuntil(prompt)
        # as every IOS client does first (netmiko, scrapli): a 24-line vty would stop at --More--
        proc.stdin.write("terminal length 0\n")
        await proc.stdout.readuntil("terminal length 0")
        await proc.stdout.readuntil(prompt)
        proc.stdin.write(command + "\n")
        await proc.stdout.readuntil(command)
        await proc.stdout.readuntil(prompt)
        proc.close()
    return time.perf_counter() - start


class _Echo(asyncssh.SSHServer):
    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return password == "echo"


async def _echo_process(proc: asyncssh.SSHServerProcess[str]) -> None:
    proc.stdout.write("echo#")
    async for line in proc.stdin:
        proc.stdout.write(line.rstrip("\r\n") + "\r\necho#")


async def _latencies(lab_port: int, hub_prompt: str) -> dict[str, float]:
    key = asyncssh.generate_private_key("ssh-ed25519")
    echo = await asyncssh.create_server(_Echo, "127.0.0.1", 0, server_host_keys=[key],
                                        process_factory=_echo_process)
    echo_port = echo.sockets[0].getsockname()[1]
    lab_t, echo_t = [], []
    for _ in range(SAMPLES):  # interleaved, so both see the same machine load
        lab_t.append(await _one_session(lab_port, "admin", os.environ["DMVPN_SSH_PASSWORD"], "show dmvpn",
                                        hub_prompt))  # the inventory's env: value (set or defaulted in run_one)
        echo_t.append(await _one_session(echo_port, "u", "echo", "show dmvpn", "echo#"))
    echo.close()
    lab_ms, echo_ms = statistics.median(lab_t) * 1000, statistics.median(echo_t) * 1000
    return {"connect_show_dmvpn_ms": round(lab_ms, 2), "echo_ms": round(echo_ms, 2),
            "ratio": round(lab_ms / echo_ms, 3)}


def run_one(n: int) -> dict[str, Any]:
    """Start ``n`` configured routers in this process and measure."""
    os.environ.update({k: os.environ.get(k, v) for k, v in SECRETS.items()})
    from dmvpn_ops.intent import load_design
    from dmvpn_ops.lab.api import Lab
    from dmvpn_ops.render import render_config
    with tempfile.TemporaryDirectory() as tmp:
        design = load_design(str(make_inventory(Path(tmp), n)))
        configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
        base = rss_kib()
        start = time.perf_counter()
        with Lab(design, ports="free") as lab:
            listening = time.perf_counter() - start
            for host, text in configs.items():
                lab.configure(host, text)
            configured = time.perf_counter() - start
            rss = rss_kib() - base
            lat = asyncio.run(_latencies(lab.port("hub1"), "hub1#"))
    return {"routers": n, "startup_s": round(listening, 3), "startup_configured_s": round(configured, 3),
            "rss_mib_per_router": round(rss / 1024 / n, 3), "rss_mib_total": round(rss / 1024, 1), **lat}


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        print(json.dumps(run_one(int(argv[1]))))
        return
    sizes = [int(a) for a in argv] or list(SIZES)
    results = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], stdout=subprocess.PIPE, text=True,
                             check=True)  # stderr passes through: a failing size shows its traceback
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    targets = {"rss_mib_per_router": 10, "ratio": 1.5}
    print(json.dumps({"cpus": os.cpu_count(), "results": results, "targets": targets,
                      "ok": all(r["rss_mib_per_router"] <= 10 and r["ratio"] <= 1.5 for r in results)},
                     indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
