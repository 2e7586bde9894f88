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


def test_pasted_web_capture_parses(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`parse FILE` reads what operators paste: HTML entities, a Markdown fence, the echoed prompt."""
    paste = tmp_path / "ticket.txt"
    text = CAPTURE.read_text().replace("-->", "--&gt;").replace("\n        ", "\n\t")
    paste.write_text(f"Hub output below\n\n```\nhub1#show dmvpn\n{text}hub1#\n```\n")
    result = run("show dmvpn", str(paste))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["records"]) == 5


def test_pasted_garbage_names_its_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    paste = tmp_path / "ticket.txt"
    paste.write_text("hub1#show dmvpn\n" + CAPTURE.read_text().replace("Interface: Tunnel200", "lorem ipsum\nInterface: Tunnel200"))
    number = paste.read_text().split("\n").index("lorem ipsum") + 1
    result = run("show dmvpn", str(paste))
    assert result.returncode == 1 and f"line {number}" in result.stderr and "lorem ipsum" in result.stderr
