"""Read-only verify: a privilege-1 / parser-view account (``host>``, no enable) is enough; refusals are named.

The hubs are hostile SSH servers that only know user EXEC: they answer the demo's real captures
(tests/fixtures/verify/demo_clean, from the emulator) and refuse `enable`. verify must never need
`enable` nor `show running-config`.
"""
from __future__ import annotations

import json
from pathlib import Path

from tests.collect.test_trust import _inventory, _verify
from tests.support.fixtures import hostile_ssh  # noqa: F401 - fixture
from tests.support.hostile_ssh import AUTHZ_FAILED, Script

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "verify" / "demo_clean"


def _captures(host: str) -> dict[str, str]:
    return {path.stem.replace("_", " "): path.read_text() for path in (FIXTURES / host).glob("*.txt")}


def test_verify_with_a_privilege_1_account_never_enables(cli, tmp_path, hostile_ssh):  # noqa: F811
    servers = {h: hostile_ssh(Script(hostname=h, replies=_captures(h), allow_enable=False)) for h in ("hub1", "hub2")}
    result = _verify(cli, _inventory(tmp_path, servers), tmp_path / "state", "--host-keys", "off")
    assert result.code == 0, result.text
    for server in servers.values():
        sent = [c for c in server.commands if not c.startswith("terminal") and c != "exit"]  # exit: netmiko's logout
        assert sent and all(c.startswith("show ") for c in sent), sent   # no enable, no configure
        assert "show running-config" not in sent


def test_a_refused_command_is_named_with_the_parser_view_hint(cli, tmp_path, hostile_ssh):  # noqa: F811
    replies = {**_captures("hub1"), "show crypto ipsec sa": AUTHZ_FAILED}
    servers = {"hub1": hostile_ssh(Script(hostname="hub1", replies=replies, allow_enable=False)),
               "hub2": hostile_ssh(Script(hostname="hub2", replies=_captures("hub2"), allow_enable=False))}
    result = _verify(cli, _inventory(tmp_path, servers), tmp_path / "state", "--host-keys", "off")
    assert result.code == 1, result.text
    refused = [f for f in json.loads(result.out)["findings"] if f["code"] == "UNPARSEABLE_OUTPUT"]
    assert [(f["host"], f["expected"]) for f in refused] == [("hub1", "show crypto ipsec sa")]
    assert "refused the command (Command authorization failed.)" in refused[0]["message"]
    assert "parser view" in refused[0]["message"]


def test_ten_thousand_unknown_peers_on_a_spoke_is_one_finding_over_ssh(cli, tmp_path, hostile_ssh):  # noqa: F811
    """The whole demo as hostile servers answering the emulator's captures; spoke1 lists 10,000 rogue peers."""
    from tests.support.hostile_ssh import unknown_peers_dmvpn

    hosts = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
    replies = {h: _captures(h) for h in hosts}
    clean = replies["spoke1"]["show dmvpn"]
    interface = next(line.split()[1].rstrip(",") for line in clean.splitlines() if line.startswith("Interface:"))
    rows = [line for line in unknown_peers_dmvpn(10_000, interface=interface).splitlines() if line.startswith("     1 ")]
    replies["spoke1"]["show dmvpn"] = clean.rstrip("\n") + "\n" + "\n".join(rows) + "\n"
    servers = {h: hostile_ssh(Script(hostname=h, replies=replies[h], allow_enable=False)) for h in hosts}
    result = _verify(cli, _inventory(tmp_path, servers), tmp_path / "state", "--host-keys", "off",
                     "--mode", "full")
    document = json.loads(result.out)
    assert result.code == 1, result.text
    assert [(f["code"], f["host"]) for f in document["findings"]] == [("UNKNOWN_PEER", "spoke1")]
    assert document["findings"][0]["observed"]["count"] == 10_000
    assert all(document["hosts"][h]["reachable"] for h in hosts)
