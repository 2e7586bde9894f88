"""The public push and view tasks on the emulator: dry-run diffs, a real push hubs then spokes, idempotence,
per-host views, and what nornir_utils' print_result shows of them."""
from __future__ import annotations

from pathlib import Path

import pytest
from nornir.core.filter import F
from nornir_utils.plugins.functions import print_result

from dmvpn_ops.deploy import DeployOptions, Status
from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.nornir import load_nornir
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.nornir_tasks import HostPush, HostView, push, view
from tests.conftest import INVENTORY, TEST_SECRETS

pytestmark = pytest.mark.lab
EXTRAS = {"conn_timeout": 10, "auth_timeout": 10, "banner_timeout": 10}


def test_push_dry_run_then_push_then_views(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    design = load_design(INVENTORY)
    options = DeployOptions(state_dir=tmp_path / "state", timeout=10, confirm_timeout=30)
    with Lab(design, ports="free") as lab:
        before = {h: lab.running_config(h) for h in design.hosts}
        nr = load_nornir(INVENTORY, design, ports=lab.ports(), extras=EXTRAS)

        planned = nr.run(task=push, design=design, dry_run=True, options=options)
        assert set(planned) == set(design.hosts) and not planned.failed
        for multi in planned.values():
            result = multi[0]
            assert isinstance(result.result, HostPush) and result.result.dry_run
            assert result.result.record.status == Status.PLANNED and result.changed
            assert "interface Tunnel100" in result.diff and "*****" in result.diff
            assert not any(v in result.diff for v in TEST_SECRETS.values())
        assert {h: lab.running_config(h) for h in design.hosts} == before  # a dry run pushes nothing
        print_result(planned)
        shown = capsys.readouterr().out
        assert "push ** changed : True" in shown and "HostPush(spoke1: planned" in shown and "dry run" in shown
        assert "interface Tunnel100" in shown and not any(v in shown for v in TEST_SECRETS.values())

        # Nornir's global dry-run is honoured when the task argument is not given.
        nr.data.dry_run = True
        assert nr.filter(name="hub1").run(task=push, design=design, options=options)["hub1"][0].result.dry_run
        nr.data.dry_run = False

        hubs = nr.filter(F(groups__contains="hubs")).run(task=push, design=design, options=options)
        assert not hubs.failed, {h: repr(m[0].result) for h, m in hubs.items()}
        assert all(m[0].changed and m[0].result.record.status == Status.DEPLOYED for m in hubs.values())
        spokes = nr.filter(F(groups__contains="spokes")).run(task=push, design=design, options=options)
        assert not spokes.failed, {h: repr(m[0].result) for h, m in spokes.items()}
        assert lab.running_config("spoke1") != before["spoke1"]

        again = nr.run(task=push, design=design, dry_run=True, options=options)
        assert all(not m[0].changed and m[0].diff == "" and m[0].result.record.status == Status.UNCHANGED
                   for m in again.values()), {h: repr(m[0].result) for h, m in again.items()}

        lab.advance(30)
        views = nr.run(task=view, design=design, read_timeout=10)
        assert not views.failed, {h: repr(m[0].result) for h, m in views.items()}
        hub = views["hub1"][0].result
        assert isinstance(hub, HostView) and hub.view.reachable and len(hub.view.dmvpn or []) == 5
        lab.fault("refuse-login", "spoke2")
        try:
            refused = nr.filter(name="spoke2").run(task=view, design=design, read_timeout=10)["spoke2"][0]
        finally:
            lab.clear("spoke2")
        assert refused.failed and not refused.result.view.reachable
        assert "DEVICE_UNREACHABLE" in {f.code for f in refused.result.findings}
        print_result(views)
        shown = capsys.readouterr().out
        assert "HostView(hub1: reachable, 5 DMVPN peer(s), 0 finding(s))" in shown
        assert "Interface: Tunnel" not in shown  # a line per host, not raw outputs
        nr.close_connections()
