"""On the emulator: health over two runs whose NHRP Error Indication counters grow (a spoke with a wrong
`ip nhrp authentication`), and IKE_DPD_MISSING for an SA without DPD only where the intent expects DPD.

Configuration changes go over real SSH (netmiko); the collected outputs are the emulator's real-format
`show ip nhrp traffic` and `show crypto ikev2 sa detail`.
"""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from junitparser import JUnitXml
from prometheus_client.parser import text_string_to_metric_families

from dmvpn_ops.health.nightly import HealthOptions, HealthRun, run_health
from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.nornir import load_nornir
from dmvpn_ops.report.health import health_junit, health_prometheus, print_health
from dmvpn_ops.verify import verify
from tests.schemas.test_schemas import validate

pytestmark = pytest.mark.lab
ROOT = Path(__file__).resolve().parents[2]
HOLD = 300  # the demo's `ip nhrp holdtime`: registrations go every 100 s


def _configure(cloud, host: str, lines: list[str]) -> None:
    nr = cloud.nornir()
    conn = nr.inventory.hosts[host].get_connection("netmiko", nr.config)
    try:
        conn.send_config_set(lines)
    finally:
        nr.close_connections()


def _health(cloud, tmp_path: Path, now: float) -> HealthRun:
    options = HealthOptions(history=tmp_path / "history", probe=False, read_timeout=10, now=lambda: now)
    return run_health(cloud.design, cloud.nornir(), options)


def _growing(run: HealthRun) -> dict[str, dict[str, int]]:
    return {f.host or "": f.observed for f in run.findings if f.code == "NHRP_ERRORS_GROWING"}


def test_wrong_nhrp_authentication_makes_error_counters_grow_between_runs(cloud, tmp_path: Path) -> None:
    tunnel = cloud.design.hosts["spoke1"].tunnels[0].interface
    good = re.search(r"^ ip nhrp authentication (\S+)$", cloud.lab.running_config("spoke1"), re.M)
    assert good is not None
    t0 = 1_700_000_000.0
    first = _health(cloud, tmp_path, t0)
    assert first.exit_code == 0, [f.to_dict() for f in first.result.findings + first.findings]
    assert set(first.record.nhrp_errors) == set(cloud.design.hosts)            # every host's table, full mode
    try:
        _configure(cloud, "spoke1", [f"interface {tunnel}", "ip nhrp authentication WRONGKEY"])
        cloud.lab.advance(2 * HOLD)
        second = _health(cloud, tmp_path, t0 + 2 * HOLD)
        growing = _growing(second)
        assert {"hub1", "hub2", "spoke1"} <= set(growing), [f.to_dict() for f in second.findings]
        assert growing["hub1"]["sent"] > 0 and growing["spoke1"]["rcvd"] > 0 and not growing["spoke1"]["sent"]
        assert {"spoke2", "spoke3", "spoke4"}.isdisjoint(growing)                # their NHS answer them
        assert second.exit_code == 1 and second.trend.counts()["nhrp_errors"] == len(growing)
        validate("health-record", second.record.to_json())
        assert "WRONGKEY" not in str(second.record.to_json())                   # the secret stays masked
        _reports_name_it(second)
    finally:
        _configure(cloud, "spoke1", [f"interface {tunnel}", f"ip nhrp authentication {good.group(1)}"])
        cloud.lab.advance(HOLD + 30)
    third = _health(cloud, tmp_path, t0 + 4 * HOLD)
    assert not _growing(third), [f.to_dict() for f in third.findings]           # fixed: the counters stop


def _reports_name_it(run: HealthRun) -> None:
    """The console's changes table, JUnit's nhrp_errors case and the Prometheus trend family carry it."""
    from rich.console import Console

    console = Console(file=io.StringIO(), width=200, color_system=None)
    print_health(run, console)
    assert "nhrp errors" in console.file.getvalue() and "NHRP_ERRORS_GROWING" in console.file.getvalue()
    cases = {c.name: c for suite in JUnitXml.fromstring(health_junit(run)) if suite.name == "dmvpn-health"
             for c in suite}
    assert not cases["nhrp_errors"].is_passed and cases["flaps"].is_passed
    families = {f.name: f for f in text_string_to_metric_families(health_prometheus(run))}
    changes = {s.labels["kind"]: s.value for s in families["dmvpn_health_changes"].samples}
    assert changes["nhrp_errors"] == len(run.trend.nhrp_errors) > 0
    trend = {(s.labels["code"], s.labels["severity"]): s.value
             for s in families["dmvpn_health_trend_findings"].samples}
    assert trend[("NHRP_ERRORS_GROWING", "warning")] == len(run.trend.nhrp_errors)


def _without_dpd_intent(tmp_path: Path) -> Path:
    inventory = tmp_path / "no-dpd"
    shutil.copytree(ROOT / "inventory", inventory, ignore=shutil.ignore_patterns("examples"))
    groups = inventory / "groups.yaml"
    groups.write_text(groups.read_text().replace("            mode: transport\n",
                                                 "            mode: transport\n            dpd: null\n", 1))
    return inventory


def test_an_sa_without_dpd_is_flagged_only_when_the_intent_expects_dpd(cloud, tmp_path: Path) -> None:
    first = verify(cloud.design, cloud.nornir(), mode="full", read_timeout=10)
    assert not [f for f in first.findings if f.code.startswith("IKE_")], [f.to_dict() for f in first.findings]
    profile = re.search(r"^crypto ikev2 profile (\S+)$", cloud.lab.running_config("spoke3"), re.M)
    assert profile is not None
    try:
        _configure(cloud, "spoke3", [f"crypto ikev2 profile {profile.group(1)}", "no dpd"])
        cloud.lab.run("spoke3", "clear crypto session")   # DPD settings apply to SAs negotiated after the change
        cloud.lab.advance(60)
        fast = verify(cloud.design, cloud.nornir(), mode="fast", read_timeout=10)
        assert not [f for f in fast.findings if f.code.startswith("IKE_")]      # fast mode never asks
        assert all("show crypto ikev2 sa detail" not in c.commands and "show ip nhrp traffic" not in c.commands
                   for c in fast.collections.values())
        found = verify(cloud.design, cloud.nornir(), mode="full", read_timeout=10)
        missing = [f for f in found.findings if f.code == "IKE_DPD_MISSING"]
        assert [(f.host, f.severity.value) for f in missing] == [("spoke3", "warning")], \
            [f.to_dict() for f in found.findings]
        assert missing[0].expected == {"interval": 10, "retry": 3}
        inventory = _without_dpd_intent(tmp_path)
        design = load_design(inventory)
        nornir = load_nornir(inventory, design, ports=cloud.lab.ports(),
                             extras={"conn_timeout": 10, "auth_timeout": 10, "banner_timeout": 10})
        relaxed = verify(design, nornir, mode="full", read_timeout=10)
        assert not [f for f in relaxed.findings if f.code.startswith("IKE_DPD")], \
            [f.to_dict() for f in relaxed.findings]
    finally:
        _configure(cloud, "spoke3", [f"crypto ikev2 profile {profile.group(1)}", "dpd 10 3 on-demand"])
        cloud.lab.run("spoke3", "clear crypto session")
        cloud.lab.advance(HOLD + 30)
