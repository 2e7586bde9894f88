"""An established SA keeps the DPD and lifetime it was negotiated with; profile changes apply to the next SA.

IOS applies IKEv2 profile changes to new SAs (Cisco FlexVPN configuration guide): `show crypto ikev2 sa
detailed` keeps printing the running SA's values until it is negotiated again — at its IKE SA lifetime or
after `clear crypto session`. Over real SSH (netmiko) into the emulator, the clock moved by the Lab API.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config


def _sa(conn: Any) -> tuple[str, str]:
    """(DPD line, IKE lifetime) of spoke1's SA to hub1 in `show crypto ikev2 sa detail`."""
    out = conn.send_command("show crypto ikev2 sa detail")
    block = out.split("198.51.100.1/500")[1].split("Tunnel-id")[0]
    dpd = re.search(r"DPD configured for (\d+ seconds, retry \d+)", block)
    life = re.search(r"Life/Active Time: (\d+)/", block)
    assert dpd and life, out
    return dpd.group(1), life.group(1)


def _profile(conn: Any) -> str:
    found = re.search(r"^crypto ikev2 profile (\S+)", conn.send_command("show running-config"), re.M)
    assert found
    return found.group(1)


@pytest.mark.lab
def test_dpd_and_lifetime_changes_apply_to_the_next_sa(lab: Lab, design: Design,
                                                       connect: Callable[..., Any]) -> None:
    lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
    conn = connect("spoke1")
    assert _sa(conn) == ("10 seconds, retry 3", "86400")
    profile = _profile(conn)
    conn.send_config_set([f"crypto ikev2 profile {profile}", "dpd 30 5 on-demand", "lifetime 7200"])
    assert "dpd 30 5 on-demand" in conn.send_command("show running-config")
    assert _sa(conn) == ("10 seconds, retry 3", "86400")      # the running SA keeps what it negotiated
    lab.advance(3600)                                         # a child SA re-key is no new IKE SA
    assert _sa(conn) == ("10 seconds, retry 3", "86400")
    lab.advance(86400 - 3600)                                 # its IKE SA lifetime: negotiated again
    assert _sa(conn) == ("30 seconds, retry 5", "7200")
    conn.send_config_set([f"crypto ikev2 profile {profile}", "dpd 20 4 on-demand"])
    assert _sa(conn) == ("30 seconds, retry 5", "7200")
    conn.send_command("clear crypto session")                 # a new SA: the profile as it is now
    assert _sa(conn) == ("20 seconds, retry 4", "7200")
