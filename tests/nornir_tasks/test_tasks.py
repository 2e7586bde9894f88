"""The public Nornir tasks on the emulator: Results with changed/diff/failed and typed results that
nornir_utils' print_result shows one line per host."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nornir.core.filter import F
from nornir_utils.plugins.functions import print_result

from dmvpn_ops.collect.collect import HostCollection
from dmvpn_ops.intent import Design, load_design
from dmvpn_ops.intent.nornir import load_nornir
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.nornir_tasks import RenderedConfig, collect, render
from tests.conftest import INVENTORY, TEST_SECRETS

pytestmark = pytest.mark.lab
EXTRAS = {"conn_timeout": 10, "auth_timeout": 10, "banner_timeout": 10, "read_timeout_override": 10}


@pytest.fixture(scope="module")
def lab() -> Iterator[tuple[Design, Lab]]:
    design = load_design(INVENTORY)
    with Lab(design, ports="free") as running:
        yield design, running


def test_render_changed_and_diff_then_idempotent(lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    design, running = lab
    nr = load_nornir(INVENTORY, design, ports=running.ports())
    first = nr.run(task=render, design=design, out_dir=tmp_path)
    assert set(first) == set(design.hosts) and not first.failed
    for name, multi in first.items():
        result = multi[0]
        assert result.changed and result.diff.startswith("---") and isinstance(result.result, RenderedConfig)
        assert (tmp_path / f"{name}.cfg").read_text() == result.result.config
        assert "*****" in result.diff and not any(v in result.diff for v in TEST_SECRETS.values())
    print_result(first)
    shown = capsys.readouterr().out
    assert "render ** changed : True" in shown and "RenderedConfig(hub1:" in shown
    assert not any(v in shown for v in TEST_SECRETS.values())

    again = nr.run(task=render, design=design, out_dir=tmp_path)
    assert all(not m[0].changed and m[0].diff == "" for m in again.values())
    offline = nr.run(task=render, design=design)["spoke1"][0]
    assert offline.changed is False and offline.result.path is None and offline.result.lines > 20


def test_collect_results_and_print_result(lab, capsys: pytest.CaptureFixture[str]) -> None:
    design, running = lab
    running.fault("refuse-login", "spoke2")
    try:
        nr = load_nornir(INVENTORY, design, ports=running.ports(), extras=EXTRAS)
        agg = nr.filter(F(groups__contains="hubs") | F(name="spoke2")).run(task=collect, design=design,
                                                                          read_timeout=10)
        nr.close_connections()
    finally:
        running.clear("spoke2")
    hub = agg["hub1"][0]
    assert isinstance(hub.result, HostCollection) and not hub.failed and hub.changed is False
    assert hub.result.get("show dmvpn") is not None and len(hub.result.outputs) == len(hub.result.commands)
    refused = agg["spoke2"][0]
    assert refused.failed and refused.result.error_kind == "auth"
    print_result(agg)
    shown = capsys.readouterr().out
    assert "HostCollection(hub1:" in shown and "records, ok" in shown
    assert "HostCollection(spoke2: 0/" in shown and "error (auth)" in shown
    assert "Interface: Tunnel" not in shown  # a line per host, not the raw outputs
