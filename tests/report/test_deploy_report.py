"""The deploy table at scale and at 80 columns: unchanged hosts counted not listed, columns drop before
words break, the RECAP line last. (Results built from typed records; the deploy itself on the emulator
is tested in tests/deploy and tests/report/test_progress_lab.py.)"""
from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console

from dmvpn_ops.deploy.model import DeployResult, HostDeploy, Status
from dmvpn_ops.report.deploy import render_deploy


def _result(spokes: int = 200) -> DeployResult:
    hosts = {f"hub{i}": HostDeploy(f"hub{i}", "hub", status=Status.DEPLOYED, commands=["interface Tunnel100"] * 3,
                                   pushed=3, wave=f"hubs-{i}",
                                   backup=Path(f".dmvpn-ops/backups/hub{i}/20261201T221500Z-running.cfg"))
             for i in (1, 2)}
    for i in range(1, spokes + 1):
        hosts[f"spoke{i}"] = HostDeploy(f"spoke{i}", "spoke", wave="batch-1")
    if spokes >= 42:
        hosts["spoke7"].status = Status.ROLLED_BACK
        hosts["spoke7"].reason = "DMVPN gate: spoke7 not registered on hub1 Tunnel100 within 60 s after the push"
        hosts["spoke7"].rollback = "configure replace flash:dmvpn-ops-backup.cfg restored the backup"
        hosts["spoke42"].status = Status.UNREACHABLE
        hosts["spoke42"].reason = "cannot connect: [Errno 111] Connection refused"
    return DeployResult(hosts=hosts, waves=[])


def _render(result: DeployResult, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None)
    render_deploy(result, console, show_diff=False)
    return console.export_text().splitlines()


def _words(lines: list[str]) -> set[str]:
    return set(re.sub("[\u2500-\u257f]", " ", "\n".join(lines)).split())


def test_big_run_lists_what_changed_or_failed_and_ends_on_the_recap() -> None:
    lines = _render(_result(), 80)
    text = "\n".join(lines)
    assert "198 unchanged host(s) not listed" in text
    listed = set(re.findall(r"\b(?:hub|spoke)\d+\b", text))
    assert {"hub1", "hub2", "spoke7", "spoke42"} <= listed and "spoke8" not in listed
    assert lines[-1] == "RECAP deploy: ok=198 changed=2 unreachable=1 failed=1 skipped=0"
    assert len(lines) < 60


def test_80_columns_drop_columns_not_words() -> None:
    narrow, wide = _render(_result(), 80), _render(_result(), 1000)
    assert all(len(line) <= 80 for line in narrow)
    assert not _words(narrow) - _words(wide), sorted(_words(narrow) - _words(wide))[:10]
    def header(lines: list[str]) -> str:
        return next(line for line in lines if "host" in line and "result" in line)
    assert "backup" in header(wide) and "backup" not in header(narrow) and "reason" in header(narrow)


def test_small_run_lists_every_host() -> None:
    text = "\n".join(_render(_result(spokes=4), 200))
    assert "not listed" not in text and all(f"spoke{i}" in text for i in range(1, 5))
