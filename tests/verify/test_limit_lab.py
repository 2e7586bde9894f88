"""``--limit`` and filtered Nornir objects on the emulator: outside the selection is "not selected", never
unreachable, and is never contacted (spoke3 refuses every login: asking it would be DEVICE_UNREACHABLE)."""
from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from nornir.core.filter import F

from dmvpn_ops.deploy import DeployOptions, deploy
from dmvpn_ops.intent import Design, load_design
from dmvpn_ops.intent.nornir import load_nornir
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.verify import verify
from tests.conftest import INVENTORY, inventory_with_ports

pytestmark = pytest.mark.lab
EXTRAS = {"conn_timeout": 10, "auth_timeout": 10, "banner_timeout": 10, "read_timeout_override": 10}


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Design, Lab, Path]]:
    design = load_design(INVENTORY)
    with Lab(design, ports="free") as lab:
        nr = load_nornir(INVENTORY, design, ports=lab.ports(), extras=EXTRAS)
        result = deploy(design, nr, DeployOptions(state_dir=Path(tempfile.mkdtemp()), timeout=10))
        assert result.ok, {n: h.status for n, h in result.hosts.items()}
        lab.advance(30)
        lab.fault("refuse-login", "spoke3")
        yield design, lab, inventory_with_ports(INVENTORY, tmp_path_factory.mktemp("inv") / "inv", lab.ports())


def test_cli_limit_asks_only_the_selected_hosts(cloud, cli) -> None:
    _, _, inventory = cloud
    out = cli("verify", "-i", str(inventory), "--mode", "full", "--format", "json", "--limit", "spokes,!spoke3")
    document = json.loads(out.out)
    asked = {name for name, h in document["hosts"].items() if h["collected"]}
    assert asked == {"spoke1", "spoke2", "spoke4"}, document["hosts"]
    assert {name for name, h in document["hosts"].items() if h["status"] == "not-selected"} == \
        {"hub1", "hub2", "spoke3"}
    assert "DEVICE_UNREACHABLE" not in {f["code"] for f in document["findings"]}
    assert out.code != 3 and document["summary"]["hosts_selected"] == 3
    assert "verify collect_task: 3/3 hosts done" in out.err  # what Nornir really ran


def test_the_excluded_host_would_have_been_unreachable(cloud, cli) -> None:
    """The control: without the exclusion the same run reaches spoke3 and is refused (exit 3)."""
    _, _, inventory = cloud
    out = cli("verify", "-i", str(inventory), "--mode", "full", "--format", "json", "--limit", "spokes")
    document = json.loads(out.out)
    assert out.code == 3 and document["hosts"]["spoke3"]["status"] == "unreachable"


def test_filtered_nornir_gives_no_device_unreachable(cloud) -> None:
    design, lab, _ = cloud
    nr = load_nornir(INVENTORY, design, ports=lab.ports(), extras=EXTRAS)
    result = verify(design, nr.filter(F(groups__contains="hubs")), mode="full", read_timeout=10)
    assert {n for n, s in result.hosts.items() if s.collected} == {"hub1", "hub2"}
    assert {s.status for n, s in result.hosts.items() if n.startswith("spoke")} == {"not-selected"}
    assert "DEVICE_UNREACHABLE" not in {f.code for f in result.findings} and result.exit_code != 3
    assert not result.unreachable


def test_unknown_limit_term_is_exit_2_naming_it(cloud, cli) -> None:
    _, _, inventory = cloud
    for verb in (["verify"], ["health", "--history", "/nonexistent-history-dir"]):
        out = cli(*verb, "-i", str(inventory), "--limit", "spokes,nosuch")
        assert out.code == 2 and "'nosuch'" in out.err and "Traceback" not in out.err
        assert "spoke1, spoke2" not in out.err


def test_health_limit(cloud, cli, tmp_path: Path) -> None:
    _, _, inventory = cloud
    out = cli("health", "-i", str(inventory), "--history", str(tmp_path / "h"), "--limit", "hub*", "--no-probe")
    assert out.code in (0, 1), out.out + out.err
    assert "health collect_task: 2/2 hosts done" in out.err
    assert "RECAP verify: ok=2 changed=0 unreachable=0" in out.out and "skipped=4" in out.out


def test_deploy_limit_takes_the_same_terms(cloud, cli, tmp_path: Path) -> None:
    design, lab, inventory = cloud
    out = cli("deploy", "-i", str(inventory), "--dry-run", "--format", "json", "--state-dir", str(tmp_path / "s"),
              "--limit", "hub*,spoke[12]")
    assert out.code == 0, out.out + out.err
    assert list(json.loads(out.out)["hosts"]) == ["hub1", "hub2", "spoke1", "spoke2"]
    bad = cli("deploy", "-i", str(inventory), "--dry-run", "--state-dir", str(tmp_path / "s"), "--limit", "spokez")
    assert bad.code == 2 and "'spokez'" in bad.err and "spokes" in bad.err  # the term, and a close match


def test_deploy_respects_a_filtered_nornir(cloud, tmp_path: Path) -> None:
    design, lab, _ = cloud
    nr = load_nornir(INVENTORY, design, ports=lab.ports(), extras=EXTRAS)
    result = deploy(design, nr.filter(F(groups__contains="hubs")),
                    DeployOptions(dry_run=True, state_dir=tmp_path / "s", timeout=10))
    assert list(result.hosts) == ["hub1", "hub2"] and result.exit_code == 0


def test_nothing_to_ask_is_bad_input_not_all_good(cloud, cli) -> None:
    _, _, inventory = cloud
    out = cli("verify", "-i", str(inventory), "--limit", "spokes")  # fast mode asks hubs only
    assert out.code == 2 and "--mode full" in out.err and "all good" not in out.out


def test_edges_outside_the_selection_are_left_out(cloud) -> None:
    design, lab, _ = cloud
    nr = load_nornir(INVENTORY, design, ports=lab.ports(), extras=EXTRAS)
    result = verify(design, nr.filter(name="spoke1"), mode="full", read_timeout=10)
    assert {(e.hub, e.spoke) for e in result.edges} == {("hub1", "spoke1"), ("hub2", "spoke1")}
    assert result.exit_code == 0 and result.summary()["edges_up"] == 2, [f.to_dict() for f in result.findings]
