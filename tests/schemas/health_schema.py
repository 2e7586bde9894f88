"""The health-record schema is generated from the pydantic model; run this module to regenerate it.

``python -m tests.schemas.health_schema`` rewrites dmvpn_ops/schemas/health-record.schema.json.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dmvpn_ops.health.record import HealthRecord

TARGET = Path(__file__).resolve().parents[2] / "dmvpn_ops" / "schemas" / "health-record.schema.json"


def generated() -> dict[str, Any]:
    """HealthRecord's JSON Schema as stored: every field a record always carries is required."""
    schema = HealthRecord.model_json_schema(mode="serialization")
    schema["required"] = list(schema["properties"])  # model_dump writes every field
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://dmvpn-ops.invalid/schemas/health-record.schema.json", **schema}


def text() -> str:
    return json.dumps(generated(), indent=2, sort_keys=False) + "\n"


if __name__ == "__main__":
    TARGET.write_text(text(), encoding="utf-8")
    print(f"wrote {TARGET}")
