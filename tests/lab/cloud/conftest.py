"""Cloud harness: configs from render_config (or edited texts) fed through config_of, no SSH."""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.cloud import Cloud
from dmvpn_ops.render import render_config

REPO = Path(__file__).resolve().parents[3]
SECRETS = {"DMVPN_SSH_PASSWORD": "lab", "DMVPN_ENABLE_SECRET": "lab", "DMVPN_NHRP_AUTH": "nhrpauth",
           "DMVPN_PSK": "labpsk123"}


class Harness:
    """A Cloud over a dict of config texts; edit ``configs`` then call :meth:`changed`."""

    def __init__(self, design: Design, configs: dict[str, str]) -> None:
        self.design = design
        self.configs = configs
        self.cloud = Cloud(design, lambda host: self.configs[host])

    def run(self, host: str, command: str) -> str:
        out = self.cloud.execute(host, command)
        assert out is not None, command
        return out

    def edit(self, host: str, fn: Callable[[str], str]) -> None:
        self.configs[host] = fn(self.configs[host])
        self.cloud.config_changed(host)


def _design(tmp: Path, cloud_edit: dict[str, object] | None) -> Design:
    for key, value in SECRETS.items():
        os.environ.setdefault(key, value)
    if not cloud_edit:
        return load_design(str(REPO / "inventory"))
    inv = tmp / "inventory"
    shutil.copytree(REPO / "inventory", inv)
    groups = yaml.safe_load((inv / "groups.yaml").read_text())
    groups["dmvpn_cloud"]["data"]["dmvpn"]["clouds"]["DMVPN1"].update(cloud_edit)
    (inv / "groups.yaml").write_text(yaml.safe_dump(groups))
    return load_design(str(inv))


def make_lab(tmp: Path, **cloud_edit: object) -> Harness:
    design = _design(tmp, cloud_edit)
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    return Harness(design, configs)


@pytest.fixture
def lab(tmp_path: Path) -> Harness:
    return make_lab(tmp_path)


@pytest.fixture
def make(tmp_path: Path) -> Callable[..., Harness]:
    """Factory: ``make(phase=2)`` renders the demo inventory with cloud fields overridden."""
    return lambda **edit: make_lab(tmp_path, **edit)
