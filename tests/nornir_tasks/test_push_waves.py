"""push over ``nr.run`` with deploy's safety, on the emulator: render's read-only diff against the running
config, the hubs-first rollout as Nornir Results (push_waves), a real re-push that sends nothing, a failing
spoke gate rolled back to exactly the backup, spokes refused (not pushed) when their hubs failed, and the same
over SimpleInventory and nornir-ansible's AnsibleInventory configs with a core switch nobody contacts."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from nornir.core.filter import F
from nornir.core.task import MultiResult
from nornir_utils.plugins.functions import print_result

from dmvpn_ops.deploy import DeployOptions, Status
from dmvpn_ops.deploy.rollback import same_config
from dmvpn_ops.intent import Design, IntentSource, load_design
from dmvpn_ops.intent.nornir import load_nornir
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.nornir_tasks import HostPush, RenderedConfig, push, push_waves, render, waves
from tests.conftest import INVENTORY, TEST_SECRETS
from tests.intent.test_nornir_inventories import Listener, _config

pytestmark = pytest.mark.lab
EXTRAS = {"conn_timeout": 10, "auth_timeout": 10, "banner_timeout": 10}
SPOKES = ("spoke1", "spoke2", "spoke3", "spoke4")


@pytest.fixture
def lab() -> Iterator[tuple[Design, Lab]]:
    design = load_design(INVENTORY)
    with Lab(design, ports="free") as running:
        yield design, running


def _options(tmp_path: Path, **kw: Any) -> DeployOptions:
    return DeployOptions(state_dir=tmp_path / "state", timeout=10, confirm_timeout=kw.pop("confirm_timeout", 30),
                         **kw)


def _states(results: Any) -> dict[str, str]:
    return {h: m[0].result.record.status for h, m in results.items()}


def _clean(text: str) -> bool:
    return not any(v in text for v in TEST_SECRETS.values())


def test_render_compare_then_push_waves_then_a_re_push_sends_nothing(lab, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    design, running = lab
    options = _options(tmp_path)
    nr = load_nornir(INVENTORY, design, ports=running.ports(), extras=EXTRAS)
    before = {h: running.running_config(h) for h in design.hosts}

    compared = nr.run(task=render, design=design, compare="running", options=options)
    assert not compared.failed, {h: repr(m[0].result) for h, m in compared.items()}
    for multi in compared.values():
        result = multi[0]
        assert isinstance(result.result, RenderedConfig) and result.changed is False
        assert result.result.running is not None and result.result.running.status == Status.PLANNED
        assert "+interface Tunnel100" in result.diff and "*****" in result.diff and _clean(result.diff)
    assert {h: running.running_config(h) for h in design.hosts} == before  # read-only
    print_result(compared)
    shown = capsys.readouterr().out
    assert "RenderedConfig(spoke1:" in shown and "vs running config: planned (" in shown and _clean(shown)

    running.fault("refuse-login", "spoke2")
    try:
        refused = nr.filter(name="spoke2").run(task=render, design=design, compare="running", options=options)
    finally:
        running.clear("spoke2")
    assert refused["spoke2"][0].failed and refused["spoke2"][0].diff == ""
    assert "vs running config: unreachable: login refused" in repr(refused["spoke2"][0].result)
    # push_waves (deploy) still takes spoke2, which Nornir now lists in failed_hosts

    out = tmp_path / "configs"
    dry = nr.run(task=render, design=design, out_dir=out, dry_run=True)
    assert all(m[0].changed and m[0].diff.startswith("---") and not m[0].result.written for m in dry.values())
    assert not out.exists()  # a dry run writes nothing
    assert "dry run: not written to" in repr(dry["hub1"][0].result)

    rollout = push_waves(nr, design, options)
    assert rollout.exit_code == 0 and not rollout.failed, {h: repr(m[0].result) for h, m in rollout.items()}
    assert [w.kind for w in rollout.outcome.waves] == ["hubs", "hubs", "canary", "batch"]
    assert set(_states(rollout).values()) == {Status.DEPLOYED}
    assert all(m[0].changed and "interface Tunnel100" in m[0].diff for m in rollout.values())
    print_result(rollout)
    shown = capsys.readouterr().out
    assert "push_waves*" in shown
    assert "HostPush(spoke4: deployed" in shown and "push ** changed : True" in shown and _clean(shown)

    again = nr.run(task=push, design=design, options=options, on_failed=True)  # a real push, not a dry run
    assert set(again) == set(design.hosts) and not again.failed
    for multi in again.values():
        record = multi[0].result.record
        assert multi[0].changed is False and multi[0].diff == "" and record.status == Status.UNCHANGED
        assert record.pushed == 0 and record.commands == []
    after = nr.run(task=render, design=design, compare="running", options=options)
    assert all(m[0].diff == "" and m[0].result.running.status == Status.UNCHANGED for m in after.values())
    nr.close_connections()


def test_a_failing_spoke_gate_rolls_back_to_exactly_the_backup(lab, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    design, running = lab
    options = _options(tmp_path, confirm_timeout=5)
    nr = load_nornir(INVENTORY, design, ports=running.ports(), extras=EXTRAS)
    hubs = nr.filter(F(groups__contains="hubs")).run(task=push, design=design, options=options)
    assert set(_states(hubs).values()) == {Status.DEPLOYED}, {h: repr(m[0].result) for h, m in hubs.items()}
    before = running.running_config("spoke1")
    running.fault("wrong-psk", "spoke1")  # IKE fails: spoke1's NHS never answers
    result = nr.filter(name="spoke1").run(task=push, design=design, options=options, hubs=hubs)["spoke1"][0]
    record = result.result.record
    assert result.failed and result.changed is False
    assert record.status == "rolled-back", (record.status, record.reason)
    assert "DMVPN gate failed after 5s" in (record.reason or "") and "no NHS responding" in (record.reason or "")
    assert record.pushed == len(record.commands) > 0  # it was pushed, then taken back
    assert record.backup is not None and same_config(running.running_config("spoke1"), record.backup.read_text())
    assert same_config(running.running_config("spoke1"), before)
    assert "equals backup" in (record.rollback or "")
    print_result(result)
    shown = capsys.readouterr().out
    assert "HostPush(spoke1: rolled-back" in shown and "DMVPN gate failed" in shown and _clean(shown)

    running.clear("spoke1")
    retry = nr.filter(name="spoke1")
    assert "spoke1" in nr.data.failed_hosts  # Nornir skips a failed host unless asked (on_failed=True)
    fixed = retry.run(task=push, design=design, options=options, hubs=hubs, on_failed=True)["spoke1"][0]
    assert fixed.changed and fixed.result.record.status == Status.DEPLOYED, repr(fixed.result)
    nr.close_connections()


def test_push_with_the_hub_results_asks_the_hubs_in_the_gate(lab, tmp_path: Path) -> None:
    """hub1 down after the hub wave: a spoke pushed alone passes on its own view (hub2 answers its NHS); with
    ``hubs=`` the gate also asks hub1, which does not list it, so it goes back to exactly its backup."""
    design, running = lab
    options = _options(tmp_path, confirm_timeout=5)
    nr = load_nornir(INVENTORY, design, ports=running.ports(), extras=EXTRAS)
    hubs = nr.filter(F(groups__contains="hubs")).run(task=push, design=design, options=options)
    assert set(_states(hubs).values()) == {Status.DEPLOYED}, {h: repr(m[0].result) for h, m in hubs.items()}
    running.fault("hub-down", "hub1")
    alone = nr.filter(name="spoke1").run(task=push, design=design, options=options)["spoke1"][0]
    assert alone.result.record.status == Status.DEPLOYED, repr(alone.result)
    before = running.running_config("spoke2")
    asked = nr.filter(name="spoke2").run(task=push, design=design, options=options, hubs=hubs)["spoke2"][0]
    record = asked.result.record
    assert record.status == "rolled-back" and asked.failed, repr(asked.result)
    assert record.reason == "DMVPN gate failed after 5s: hub1 does not list 172.16.100.12 UP on Tunnel100"
    assert record.backup is not None and same_config(running.running_config("spoke2"), record.backup.read_text())
    assert same_config(running.running_config("spoke2"), before)
    nr.close_connections()


def test_spokes_are_refused_when_their_hubs_failed(lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    design, running = lab
    options = _options(tmp_path)
    nr = load_nornir(INVENTORY, design, ports=running.ports(), extras=EXTRAS)
    before = {h: running.running_config(h) for h in design.hosts}
    for hub in ("hub1", "hub2"):
        running.fault("refuse-login", hub)

    done: dict[str, MultiResult] = {}
    ran: list[str] = []
    for wave, wave_nr in waves(nr, design):
        results = wave_nr.run(task=push, design=design, options=options, hubs=done)
        done.update(results)
        ran.append(wave.name)
        if wave.stops_rollout and results.failed:
            break
    assert ran == ["hubs 1", "hubs 2", "canary"]
    assert _states(done) == {"hub1": Status.UNREACHABLE, "hub2": Status.UNREACHABLE, "spoke1": Status.SKIPPED}
    canary = done["spoke1"][0]
    assert canary.failed and not canary.changed and canary.result.record.pushed == 0
    assert canary.result.record.reason == "every hub of DMVPN1 failed (hub1, hub2); spoke left untouched"

    spokes = nr.filter(F(groups__contains="spokes")).run(task=push, design=design, options=options, hubs=done,
                                                         on_failed=True)
    assert _states(spokes) == dict.fromkeys(SPOKES, Status.SKIPPED)
    print_result(spokes)
    shown = capsys.readouterr().out
    assert "HostPush(spoke3: skipped, 0 line(s): every hub of DMVPN1 failed (hub1, hub2)" in shown

    whole = push_waves(nr, design, options)  # the same refusal inside the full rollout (failed hosts included)
    assert whole.exit_code == 3
    assert {h: whole[h][0].result.record.status for h in SPOKES} == dict.fromkeys(SPOKES, Status.SKIPPED)
    assert "every hub of DMVPN1 failed" in (whole.outcome.hosts["spoke2"].reason or "")
    assert {h: running.running_config(h) for h in design.hosts} == before  # nothing was sent anywhere
    nr.close_connections()


def test_push_waves_gate_asks_the_hubs_and_a_failed_canary_stops_the_rollout(lab, tmp_path: Path) -> None:
    """hub1 goes down once the hubs are deployed: spoke1's NHS (hub2) answers, but hub1 of this run does not
    list it, so the canary is rolled back to its backup and the batch is never touched."""
    design, running = lab
    nr = load_nornir(INVENTORY, design, ports=running.ports(), extras=EXTRAS)
    before = {h: running.running_config(h) for h in SPOKES}

    def on_event(stage: str, host: str) -> None:
        if (stage, host) == ("push", "spoke1"):
            running.fault("hub-down", "hub1")

    rollout = push_waves(nr, design, _options(tmp_path, confirm_timeout=5, on_event=on_event))
    assert _states(rollout) == {"hub1": Status.DEPLOYED, "hub2": Status.DEPLOYED, "spoke1": "rolled-back",
                                "spoke2": Status.SKIPPED, "spoke3": Status.SKIPPED, "spoke4": Status.SKIPPED}
    canary = rollout.outcome.hosts["spoke1"]
    assert canary.reason == "DMVPN gate failed after 5s: hub1 does not list 172.16.100.11 UP on Tunnel100"
    assert canary.backup is not None and same_config(running.running_config("spoke1"), canary.backup.read_text())
    assert rollout.outcome.hosts["spoke2"].reason == "rollout stopped: canary failed"
    assert all(running.running_config(h) == before[h] for h in SPOKES[1:])  # the skipped batch got nothing
    assert rollout.exit_code == 1 and rollout.failed
    nr.close_connections()


@pytest.fixture
def core() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.sock.close()


@pytest.mark.parametrize("kind", ["simple", "ansible-yaml"])
def test_push_over_any_inventory_plugin(kind: str, lab, tmp_path: Path, core: Listener) -> None:
    """A Nornir config (SimpleInventory, nornir-ansible) with a core switch: dry run, rollout, re-push."""
    demo, running = lab
    source = IntentSource(nornir_config=_config(kind, tmp_path / "inv", running.ports(), core.port))
    design = source.design()
    nr = source.nornir(design, extras=EXTRAS)
    assert "core1" not in design.hosts and "core1" not in nr.inventory.hosts  # the core switch is left alone
    options = _options(tmp_path)

    planned = nr.run(task=push, design=design, dry_run=True, options=options)
    assert set(planned) == set(demo.hosts) and not planned.failed
    assert all(m[0].changed and m[0].result.dry_run and "interface Tunnel100" in m[0].diff for m in planned.values())
    assert isinstance(planned["hub1"][0].result, HostPush)

    rollout = push_waves(nr, design, options)
    assert rollout.exit_code == 0, {h: repr(m[0].result) for h, m in rollout.items()}
    assert "core1" not in rollout and set(_states(rollout).values()) == {Status.DEPLOYED}
    again = nr.run(task=push, design=design, options=options)
    assert not again.failed and not any(m[0].changed for m in again.values())
    assert {m[0].result.record.pushed for m in again.values()} == {0}
    nr.close_connections()
    assert core.connections() == 0
