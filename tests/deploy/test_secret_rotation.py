"""The dual-hub secret rotation procedure of docs/secret-rotation.md, run on the emulator.

hub1 first, then the spokes, then hub2: at every step each spoke keeps one hub whose secrets match its own, so
the cloud never loses a spoke; at the end, once the emulated clock passes the NHRP hold time and the revert
timers, the whole cloud verifies clean with the new PSK and NHRP authentication.
"""
from __future__ import annotations

import pytest

from dmvpn_ops.deploy import DeployOptions, Status, deploy
from dmvpn_ops.deploy.confirm import responding_nhs
from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.nornir import load_nornir
from dmvpn_ops.verify import verify
from tests.conftest import INVENTORY, TEST_SECRETS

pytestmark = pytest.mark.lab
NEW = {"DMVPN_PSK": "Psk-rotated-5e9f", "DMVPN_NHRP_AUTH": "nhRot8x"}
SPOKES = ("spoke1", "spoke2", "spoke3", "spoke4")


def _step(run, design, limit: tuple[str, ...]):
    nornir = load_nornir(run.inventory, design, ports=run.lab.ports(),
                         extras={"conn_timeout": 10, "auth_timeout": 10, "banner_timeout": 10})
    result = deploy(design, nornir, DeployOptions(state_dir=run.state_dir, timeout=10, confirm_timeout=20,
                                                  limit=limit, allow_disruptive=True,
                                                  rotate_secrets=True))
    assert result.exit_code == 0, {h: (r.status, r.reason, r.rollback) for h, r in result.hosts.items()}
    assert all(result.hosts[h].status == Status.DEPLOYED for h in limit)
    return result


def _every_spoke_has_a_hub(run) -> None:
    for spoke in SPOKES:
        assert responding_nhs(run.lab.run(spoke, "show ip nhrp nhs")), spoke


def test_dual_hub_rotation_never_loses_a_spoke(lab_run) -> None:
    run = lab_run(INVENTORY)
    assert run.deploy().exit_code == 0
    run.lab.advance(120)
    new = load_design(INVENTORY, {**TEST_SECRETS, **NEW})
    _step(run, new, ("hub1",))  # 1. first hub: spokes keep hub2 (old secrets)
    run.lab.advance(400)  # past the NHRP hold time: hub1's old registrations are gone
    _every_spoke_has_a_hub(run)
    _step(run, new, SPOKES)  # 2. spokes, canary then batches: each registers with hub1 (new)
    run.lab.advance(400)
    _every_spoke_has_a_hub(run)
    _step(run, new, ("hub2",))  # 3. second hub
    run.lab.advance(2 * 3600)  # past every hold time, DPD and revert timer
    for host in run.design.hosts:
        running = run.lab.running_config(host)
        assert NEW["DMVPN_NHRP_AUTH"] in running and TEST_SECRETS["DMVPN_NHRP_AUTH"] not in running
    nornir = load_nornir(run.inventory, new, ports=run.lab.ports(), extras={"conn_timeout": 10})
    verdict = verify(new, nornir, mode="full")
    assert verdict.exit_code == 0, [f"{f.code} {f.host} {f.message}" for f in verdict.findings]
