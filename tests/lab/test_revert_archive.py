"""Rollback Confirmed Change needs the archive feature: `configure terminal revert timer` without an archive path."""
from __future__ import annotations

from typing import Any

import pytest

from dmvpn_ops.lab.api import Lab, _sync
from dmvpn_ops.lab.session import Session

pytestmark = pytest.mark.lab  # every test here starts the lab emulator

REFUSAL = "%Turn config archive on before using Rollback Confirmed Change"


def cli(lab: Lab, host: str, *lines: str) -> tuple[list[str], bool]:
    """Type ``lines`` into one privileged session of ``host``; the answers and whether it ends in config mode."""
    def go() -> tuple[list[str], bool]:
        s = Session(lab.core, lab.core.routers[host], "admin", "test")
        s.privileged = True
        return [s.handle(line).text for line in lines], s.editor is not None
    return lab._call(_sync(go))  # type: ignore[no-any-return]


def test_bootstrap_carries_the_archive_path(lab: Lab) -> None:
    out, _ = cli(lab, "spoke1", "show archive")
    assert "Archive feature not enabled" not in out[0]
    assert "flash:archive-1" in out[0], out[0]


def test_revert_timer_with_archive_is_accepted(lab: Lab) -> None:
    out, in_config = cli(lab, "spoke1", "configure terminal revert timer 5")
    assert REFUSAL not in out[0]
    assert in_config
    assert lab.core.routers["spoke1"].revert is not None


def test_revert_timer_without_archive_is_refused_in_exec_mode(lab: Lab) -> None:
    out, in_config = cli(lab, "spoke2", "configure terminal", "no archive", "end",
                         "show archive", "configure terminal revert timer 5")
    assert out[3].strip() == "Archive feature not enabled"
    assert out[4].strip() == REFUSAL
    assert not in_config
    assert lab.core.routers["spoke2"].revert is None


def test_revert_timer_with_archive_but_no_path_is_refused(lab: Lab) -> None:
    out, in_config = cli(lab, "hub1", "configure terminal", "archive", "no path flash:archive", "end",
                         "configure terminal revert timer 5")
    assert out[-1].strip() == REFUSAL
    assert not in_config


def test_refusal_over_ssh_with_netmiko(lab: Lab, connect: Any) -> None:
    lab.configure("spoke3", "no archive")
    conn = connect("spoke3")
    out = conn.send_command_timing("configure terminal revert timer 5")
    assert REFUSAL in out
    assert conn.find_prompt().endswith("#") and "(config" not in conn.find_prompt()
