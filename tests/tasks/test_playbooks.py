"""tasks/*.py run as an operator runs them (subprocess) against the lab; cron and systemd files agree with the CLI."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from dmvpn_ops.health.history import JsonDirHistory
from dmvpn_ops.health.record import load_records
from tests.conftest import TEST_SECRETS

ROOT = Path(__file__).resolve().parents[2]
TASKS = ROOT / "tasks"


def _play(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(TASKS / name), *args], capture_output=True, text=True,
                          timeout=90, env={**__import__("os").environ, "COLUMNS": "160"})


@pytest.mark.lab
def test_playbooks_against_the_lab(cloud, tmp_path: Path) -> None:
    inventory = cloud.inventory_copy(tmp_path / "inventory")
    dep = _play("deploy.py", "-i", str(inventory), "--dry-run", "--state-dir", str(tmp_path / "state"))
    assert dep.returncode == 0, dep.stdout + dep.stderr
    assert "Deploy (dry-run)" in dep.stdout  # the cloud is deployed: the dry run plans nothing on any host
    for host in cloud.design.hosts:
        assert re.search(rf"^\W*{host}\b.*\bunchanged\b", dep.stdout, re.M), (host, dep.stdout)
    assert "planned" not in dep.stdout

    ver = _play("verify.py", "-i", str(inventory), "--format", "json")
    assert ver.returncode == 0, ver.stdout + ver.stderr
    assert '"edges_up": 8' in ver.stdout

    history = tmp_path / "history"
    health = _play("nightly_health.py", "-i", str(inventory), "--history", str(history), "--no-probe",
                   "--junit", str(tmp_path / "h.xml"))
    assert health.returncode == 0, health.stdout + health.stderr
    assert "First run" in health.stdout and (tmp_path / "h.xml").exists()
    assert len(load_records(JsonDirHistory(history))) == 1
    out = dep.stdout + ver.stdout + health.stdout + dep.stderr + ver.stderr + health.stderr
    assert not [v for v in TEST_SECRETS.values() if v in out]


def test_playbook_bad_inventory_exit_2(tmp_path: Path) -> None:
    result = _play("verify.py", "-i", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "error:" in result.stdout and "Traceback" not in result.stderr


def _health_options() -> set[str]:
    from dmvpn_ops.cli import load_verb

    command = load_verb("health")
    return {opt for p in command.params for opt in p.opts + p.secondary_opts}


@pytest.mark.parametrize("name", ["dmvpn-health.cron", "dmvpn-health.service"])
def test_scheduler_files_use_real_options(name: str) -> None:
    text = (TASKS / "cron" / name).read_text()
    line = next(line for line in text.splitlines() if "dmvpn-ops health" in line and not line.startswith("#"))
    used = set(re.findall(r"\s(--?[a-z][a-z-]*)", line.split("dmvpn-ops health", 1)[1]))
    assert used and used <= _health_options(), used - _health_options()
    if name.endswith(".cron"):
        assert len(line.split()[:6]) == 6 and line.split()[5] == "dmvpn"  # m h dom mon dow user


def test_timer_starts_the_service() -> None:
    timer = (TASKS / "cron" / "dmvpn-health.timer").read_text()
    assert "OnCalendar=" in timer and "Persistent=true" in timer
    assert "Type=oneshot" in (TASKS / "cron" / "dmvpn-health.service").read_text()
