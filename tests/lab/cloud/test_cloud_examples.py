"""Every example design, rendered and loaded: each configured NHS answers (registered, UP)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from dmvpn_ops.intent import load_design
from dmvpn_ops.lab.cloud import Cloud
from dmvpn_ops.render import render_config

EXAMPLES = Path(__file__).resolve().parents[3] / "inventory" / "examples"
CASES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "hosts.yaml").exists()) if EXAMPLES.exists() else []


@pytest.mark.parametrize("name", CASES)
def test_example_cloud_comes_up(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("DMVPN_SSH_PASSWORD", "DMVPN_ENABLE_SECRET", "DMVPN_NHRP_AUTH", "DMVPN_PSK"):
        monkeypatch.setenv(key, os.environ.get(key, "lab1234"))
    design = load_design(str(EXAMPLES / name))
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    cloud = Cloud(design, configs.__getitem__)
    for spoke in design.spoke_names:
        nhs = cloud.execute(spoke, "show ip nhrp nhs") or ""
        rows = [line for line in nhs.splitlines() if "NBMA Address" in line]
        assert rows and all(" RE " in line for line in rows), (spoke, nhs)
    for hub in design.hub_names:
        text = cloud.execute(hub, "show dmvpn") or ""
        assert "Type:Hub" in text and "    UP " in text
