"""Deploy against IOS-XE 17.x routers that hide `ip nhrp shortcut` / `map multicast dynamic` from show run."""
from __future__ import annotations

import pytest

from dmvpn_ops.deploy import Status
from tests.conftest import INVENTORY

pytestmark = pytest.mark.lab  # every test here starts the lab emulator


def test_redeploy_on_hidden_lines_pushes_nothing(lab_run) -> None:
    run = lab_run(INVENTORY)
    for host in run.design.hosts:
        run.lab.hide_lines(host)
    first = run.deploy()
    assert first.exit_code == 0, {h: (r.status, r.reason) for h, r in first.hosts.items()}
    assert "ip nhrp shortcut" not in run.lab.running_config("spoke1")
    assert "ip nhrp map multicast dynamic" not in run.lab.running_config("hub1")
    second = run.deploy()
    assert second.exit_code == 0 and second.lines_pushed == 0
    assert all(r.status == Status.UNCHANGED for r in second.hosts.values())
    assert run.lab.run("hub1", "show dmvpn").count(" UP ") == 5          # honoured all the same (+ hub2)
