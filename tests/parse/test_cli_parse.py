"""`dmvpn-ops parse` through the real entry point: JSON, table, exit codes 0/1/2."""
from __future__ import annotations

import json
import subprocess
import sys

from .conftest import FIXTURES

CAPTURE = FIXTURES / "show_dmvpn" / "hub_nat_dual_cloud.raw"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from dmvpn_ops.cli import main; main()", "parse", *args],
                          capture_output=True, text=True, timeout=60)


def test_json_output() -> None:
    result = run("sh dmvpn", str(CAPTURE))
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)["records"]
    assert len(records) == 5 and records[1]["attributes"] == ["DN"]


def test_table_output() -> None:
    result = run("show dmvpn", str(CAPTURE), "--format", "table")
    assert result.returncode == 0 and "5 records" in result.stdout


def test_missing_file_exit_2_names_file() -> None:
    result = run("show dmvpn", "/nonexistent/capture.raw")
    assert result.returncode == 2 and "/nonexistent/capture.raw" in result.stderr


def test_unparseable_exit_1_with_reason() -> None:
    result = run("show dmvpn", str(FIXTURES / "show_ip_nhrp" / "genieparser_iosxe_1.raw"))
    assert result.returncode == 1 and "not part of this command's output" in result.stderr
    assert "Traceback" not in result.stderr
