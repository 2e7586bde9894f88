"""Confirmed commit: `configure terminal revert timer`, `configure revert now|timer`, replace cancels it."""
from __future__ import annotations

from typing import Any

import pytest

from dmvpn_ops.lab.api import Lab, _sync
from dmvpn_ops.lab.session import Session

pytestmark = pytest.mark.lab  # every test here starts the lab emulator


def cli(lab: Lab, host: str, *lines: str) -> list[str]:
    """Type ``lines`` into one privileged session of ``host`` (on the lab's loop)."""
    def go() -> list[str]:
        s = Session(lab.core, lab.core.routers[host], "admin", "test")
        s.privileged = True
        return [s.handle(line).text for line in lines]
    return list(lab._call(_sync(go)))


def hostname(lab: Lab, host: str) -> str:
    return next(ln for ln in lab.running_config(host).splitlines() if ln.startswith("hostname "))


def test_configure_replace_force_cancels_a_pending_revert(lab: Lab) -> None:
    cli(lab, "spoke1", "copy running-config flash:base.cfg", "",
        "configure terminal revert timer 5", "hostname trial", "end",
        "configure replace flash:base.cfg force",
        "configure terminal", "hostname after-replace", "end")
    assert lab.core.routers["spoke1"].revert is None
    lab.advance(600)
    assert hostname(lab, "spoke1") == "hostname after-replace"


def test_configure_revert_now(lab: Lab) -> None:
    out = cli(lab, "spoke2", "configure terminal revert timer 5", "hostname trial", "end", "configure revert now")
    assert not any("%" in text for text in out), out
    assert hostname(lab, "spoke2") == "hostname spoke2"


def test_configure_revert_timer_moves_the_deadline(lab: Lab) -> None:
    cli(lab, "spoke2", "configure terminal revert timer 1", "hostname trial", "end", "configure revert timer 10")
    lab.advance(120)
    assert hostname(lab, "spoke2") == "hostname trial"
    lab.advance(600)
    assert hostname(lab, "spoke2") == "hostname spoke2"


def test_revert_without_pending_change_says_so(lab: Lab) -> None:
    assert "No Rollback Confirmed Change pending" in cli(lab, "hub1", "configure revert now")[0]


def test_hidden_lines_quirk_hides_but_honours(lab: Lab, design: Any) -> None:
    from dmvpn_ops.render import render_config
    lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
    lab.hide_lines("spoke1")
    lab.hide_lines("hub1")
    assert "ip nhrp shortcut" not in lab.running_config("spoke1")
    assert "ip nhrp map multicast dynamic" not in lab.running_config("hub1")
    assert "ip nhrp shortcut" in lab.core.config_of("spoke1")        # the cloud still sees them
    assert lab.run("hub1", "show dmvpn").count(" UP ") == 5          # 4 spokes + hub2 (static map)
    assert "172.16.100.1 " in lab.run("spoke1", "show ip eigrp neighbors")  # multicast still flows
