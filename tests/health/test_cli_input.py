"""`dmvpn-ops health` bad input: exit 2 with one paragraph, before any device is asked."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import INVENTORY


def test_history_is_required(cli) -> None:
    result = cli("health", "-i", str(INVENTORY))
    assert result.code == 2 and "--history" in result.text


def test_history_that_is_a_file_is_refused(cli, tmp_path: Path) -> None:
    target = tmp_path / "history"
    target.write_text("not a directory")
    result = cli("health", "-i", str(INVENTORY), "--history", str(target))
    assert result.code == 2 and str(target) in result.err and "Traceback" not in result.text


def test_unknown_mode_is_refused(cli, tmp_path: Path) -> None:
    result = cli("health", "-i", str(INVENTORY), "--history", str(tmp_path / "h"), "--mode", "slow")
    assert result.code == 2 and "--mode" in result.err
