"""CI runs what the README tells a newcomer: the same test command, after the plain-wheel newcomer path."""
from __future__ import annotations

import re
import subprocess

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()
CI = (ROOT / ".ci" / "run").read_text()


def _quick_start_commands() -> list[str]:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", quick, re.S)]


def test_readme_has_the_two_newcomer_commands() -> None:
    demo, suite = _quick_start_commands()
    assert demo == "python3 -m pip install -e . && dmvpn-ops demo"
    assert suite.startswith("python3 -m pip install") and "'.[dev]'" in suite and "python3 -m pytest" in suite


def test_ci_runs_the_readme_commands_verbatim() -> None:
    demo, suite = _quick_start_commands()
    assert f'bash -c "{demo}"' in CI
    assert f'bash -c "{suite}"' in CI


def test_ci_starts_with_the_plain_wheel_newcomer_path() -> None:
    newcomer = CI.index("newcomer: build the wheel")
    assert newcomer < CI.index('check "README test command"')
    for step in ("pip wheel", "python3 -m venv", "pip check", "dmvpn-ops --version", "dmvpn-ops demo",
                 "dmvpn-ops init x && dmvpn-ops lint -i x", "ruff check", "mypy --strict dmvpn_ops"):
        assert step in CI, step
    assert "'.[dev]'" not in CI[:CI.index('check "README test command"')]  # the wheel goes in without extras


def test_ci_script_is_valid_bash() -> None:
    assert subprocess.run(["bash", "-n", str(ROOT / ".ci" / "run")], capture_output=True).returncode == 0
