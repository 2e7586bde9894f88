"""Verify fixtures: ``scenario(name, mode)`` evaluates saved outputs against the scenario's intent."""
from __future__ import annotations

import pytest

from dmvpn_ops.intent import load_design
from tests.verify.outputs import load_collections, scenario_inventory


@pytest.fixture
def scenario():
    """``scenario(name, mode="full", hosts=None, edit=None)`` -> (design, VerifyResult)."""
    from dmvpn_ops.verify import evaluate

    def run(name: str, mode: str = "full", hosts: list[str] | None = None,
            edit: dict[tuple[str, str], str] | None = None, previous=None):
        design = load_design(scenario_inventory(name))
        if hosts is None and mode == "fast":
            hosts = design.hub_names
        colls = load_collections(name, design, hosts, edit, full=mode == "full")
        return design, evaluate(design, colls, mode=mode, previous=previous)

    return run
