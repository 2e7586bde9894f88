"""The deployed demo lab fixture of the health tests, shared by the playbook tests."""
from __future__ import annotations

from tests.health.conftest import cloud  # noqa: F401  (module-scoped lab fixture)
