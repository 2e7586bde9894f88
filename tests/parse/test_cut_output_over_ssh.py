"""Output cut short on a real SSH session is an UNPARSEABLE_OUTPUT finding, never a peer reported down.

hub1 and hub2 are hostile SSH servers answering the demo's captures (tests/fixtures/verify/demo_clean,
from the emulator), except that hub1's `show dmvpn` stops early: at a line boundary (the last peer
row lost) or inside a row. verify must say hub1's output was cut, keep hub1's edges unknown (a lost
row is no evidence that a spoke is unregistered) and verify hub2 as usual.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.collect.test_trust import _inventory, _verify
from tests.support.fixtures import hostile_ssh  # noqa: F401 - fixture
from tests.support.hostile_ssh import Script

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "verify" / "demo_clean"


def _captures(host: str) -> dict[str, str]:
    return {path.stem.replace("_", " "): path.read_text() for path in (DEMO / host).glob("*.txt")}


def _cut_last_row(text: str) -> str:
    lines = text.rstrip("\n").split("\n")
    last_row = max(i for i, line in enumerate(lines) if line.startswith("     1 "))
    return "\n".join(lines[:last_row]) + "\n"


def _cut_inside_last_row(text: str) -> str:
    lines = text.rstrip("\n").split("\n")
    last_row = max(i for i, line in enumerate(lines) if line.startswith("     1 "))
    return "\n".join([*lines[:last_row], lines[last_row][:30]]) + "\n"


@pytest.mark.parametrize(("cut", "reason"), [
    (_cut_last_row, "announces NHRP Peers:4 but only 3 peer(s) follow"),
    (_cut_inside_last_row, "is not part of this command's output"),
], ids=["line-boundary", "inside-a-row"])
def test_cut_show_dmvpn_is_unparseable_and_no_peer_is_called_down(cli, tmp_path, hostile_ssh,  # noqa: F811
                                                                  cut, reason) -> None:
    hub1 = _captures("hub1")
    hub1["show dmvpn"] = cut(hub1["show dmvpn"])
    servers = {"hub1": hostile_ssh(Script(hostname="hub1", replies=hub1, allow_enable=False)),
               "hub2": hostile_ssh(Script(hostname="hub2", replies=_captures("hub2"), allow_enable=False))}
    result = _verify(cli, _inventory(tmp_path, servers), tmp_path / "state", "--host-keys", "off")
    document = json.loads(result.out)
    assert result.code == 1, result.text
    unparseable = [f for f in document["findings"] if f["code"] == "UNPARSEABLE_OUTPUT"]
    assert [(f["host"], f["expected"]) for f in unparseable] == [("hub1", "show dmvpn")]
    assert reason in unparseable[0]["message"]
    hub1_edges = {e["status"] for e in document["edges"] if e["hub"] == "hub1"}
    assert hub1_edges == {"unknown"}, document["edges"]
    assert document["hosts"]["hub2"]["reachable"] is True and document["hosts"]["hub2"]["collected"]
    assert not [f for f in document["findings"] if f["host"] == "hub1" and f["code"] != "UNPARSEABLE_OUTPUT"]
