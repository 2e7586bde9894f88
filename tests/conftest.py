"""Shared test setup: throwaway secrets in the environment and an in-process CLI runner."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

# hooks: a test that starts the emulator must be marked lab (`pytest -m "not lab"` is the quick unit run)
from tests.meta.lab_guard import pytest_configure, pytest_runtest_call, pytest_runtest_setup  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
INVENTORY = ROOT / "inventory"
EXAMPLES = ROOT / "inventory" / "examples"

# Distinctive values so leak tests can grep for them anywhere.
TEST_SECRETS = {
    "DMVPN_SSH_PASSWORD": "Sshpw-7f3a91",
    "DMVPN_ENABLE_SECRET": "Enable-5c2e77",
    "DMVPN_NHRP_AUTH": "nh7Kq2x",
    "DMVPN_PSK": "Psk-9d41be0c",
    "DMVPN_OTHER_NHRP_AUTH": "oth3rNh",
    "DMVPN_OTHER_PSK": "Psk-other-11aa",
    "DMVPN_LONG_NHRP_AUTH": "waytoolongnhrp",
}
for _name, _value in TEST_SECRETS.items():
    os.environ.setdefault(_name, _value)


@pytest.fixture(autouse=True)
def _own_state_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own default --state-dir: known_hosts (tofu) never carries a key from another test's lab."""
    monkeypatch.setenv("DMVPN_OPS_STATE_DIR", str(tmp_path_factory.mktemp("state")))


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run ``dmvpn-ops ARGS`` in-process through the same error boundary as the console script."""
    from dmvpn_ops.cli import app
    from dmvpn_ops.cli._common import run_app

    def run(*args: str) -> CliResult:
        code = run_app(app, list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def inventory_copy(tmp_path: Path):
    """A writable copy of an inventory directory (default: the demo)."""

    def copy(source: Path = INVENTORY) -> Path:
        target = tmp_path / source.name
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("examples"))
        return target

    return copy


def inventory_with_ports(source: Path, target: Path, ports: dict[str, int]) -> Path:
    """A copy of an inventory whose hosts point at a lab's ports (for CLIs in subprocesses)."""
    import yaml

    target.mkdir(parents=True, exist_ok=True)
    for name in ("groups.yaml", "defaults.yaml"):
        if (source / name).exists():
            (target / name).write_text((source / name).read_text())
    hosts = yaml.safe_load((source / "hosts.yaml").read_text())
    for name, port in ports.items():
        hosts[name]["port"] = port
        (hosts[name].get("data") or {}).pop("lab", None)
    (target / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    return target


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that talks SSH to a hostile server it starts is end to end, like an emulator test: it is marked
    ``lab`` too, so ``-m "not lab"`` stays the quick unit run (its deliberate timeouts cost most of it)."""
    for item in items:
        if "hostile_ssh" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.lab)
