"""Shared fixtures for parser tests: the golden cases under tests/fixtures/parse/."""
from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parse"


def golden_cases() -> list[tuple[str, Path]]:
    """(command, raw file) for every capture; the directory names the command."""
    return [(raw.parent.name.replace("_", " "), raw)
            for raw in sorted(FIXTURES.glob("*/*.raw"))]
