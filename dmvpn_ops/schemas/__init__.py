"""JSON Schemas (draft 2020-12) of every JSON document dmvpn-ops prints or stores, and their version.

Scripts rely on the shapes of ``verify``/``deploy``/``lint``/``parse --format json`` and of the health
record; each document carries ``schema_version`` and the schema it follows ships here as package data, so
a consumer can validate what it reads (``jsonschema.validate(doc, load_schema("verify"))``) and a change
of shape is a new version, not a surprise.
"""
from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ["SCHEMA_VERSION", "SCHEMAS", "load_schema", "schema_text"]

SCHEMA_VERSION = 1
"""Version of the printed documents (verify, deploy, lint, parse); bump it when a shape changes."""

SCHEMAS = ("verify", "deploy", "lint", "parse", "health-record")


def schema_text(name: str) -> str:
    """The raw text of ``<name>.schema.json`` (one of SCHEMAS)."""
    if name not in SCHEMAS:
        raise KeyError(f"no schema {name!r}; known: {', '.join(SCHEMAS)}")
    return resources.files("dmvpn_ops.schemas").joinpath(f"{name}.schema.json").read_text(encoding="utf-8")


def load_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one document kind, as a dict ready for ``jsonschema``."""
    schema: dict[str, Any] = json.loads(schema_text(name))
    return schema
