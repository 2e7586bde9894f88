"""House rules for parser templates: every template has a golden case, names are UPPER, ends with Error."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import textfsm

import dmvpn_ops.parse
from dmvpn_ops.parse.commands import COMMANDS

TEMPLATES = sorted((Path(dmvpn_ops.parse.__file__).parent / "templates").glob("*.textfsm"))
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parse"


def test_templates_exist() -> None:
    assert len(TEMPLATES) >= 11


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_template_is_used_and_has_golden_case(template: Path) -> None:
    users = [spec for spec in COMMANDS if spec.template == template.name]
    assert users, f"{template.name} is not in the command table"
    assert template.stem == "cisco_ios_" + users[0].name.replace(" ", "_"), "ntc-style name"
    cases = [raw for spec in users for raw in (FIXTURES / spec.name.replace(" ", "_")).glob("*.raw")]
    assert cases, f"{template.name} has no golden case"
    assert all(raw.with_suffix(".json").exists() for raw in cases)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_value_names_are_upper_snake(template: Path) -> None:
    fsm = textfsm.TextFSM(io.StringIO(template.read_text()))
    for name in fsm.header:
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", name), name


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_every_state_ends_with_error(template: Path) -> None:
    fsm = textfsm.TextFSM(io.StringIO(template.read_text()))
    for state, rules in fsm.states.items():
        if state == "EOF":
            continue
        assert rules, f"state {state} is empty"
        last = rules[-1]
        assert last.match.strip() == "^." and last.line_op == "Error", f"state {state} lacks `^. -> Error`"


def test_templates_are_package_data() -> None:
    import tomllib
    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    assert "**/*.textfsm" in pyproject["tool"]["setuptools"]["package-data"]["dmvpn_ops"]
