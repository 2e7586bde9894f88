"""Probes read device output as collect does: control bytes stripped, size capped, before parsing.

The demo as hostile SSH servers answering the emulator's captures; spoke1 colours its ``show dmvpn`` with
ANSI escapes (a device whose exec banner or terminal settings add them). collect strips them and parses
the table; the probe session, which parses ``show dmvpn`` again, must read the same table, not call it
unparseable. An answer too large to trust is a probe error naming the cause, never parsed.
"""
from __future__ import annotations

import json
from pathlib import Path

from tests.collect.test_read_only import FIXTURES, _captures
from tests.collect.test_trust import _inventory, _verify
from tests.support.fixtures import hostile_ssh  # noqa: F401 - fixture
from tests.support.hostile_ssh import Script, huge_line

RED, RESET = "\x1b[31m", "\x1b[0m"


def _servers(hostile_ssh, spoke1_dmvpn) -> dict:  # noqa: F811
    hosts = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
    replies = {h: _captures(h) for h in hosts}
    replies["spoke1"]["show dmvpn"] = spoke1_dmvpn(replies["spoke1"]["show dmvpn"])
    return {h: hostile_ssh(Script(hostname=h, replies=replies[h], allow_enable=False)) for h in hosts}


def _probes(cli, tmp_path: Path, servers) -> list[dict]:
    result = _verify(cli, _inventory(tmp_path, servers), tmp_path / "state", "--host-keys", "off",
                     "--mode", "full", "--probe", "--probe-pairs", "1")
    return [p for p in json.loads(result.out)["probes"] if "spoke1" in (p["source"], p["target"])]


def _coloured(text: str) -> str:
    return "\n".join(f"{RED}{line}{RESET}" if line.strip() else line for line in text.splitlines()) + "\n"


def test_ansi_coloured_show_dmvpn_is_read_by_the_probe(cli, tmp_path, hostile_ssh) -> None:  # noqa: F811
    probes = _probes(cli, tmp_path, _servers(hostile_ssh, _coloured))
    assert probes, "no probe involved spoke1"
    for probe in probes:
        assert not (probe["error"] or "").startswith("unparseable output"), probe


def test_a_huge_answer_is_a_probe_error_not_parsed(cli, tmp_path, hostile_ssh) -> None:  # noqa: F811
    probes = _probes(cli, tmp_path, _servers(hostile_ssh, lambda text: text + huge_line() + "\n"))
    assert probes and all("too large" in (p["error"] or "") for p in probes if p["source"] == "spoke1"), probes
