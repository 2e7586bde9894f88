"""Deploy's JSON (audit.jsonl, `deploy --format json`) is masked field by field before serialization: a secret with
JSON-special characters is masked (over the JSON text it was escaped and leaked), one equal to a number keeps the
number (over the text it replaced it and broke the document)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dmvpn_ops import secrets
from dmvpn_ops.deploy import audit
from dmvpn_ops.deploy.model import DeployResult, HostDeploy, Status
from dmvpn_ops.report.deploy import deploy_json
from dmvpn_ops.secrets import MASK, register
from tests.schemas.test_schemas import validate

JSON_SPECIAL = 'Ps"k\\9{x},]'


@pytest.fixture(autouse=True)
def _own_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secrets, "_known_values", set(secrets._known_values))
    register(JSON_SPECIAL)
    register("1234")  # a digit secret that equals a count of the report


def _record() -> HostDeploy:
    return HostDeploy("spoke1", "spoke", status=Status.ROLLED_BACK, commands=["hostname spoke1"] * 1234, pushed=1234,
                      reason=f"device answered: bad value {JSON_SPECIAL}")


def test_audit_line_holds_no_json_special_secret(tmp_path: Path) -> None:
    path = audit.append(tmp_path, [audit.entry(_record(), run_id="r1", intent="sha256:x", interrupted=None)])
    text = path.read_text()
    assert JSON_SPECIAL not in text and json.dumps(JSON_SPECIAL)[1:-1] not in text
    (line,) = audit.read_entries(tmp_path)  # a line that is not JSON would be skipped: lost from the trail
    assert line["reason"] == f"device answered: bad value {MASK}"


def test_deploy_json_keeps_numbers_and_masks_strings() -> None:
    document = json.loads(deploy_json(DeployResult(hosts={"spoke1": _record()}, waves=[]), target="lab"))
    validate("deploy", document)
    host = document["hosts"]["spoke1"]
    assert host["pushed"] == 1234 and host["lines"] == 1234 and document["summary"]["lines_pushed"] == 1234
    assert host["reason"] == f"device answered: bad value {MASK}"
