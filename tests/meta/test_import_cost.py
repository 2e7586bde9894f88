"""Start-up cost: the light verbs never load the SSH and Nornir stacks (each check in a fresh interpreter)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("netmiko", "paramiko", "asyncssh", "nornir")

# Runs the CLI in-process in a fresh interpreter and prints which heavy top-level packages got imported.
_PROBE = """
import atexit, json, sys
heavy = {heavy!r}
atexit.register(lambda: print("LOADED=" + json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set(heavy)))))
{body}
"""


def _run(body: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _PROBE.format(heavy=HEAVY, body=body)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


def _loaded(body: str, tmp_path: Path, proc: subprocess.CompletedProcess[str] | None = None) -> list[str]:
    proc = proc or _run(body, tmp_path)
    line = [x for x in proc.stdout.splitlines() if x.startswith("LOADED=")]
    assert line, proc.stdout + proc.stderr
    loaded: list[str] = json.loads(line[-1].removeprefix("LOADED="))
    return loaded


def _cli(args: list[str]) -> str:
    return f"import sys\nfrom dmvpn_ops.cli import main\nsys.argv = ['dmvpn-ops', *{args!r}]\ntry:\n    main()\n" \
           "except SystemExit as exc:\n    print('EXIT=' + str(exc.code))\n"


def test_importing_the_cli_loads_no_ssh_or_nornir(tmp_path: Path) -> None:
    assert _loaded("import dmvpn_ops.cli", tmp_path) == []


def test_probe_would_see_a_heavy_import(tmp_path: Path) -> None:
    """The probe itself works: importing the deploy stage does load netmiko (else the other tests prove nothing)."""
    assert "netmiko" in _loaded("import dmvpn_ops.deploy", tmp_path)


@pytest.mark.parametrize("args", [
    ["--help"],
    ["--version"],
    ["lint", "-i", str(ROOT / "inventory")],
    ["lint", "--list"],
    ["render", "-i", str(ROOT / "inventory"), "--out", "configs"],
    ["parse", "show dmvpn", str(ROOT / "tests" / "fixtures" / "parse" / "show_dmvpn" / "ios124_hub_2.raw")],
    ["lint", "--help"],
], ids=lambda a: " ".join(a[:2]).replace(str(ROOT) + "/", ""))
def test_light_verbs_load_no_ssh_or_nornir(args: list[str], tmp_path: Path) -> None:
    proc = _run(_cli(args), tmp_path)
    assert "EXIT=0" in proc.stdout, proc.stdout[-2000:] + proc.stderr[-2000:]  # the verb really ran
    # Reading an intent goes through Nornir's inventory objects (issue 17: any inventory plugin), so a verb
    # given -i loads Nornir's core; never the SSH stacks, and verbs that read no intent load neither.
    allowed = {"nornir"} if "-i" in args else set()
    assert set(_loaded(_cli(args), tmp_path, proc)) <= allowed
