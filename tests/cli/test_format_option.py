"""``--format``: one check (``cli._common.check_format``) and one message on every verb that has the option."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import INVENTORY

VERBS = [
    (["lint", "-i", str(INVENTORY)], "table or json"),
    (["deploy", "--dry-run", "-i", str(INVENTORY), "--state-dir", "{state}"], "table or json"),
    (["rollback", "--host", "hub1", "--dry-run", "-i", str(INVENTORY), "--state-dir", "{state}"], "table or json"),
    (["audit", "--state-dir", "{state}"], "table or json"),
    (["verify", "-i", str(INVENTORY), "--state-dir", "{state}"], "table, json, junit or prom"),
]


@pytest.mark.parametrize(("verb", "choices"), VERBS, ids=[v[0][0] for v in VERBS])
def test_an_unknown_format_is_exit_2_with_the_same_message(verb: list[str], choices: str, tmp_path: Path,
                                                           cli: Any) -> None:
    """Checked before any file is read or any device asked: the state dir stays empty."""
    state = tmp_path / "state"
    result = cli(*(arg.format(state=state) for arg in verb), "--format", "yaml")
    assert result.code == 2, result.text
    message = " ".join(result.err.split())
    assert f"--format must be {choices}, not 'yaml'" in message
    assert "Traceback" not in result.text
    assert not state.exists()
