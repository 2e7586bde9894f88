"""Every JSON document dmvpn-ops prints or stores validates against the schema shipped in the package.

The documents come from the real commands: lint and parse through the CLI on every example and every
shared capture, verify on saved outputs and (lab tests) verify, deploy and health on the emulator.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from dmvpn_ops.intent import load_design
from dmvpn_ops.report.json import verify_json
from dmvpn_ops.schemas import SCHEMA_VERSION, SCHEMAS, load_schema, schema_text
from dmvpn_ops.verify import evaluate
from tests.conftest import EXAMPLES, INVENTORY, TEST_SECRETS
from tests.schemas import health_schema
from tests.verify.outputs import FIXTURES as VERIFY_FIXTURES
from tests.verify.outputs import load_collections, scenario_inventory

ROOT = Path(__file__).resolve().parents[2]
CAPTURES = ROOT / "tests" / "fixtures" / "parse"


def validate(kind: str, document: Any) -> None:
    """Fail with every schema error of ``document`` (not just the first)."""
    errors = sorted(Draft202012Validator(load_schema(kind)).iter_errors(document), key=lambda e: e.json_path)
    assert not errors, "\n".join(f"{e.json_path}: {e.message}" for e in errors[:20])


def test_every_schema_is_draft_2020_12_and_shipped() -> None:
    folder = ROOT / "dmvpn_ops" / "schemas"
    assert {p.name for p in folder.glob("*.schema.json")} == {f"{n}.schema.json" for n in SCHEMAS}
    for name in SCHEMAS:
        schema = load_schema(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"schemas/*.schema.json"' in pyproject  # package data: the wheel carries them


def test_schemas_reject_what_they_should() -> None:
    """A schema that accepts anything proves nothing: wrong version, missing head, bad record types."""
    good = {"schema_version": SCHEMA_VERSION, "command": "show dmvpn", "fields": "default",
            "records": [{"peer_nbma": "192.0.2.1", "ent": 1, "attributes": ["D"]}]}
    validate("parse", good)
    bad = [{**good, "schema_version": 2}, {k: v for k, v in good.items() if k != "schema_version"},
           {**good, "records": [{"ent": {"nested": 1}}]}, {**good, "fields": "genie"}]
    validator = Draft202012Validator(load_schema("parse"))
    assert all(not validator.is_valid(doc) for doc in bad)


def test_health_schema_is_the_model_schema() -> None:
    """The shipped file is generated from HealthRecord: regenerate with ``python -m tests.schemas.health_schema``."""
    assert schema_text("health-record") == health_schema.text()


def test_finding_shape_is_one_definition() -> None:
    assert load_schema("verify")["$defs"]["finding"] == load_schema("lint")["$defs"]["finding"]


def _lint_inventories() -> list[Path]:
    broken = sorted(p for p in (EXAMPLES / "broken").iterdir() if (p / "hosts.yaml").exists())
    return [INVENTORY, *sorted(p for p in EXAMPLES.iterdir() if (p / "hosts.yaml").exists()), *broken]


def test_lint_json_of_every_example_validates(cli) -> None:
    codes = set()
    for inventory in _lint_inventories():
        result = cli("lint", "-i", str(inventory), "--format", "json")
        assert result.code in (0, 1), (inventory, result.err)
        document = json.loads(result.out)
        validate("lint", document)
        assert list(document)[0] == "schema_version"
        assert document["summary"]["ok"] is (result.code == 0)
        assert document["summary"]["errors"] == sum(f["severity"] == "error" for f in document["findings"])
        codes |= {f["code"] for f in document["findings"]}
        assert not any(v in result.out for v in TEST_SECRETS.values())
    assert {"DMV101", "DMV204", "DMV601"} <= codes  # the broken examples did produce findings


def _captures() -> list[Path]:
    return sorted(p for p in CAPTURES.glob("*/*.raw"))


def test_parse_json_of_every_capture_validates(cli) -> None:
    parsed = 0
    for raw in _captures():
        command = raw.parent.name.replace("_", " ")
        result = cli("parse", command, str(raw))
        if result.code == 1:  # a capture kept to prove it is refused
            continue
        assert result.code == 0, (raw, result.err)
        document = json.loads(result.out)
        validate("parse", document)
        assert document["command"] == command and document["fields"] == "default"
        parsed += len(document["records"])
    assert parsed > 100


def test_parse_json_names_the_full_command(cli) -> None:
    result = cli("parse", "sh dmv", str(CAPTURES / "show_dmvpn" / "hub_nat_dual_cloud.raw"))
    document = json.loads(result.out)
    assert result.code == 0 and document["command"] == "show dmvpn" and len(document["records"]) == 5


@pytest.mark.parametrize("scenario", sorted(p.name for p in VERIFY_FIXTURES.iterdir() if (p / "README").exists()))
@pytest.mark.parametrize("mode", ["fast", "full"])
def test_verify_json_of_saved_scenarios_validates(scenario: str, mode: str) -> None:
    design = load_design(scenario_inventory(scenario))
    hosts = design.hub_names if mode == "fast" else None
    result = evaluate(design, load_collections(scenario, design, hosts, full=mode == "full"), mode=mode)
    document = json.loads(verify_json(result))
    validate("verify", document)
    assert list(document)[:4] == ["schema_version", "summary", "hosts", "findings"]
    assert document["summary"]["exit_code"] == result.exit_code


def test_deploy_schema_names_every_end_state() -> None:
    """A new end state or revert state must be added to the schema (and is a new schema_version if
    scripts could not read it); this test points at the place."""
    from dmvpn_ops.deploy.model import Revert, Status

    host = load_schema("deploy")["$defs"]["host"]["properties"]
    consts = [v for k, v in vars(Status).items() if k.isupper() and isinstance(v, str)]
    assert set(host["status"]["enum"]) == set(consts)
    assert set(host["revert"]["enum"]) == {v for k, v in vars(Revert).items() if k.isupper()}
