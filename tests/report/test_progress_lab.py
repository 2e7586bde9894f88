"""On the emulator: the progress processor counts the hosts really asked; the CLI's table ends on a RECAP.

Deploy (CLI, first push then a no-op), then verify fast/full through ``HostProgress`` and the CLI.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from nornir.core import Nornir
from rich.console import Console

from dmvpn_ops.intent import Design, load_design
from dmvpn_ops.intent.nornir import load_nornir
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.report.progress import HostProgress
from dmvpn_ops.verify import verify
from tests.conftest import INVENTORY, inventory_with_ports

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Design, Lab, Path]]:
    design = load_design(INVENTORY)
    with Lab(design, ports="free") as lab:
        yield design, lab, inventory_with_ports(INVENTORY, tmp_path_factory.mktemp("inv") / "inv", lab.ports())


def _nornir(design: Design, lab: Lab) -> Nornir:
    extras = {"conn_timeout": 10, "auth_timeout": 10, "banner_timeout": 10, "read_timeout_override": 10}
    return load_nornir(INVENTORY, design, ports=lab.ports(), extras=extras)


def test_deploy_ends_on_a_recap(deployed, cli, tmp_path: Path) -> None:
    _, lab, inventory = deployed
    state = str(tmp_path / "state")
    first = cli("deploy", "-i", str(inventory), "--state-dir", state, "--confirm-timeout", "30")
    assert first.code == 0, first.out + first.err
    lines = [line for line in first.out.splitlines() if line.strip()]
    assert lines[-1] == "RECAP deploy: ok=0 changed=6 unreachable=0 failed=0 skipped=0"
    # not a terminal: each step's hosts done on stderr (the hubs and the canary are prepared, then rolled out: push, gate, confirm)
    assert re.search(r"^deploy prepare: \d/\d hosts done", first.err, re.M), first.err
    assert re.search(r"^deploy roll_out: 1/1 hosts done", first.err, re.M), first.err
    again = cli("deploy", "-i", str(inventory), "--state-dir", state, "--dry-run")
    assert again.out.rstrip().splitlines()[-1] == \
        "RECAP deploy (dry-run): ok=6 changed=0 unreachable=0 failed=0 skipped=0"
    lab.advance(30)


def test_progress_counts_the_hosts_asked(deployed) -> None:
    design, lab, _ = deployed
    for mode, asked in (("fast", len(design.hub_names)), ("full", len(design.hosts))):
        out = io.StringIO()
        progress = HostProgress(Console(file=out, force_terminal=False, width=100), "verify", every=0)
        with progress:
            result = verify(design, _nornir(design, lab).with_processors([progress]), mode=mode, read_timeout=10)
        assert result.exit_code == 0, [f.to_dict() for f in result.findings]
        assert progress.runs == [("collect_task", asked, asked)]
        lines = out.getvalue().splitlines()
        assert lines[0].startswith(f"verify collect_task: 0/{asked} hosts done")
        assert lines[-1].startswith(f"verify collect_task: {asked}/{asked} hosts done")
        assert len(lines) == asked + 2  # start, one per host (every=0), end


def test_progress_off_a_terminal_logs_every_n_seconds(deployed) -> None:
    design, lab, _ = deployed
    ticks = iter(range(0, 10_000, 4))  # each clock read moves 4 s
    out = io.StringIO()
    progress = HostProgress(Console(file=out, force_terminal=False), "verify", every=10,
                            clock=lambda: float(next(ticks)))
    with progress:
        verify(design, _nornir(design, lab).with_processors([progress]), mode="full", read_timeout=10)
    lines = out.getvalue().splitlines()
    assert 2 < len(lines) < len(design.hosts) + 2, lines  # start, some progress lines, end: not one per host
    assert lines[-1].startswith("verify collect_task: 6/6 hosts done")


def test_progress_on_a_terminal_is_a_bar_not_log_lines(deployed) -> None:
    design, lab, _ = deployed
    out = io.StringIO()
    progress = HostProgress(Console(file=out, force_terminal=True, width=100), "verify", every=0)
    with progress:
        verify(design, _nornir(design, lab).with_processors([progress]), mode="fast", read_timeout=10)
    assert progress.runs == [("collect_task", 2, 2)]
    assert "hosts done (" not in out.getvalue()


def test_cli_verify_failed_only_all_and_progress(deployed, cli) -> None:
    design, _, inventory = deployed
    failed = cli("verify", "-i", str(inventory), "--mode", "full", "--failed-only")
    assert failed.code == 0, failed.out + failed.err
    lines = failed.out.rstrip().splitlines()
    assert lines[0].startswith("all good") and "DMVPN verify" not in failed.out
    assert lines[-1] == "RECAP verify: ok=6 changed=0 unreachable=0 failed=0 skipped=0"
    assert "verify collect_task: 6/6 hosts done" in failed.err  # not a terminal: log lines on stderr
    fast = cli("verify", "-i", str(inventory), "--all")
    assert "✔ up" in fast.out and "verify collect_task: 2/2 hosts done" in fast.err
    assert fast.out.rstrip().splitlines()[-1] == "RECAP verify: ok=2 changed=0 unreachable=0 failed=0 skipped=4"


def test_junit_times_come_from_the_device(deployed, tmp_path: Path) -> None:
    from junitparser import JUnitXml

    from dmvpn_ops.report import render_verify

    design, lab, _ = deployed
    result = verify(design, _nornir(design, lab), mode="full", read_timeout=10)
    path = tmp_path / "verify.xml"
    path.write_text(render_verify(result, "junit"))
    for suite in JUnitXml.fromfile(str(path)):
        host = suite.name.split()[0]
        times = {case.name: case.time for case in suite}
        timings = result.collections[host].timings
        assert set(timings) == set(result.collections[host].commands)  # every answered command timed
        assert times["registration"] > 0 and times["reachable"] > 0
        assert sum(times.values()) <= result.hosts[host].elapsed + 0.01
