"""On the emulator: deploy, verify and health documents from the real CLI validate against their schemas."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from dmvpn_ops.intent import load_design
from dmvpn_ops.lab.api import Lab
from tests.conftest import INVENTORY, TEST_SECRETS, inventory_with_ports
from tests.schemas.test_schemas import validate

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def demo_inventory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo cloud in a fresh lab; the inventory copy points at the lab's ports."""
    design = load_design(INVENTORY)
    with Lab(design, ports="free") as lab:
        yield inventory_with_ports(INVENTORY, tmp_path_factory.mktemp("inv") / "inventory", lab.ports())


def _json(result) -> dict:
    assert not any(v in result.out for v in TEST_SECRETS.values())
    document: dict = json.loads(result.out)
    assert list(document)[0] == "schema_version"
    return document


def test_deploy_verify_health_json_validate(demo_inventory: Path, tmp_path: Path, cli) -> None:
    inv, state = str(demo_inventory), str(tmp_path / "state")
    plan = cli("deploy", "-i", inv, "--dry-run", "--format", "json", "--state-dir", state)
    assert plan.code == 0, plan.err
    document = _json(plan)
    validate("deploy", document)
    assert document["summary"]["dry_run"] and all(h["lines"] > 0 for h in document["hosts"].values())

    pushed = cli("deploy", "-i", inv, "--format", "json", "--state-dir", state, "--confirm-timeout", "30")
    assert pushed.code == 0, pushed.out + pushed.err
    document = _json(pushed)
    validate("deploy", document)
    assert document["summary"]["lines_pushed"] > 0 and document["summary"].get("deployed") == 6

    for mode in ("fast", "full"):
        checked = cli("verify", "-i", inv, "--mode", mode, "--format", "json", "--probe", "--probe-pairs", "1")
        document = _json(checked)
        validate("verify", document)
        assert checked.code == document["summary"]["exit_code"]
        assert document["probes"], "the probe ran and is in the document"

    history = tmp_path / "history"
    health = cli("health", "-i", inv, "--history", str(history), "--probe-pairs", "1")
    assert health.code in (0, 1), health.out + health.err
    records = sorted(history.glob("run-*.json"))
    assert len(records) == 1
    record = json.loads(records[0].read_text())
    validate("health-record", record)
    assert record["schema_version"] == 1 and record["kind"] == "dmvpn-ops/health-record"
