"""Lab API: SSH on some hosts only (the rest are routers of the cloud all the same), start timeouts."""
from __future__ import annotations

import time
from typing import Any

import pytest
from netmiko import ConnectHandler

from dmvpn_ops.errors import LabError
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.lab.service import LabService
from dmvpn_ops.render import render_config


@pytest.mark.lab
def test_only_ssh_hosts_listen_and_the_others_still_register(design: Design) -> None:
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    with Lab(design, ports="free", ssh_hosts=["hub1"]) as lab:
        assert set(lab.ports()) == {"hub1"}
        with pytest.raises(LabError, match="no SSH listener"):
            lab.port("spoke1")
        assert not any(lab.configure_many(configs).values())
        spec = design.hosts["hub1"]
        conn = ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=lab.port("hub1"),
                              username=spec.username, password=spec.password.reveal(),
                              secret=spec.enable_secret.reveal())
        try:
            out = conn.send_command("show dmvpn")
        finally:
            conn.disconnect()
        spokes = [h for h, s in design.hosts.items() if not s.is_hub]
        assert out.count(" UP ") == len(spokes) + 1        # + hub2, mapped statically
        assert lab.status()["hosts"]["spoke1"]["port"] is None


def test_unknown_ssh_host_is_refused(design: Design) -> None:
    with pytest.raises(LabError, match="nosuch"):
        Lab(design, ssh_hosts=["nosuch"])


@pytest.mark.lab
def test_start_timeout_stops_cleanly(design: Design, monkeypatch: Any) -> None:
    real = LabService.__init__

    def slow(self: LabService, *args: Any) -> None:
        time.sleep(0.5)                     # a start-up that blocks the loop past the timeout
        real(self, *args)

    monkeypatch.setattr(LabService, "__init__", slow)
    lab = Lab(design, ports="free", start_timeout=0.1)
    lab.join_timeout = 0.05
    with pytest.raises(LabError, match="did not start within"):
        lab.start()                         # no "Cannot close a running event loop"
    assert lab.service is None
    time.sleep(0.6)
