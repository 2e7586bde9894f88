"""The top-level app: --version from the package metadata, shell completion, every verb loads and is listed."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import version

import pytest

from dmvpn_ops import __version__
from dmvpn_ops.cli import VERBS, load_verb
from tests.conftest import ROOT


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from dmvpn_ops.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


def test_version_is_the_package_metadata(cli) -> None:
    result = cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"dmvpn-ops {version('dmvpn-ops')}" == f"dmvpn-ops {__version__}"


def test_version_is_declared_once_in_pyproject() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    project = pyproject.split("[project]", 1)[1].split("\n[", 1)[0]
    assert re.findall(r'^version = "([^"]+)"$', project, re.M) == [__version__]
    assert "dynamic" not in project
    sources = [p for p in (ROOT / "dmvpn_ops").rglob("*.py") if f'"{__version__}"' in p.read_text()]
    assert sources == []  # no second copy of the version string in the code


def test_help_lists_every_verb(cli) -> None:
    result = cli("--help")
    assert result.code == 0
    for name in VERBS:
        assert f" {name} " in result.out, name


@pytest.mark.parametrize("name", sorted(VERBS))
def test_every_verb_loads_and_its_help_line_matches(name: str) -> None:
    """The one-line help in VERBS (shown without importing the verb) says what the verb's own help says."""
    command = load_verb(name)
    assert command.name == name
    own = (command.help or "").strip().splitlines()[0]
    assert own == VERBS[name][1], f"VERBS[{name!r}] in dmvpn_ops/cli/__init__.py must repeat the verb's help line"


def test_shell_completion_completes_verbs_and_subcommands() -> None:
    verbs = _run(env={"_DMVPN_OPS_COMPLETE": "complete_bash", "COMP_WORDS": "dmvpn-ops li", "COMP_CWORD": "1"})
    assert verbs.returncode == 0 and verbs.stdout.split() == ["lint"]
    lab = _run(env={"_DMVPN_OPS_COMPLETE": "complete_bash", "COMP_WORDS": "dmvpn-ops lab ", "COMP_CWORD": "2"})
    assert {"up", "down", "status", "fault", "clear", "clock"} <= set(lab.stdout.split())
    script = _run("--show-completion", "bash")
    assert script.returncode == 0 and "_DMVPN_OPS_COMPLETE" in script.stdout


def test_unknown_verb_is_a_usage_error(cli) -> None:
    result = cli("frobnicate")
    assert result.code == 2 and "frobnicate" in result.text
