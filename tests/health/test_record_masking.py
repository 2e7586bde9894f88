"""Health records are masked field by field before serialization, never by running mask() over JSON text.

Over the JSON text a secret holding `"` or `\\` is escaped there and no longer found (it leaks), and a secret that
equals a number of the record replaces it (the file stops being JSON and the next run calls it HISTORY_CORRUPT).
"""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from dmvpn_ops import secrets
from dmvpn_ops.health.history import JsonDirHistory
from dmvpn_ops.schemas import load_schema
from dmvpn_ops.secrets import MASK, mask_data, register

JSON_SPECIAL = 'Ps"k\\9{x},]'  # printable ASCII, one token: IOS takes it as a PSK
PLAIN_WORD = "dmvpnkey"  # letters only: masked by position, never by value (secrets.register)


@pytest.fixture
def own_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Secrets this test registers stay in this test (the registry is process-wide)."""
    monkeypatch.setattr(secrets, "_known_values", set(secrets._known_values))


def test_mask_data_masks_strings_and_keys_never_numbers(own_secrets: None) -> None:
    register(JSON_SPECIAL)
    register("86400")
    data = {"message": f"psk {JSON_SPECIAL} ip nhrp authentication {PLAIN_WORD} on show dmvpn",
            JSON_SPECIAL: [JSON_SPECIAL, 86400, 1.5, True, None], "lifetime": 86400, "path": Path("/x/86400")}
    masked = mask_data(data)
    assert masked == {"message": f"psk {MASK} ip nhrp authentication {MASK} on show dmvpn",
                      MASK: [MASK, 86400, 1.5, True, None], "lifetime": 86400, "path": f"/x/{MASK}"}


def test_history_file_stays_json_and_holds_no_secret(tmp_path: Path, own_secrets: None) -> None:
    register(JSON_SPECIAL)
    register("86400")  # a secret that happens to equal a number of the record
    record = {"timestamp": 1000.0, "inventory": f"/inv/{JSON_SPECIAL}",
              "edges": [{"uptimes": {"ike": {"seconds": 86400, "lifetime": 86400}}}],
              "findings": [{"message": f"hub1: ip nhrp authentication {PLAIN_WORD} refused; psk {JSON_SPECIAL}"}]}
    store = JsonDirHistory(tmp_path)
    path = store.append(record)
    text = path.read_text()
    stored = json.loads(text)  # mask() over the text made this `"seconds": *****` (not JSON)
    assert stored["edges"][0]["uptimes"]["ike"] == {"seconds": 86400, "lifetime": 86400}
    assert stored["inventory"] == f"/inv/{MASK}"
    assert stored["findings"][0]["message"] == f"hub1: ip nhrp authentication {MASK} refused; psk {MASK}"
    assert JSON_SPECIAL not in text and json.dumps(JSON_SPECIAL)[1:-1] not in text  # neither raw nor escaped
    assert PLAIN_WORD not in text
    assert store.records() == [stored]


@pytest.mark.lab
def test_a_real_health_run_record_holds_no_json_special_secret(cloud, cli, tmp_path: Path,
                                                               own_secrets: None) -> None:
    """Over SSH into the emulator: a real run whose record carries a secret with JSON-special characters in a
    string field (the inventory path) writes valid, schema-valid JSON without the secret, raw or escaped, and
    the next run reads it back (no HISTORY_CORRUPT).

    (A digit-only secret equal to a number of the record, the SA lifetime `86400`, over the emulator:
    tests/verify/test_secret_equal_to_output.py; collect parses the device's text before masking it.)"""
    history = tmp_path / "history"
    register(JSON_SPECIAL)
    named = cloud.inventory_copy(tmp_path / f"inv-{JSON_SPECIAL}")  # reaches the record's `inventory` field
    runs = [cli("health", "-i", str(named), "--history", str(history), "--no-probe", "--timeout", "10",
                "--target", "devices") for _ in range(2)]
    assert runs[0].code == 0, runs[0].text
    # the 2nd run compares with the 1st (its SAs stalled in between: exit 1), which it could not read if not JSON
    assert "since " in runs[1].out and "First run" not in runs[1].out, runs[1].text
    assert "HISTORY_CORRUPT" not in runs[1].text and "could not be" not in runs[1].text
    files = sorted(history.glob("run-*.json"))
    assert len(files) == 2
    for path in files:
        text = path.read_text()
        record = json.loads(text)
        jsonschema.validate(record, load_schema("health-record"))
        assert record["inventory"].endswith(f"inv-{MASK}")
        assert JSON_SPECIAL not in text and json.dumps(JSON_SPECIAL)[1:-1] not in text  # neither raw nor escaped
