"""Shared fixtures for the clab tests: the example inventories and the vendored containerlab schema."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "clab"
EXAMPLES = [ROOT / "inventory"] + sorted(
    p for p in (ROOT / "inventory" / "examples").iterdir() if p.is_dir() and p.name != "broken")


@pytest.fixture(scope="session")
def clab_schema() -> dict:
    return json.loads((FIXTURES / "clab.schema.json").read_text(encoding="utf-8"))
