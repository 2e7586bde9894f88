"""A lab with every host configured from the intent, and a NAPALM ``ios`` driver into one of its routers."""
from __future__ import annotations

from typing import Any

from napalm import get_network_driver

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

__all__ = ["configured_lab", "napalm_driver"]


def configured_lab(design: Design) -> Lab:
    """A started lab, each router given its rendered config, 60 lab seconds later (registered, SAs up)."""
    lab = Lab(design, ports="free").start()
    lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
    lab.advance(60)
    return lab


def napalm_driver(lab: Lab, design: Design, host: str) -> Any:
    """An open NAPALM ``ios`` driver to ``host`` with the intent's credentials (enable secret included)."""
    spec = design.hosts[host]
    assert spec.password is not None and spec.enable_secret is not None
    driver = get_network_driver("ios")(
        hostname="127.0.0.1", username=spec.username, password=spec.password.reveal(),
        optional_args={"port": lab.port(host), "secret": spec.enable_secret.reveal(), "conn_timeout": 10})
    driver.open()
    return driver
