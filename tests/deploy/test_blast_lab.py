"""Disruptive or not, on the emulator over SSH: a deployed cloud picks up new DPD timers without
--allow-disruptive; a transform set redefined in use is blocked (its peers would fail the next re-key)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from dmvpn_ops.deploy import Status
from dmvpn_ops.intent import load_design
from tests.conftest import INVENTORY
from tests.deploy.conftest import Run

pytestmark = pytest.mark.lab


def _with_crypto(run: Run, target: Path, **crypto: object) -> Run:
    """The same lab and state, deployed from an inventory whose cloud crypto has ``crypto`` changed."""
    shutil.copytree(INVENTORY, target, ignore=shutil.ignore_patterns("examples"))
    groups = yaml.safe_load((target / "groups.yaml").read_text())
    groups["dmvpn_cloud"]["data"]["dmvpn"]["clouds"]["DMVPN1"]["crypto"].update(crypto)
    (target / "groups.yaml").write_text(yaml.safe_dump(groups))
    return Run(target, load_design(target), run.lab, run.state_dir)


def test_new_dpd_timers_deploy_without_allow_disruptive(lab_run, tmp_path: Path) -> None:
    run = lab_run(INVENTORY)
    assert run.deploy().exit_code == 0
    changed = _with_crypto(run, tmp_path / "inv", dpd={"interval": 30, "retry": 5, "mode": "periodic"})
    result = changed.deploy()
    statuses = {h: r.status for h, r in result.hosts.items()}
    assert set(statuses.values()) == {Status.DEPLOYED}, {h: (r.status, r.reason) for h, r in result.hosts.items()}
    assert all(not r.disruptions for r in result.hosts.values())
    for host in run.design.hosts:
        assert " dpd 30 5 periodic" in run.lab.running_config(host), host


def test_redefined_transform_set_is_blocked(lab_run, tmp_path: Path) -> None:
    run = lab_run(INVENTORY)
    assert run.deploy().exit_code == 0
    before = run.running()
    changed = _with_crypto(run, tmp_path / "inv", transform="esp-aes 128 esp-sha256-hmac")
    blocked = changed.deploy()
    hubs = [h for h in run.design.hosts if run.design.hosts[h].is_hub]
    for hub in hubs:
        record = blocked.hosts[hub]
        assert record.status == Status.BLOCKED, (record.status, record.reason)
        assert "--allow-disruptive" in (record.reason or "")
        assert any("transform set" in d.why for d in record.disruptions)
        assert {a for d in record.disruptions for a in d.affected} == set(run.design.hosts)  # the whole cloud
    assert blocked.exit_code == 1
    assert run.running() == before  # nothing reached any router
