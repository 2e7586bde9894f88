"""A secret equal to a token the device prints: verify and health parse the real text, and mask what leaves.

Collect used to mask each answer by value before parsing it. With the demo cloud's PSK ``86400`` (the IKEv2 SA
lifetime the devices print, `Life/Active Time: 86400/...`) `show crypto ikev2 sa` became UNPARSEABLE_OUTPUT; with
the NHRP key ``Tu100`` (the tunnel as `show ip eigrp neighbors` abbreviates it) every EIGRP neighbour's interface
became ``*****``. Both values are legal IOS secrets and pass the intent's checks (digits / not letters only,
>= 4 characters, NHRP key <= 8 characters). Over real SSH into the emulator: the records hold what the device
printed, the run is clean, and no saved raw output, JSON, session log, verbose log or health record holds either
secret (as a string: a number of a JSON record is never masked, secrets.mask_data).
"""
from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from dmvpn_ops import secrets
from dmvpn_ops.deploy import DeployOptions, deploy
from dmvpn_ops.intent import Design, load_design
from dmvpn_ops.intent.nornir import load_nornir
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.secrets import MASK
from dmvpn_ops.verify import verify
from tests.conftest import inventory_with_ports

pytestmark = pytest.mark.lab
ROOT = Path(__file__).resolve().parents[2]
LIFETIME_PSK = "86400"  # the IKEv2 SA lifetime of the rendered profiles (IOS default)
WORD_NHRP = "Tu100"  # the tunnel's name in `show ip eigrp neighbors`
SECRET_ENV = {"DMVPN_EQ_PSK": LIFETIME_PSK, "DMVPN_EQ_NHRP": WORD_NHRP}


class Cloud:
    def __init__(self, inventory: Path, design: Design, lab: Any) -> None:
        self.inventory, self.design, self.lab = inventory, design, lab

    def nornir(self, timeout: float = 10.0) -> Any:
        extras = {"conn_timeout": timeout, "auth_timeout": timeout, "banner_timeout": timeout,
                  "read_timeout_override": timeout}
        return load_nornir(self.inventory, self.design, ports=self.lab.ports(), extras=extras)


def _inventory(target: Path) -> Path:
    """The demo inventory whose cloud takes its PSK and NHRP key from this test's variables."""
    target.mkdir(parents=True)
    for name in ("defaults.yaml", "hosts.yaml"):
        (target / name).write_text((ROOT / "inventory" / name).read_text())
    groups = yaml.safe_load((ROOT / "inventory" / "groups.yaml").read_text())
    spec = groups["dmvpn_cloud"]["data"]["dmvpn"]["clouds"]["DMVPN1"]
    spec["nhrp_auth"], spec["crypto"]["psk"] = "env:DMVPN_EQ_NHRP", "env:DMVPN_EQ_PSK"
    (target / "groups.yaml").write_text(yaml.safe_dump(groups))
    return target


@pytest.fixture(scope="module")
def cloud() -> Iterator[Cloud]:
    with pytest.MonkeyPatch.context() as mp:
        for name, value in SECRET_ENV.items():
            mp.setenv(name, value)
        # the registry is process-wide: these secrets (which mask ordinary tokens) stay in this module
        mp.setattr(secrets, "_known_values", set(secrets._known_values))
        inventory = _inventory(Path(tempfile.mkdtemp()) / "inventory")
        design = load_design(inventory)
        assert design.hosts["hub1"].tunnels[0].spec.crypto.psk.reveal() == LIFETIME_PSK
        with Lab(design, ports="free") as lab:
            c = Cloud(inventory, design, lab)
            result = deploy(design, c.nornir(), DeployOptions(state_dir=Path(tempfile.mkdtemp()), timeout=10))
            assert result.ok, {n: h.status for n, h in result.hosts.items()}
            lab.advance(30)
            yield c


def _no_secret(where: str, text: str) -> None:
    for value in SECRET_ENV.values():
        assert value not in text, f"{value!r} in {where}"


def test_records_hold_what_the_device_printed(cloud: Cloud) -> None:
    """The lifetime and the tunnel parse to their values; the kept outputs are masked."""
    result = verify(cloud.design, cloud.nornir(), mode="full", read_timeout=10)
    assert not [f for f in result.findings if f.code == "UNPARSEABLE_OUTPUT"], result.findings
    assert result.exit_code == 0, [(f.code, f.host, f.message) for f in result.findings]
    hub = result.collections["hub1"]
    ikev2 = hub.get("show crypto ikev2 sa")
    assert ikev2, hub.parse_errors
    assert {r.get("lifetime") for r in ikev2} == {86400}, ikev2
    neighbours = hub.get("show ip eigrp neighbors")
    assert neighbours and {r.get("interface") for r in neighbours} == {WORD_NHRP}, neighbours
    for command, text in hub.outputs.items():  # what verify may show or save
        _no_secret(f"outputs[{command!r}]", text)
    assert MASK in hub.outputs["show crypto ikev2 sa"]  # masked by value where it left the parser


def test_verify_cli_saves_and_prints_no_secret(cloud: Cloud, cli: Any, tmp_path: Path) -> None:
    """verify --save-raw / --format json / --session-log / -v: a clean run, and neither secret anywhere."""
    inv = inventory_with_ports(cloud.inventory, tmp_path / "inv", cloud.lab.ports())
    raw, logs = tmp_path / "raw", tmp_path / "logs"
    with pytest.MonkeyPatch.context() as mp:
        for name, value in SECRET_ENV.items():
            mp.setenv(name, value)
        run = cli("verify", "-i", str(inv), "--mode", "full", "--format", "json", "--save-raw", str(raw),
                  "--session-log", str(logs), "-v", "--timeout", "10", "--target", "devices")
    assert run.code == 0, run.text
    document = json.loads(run.out)
    codes = {f["code"] for f in document["findings"]}
    assert "UNPARSEABLE_OUTPUT" not in codes, codes
    _no_secret("verify stdout/stderr", run.text)
    saved = sorted(raw.rglob("*.txt"))
    assert (raw / "hub1" / "show_crypto_ikev2_sa.txt") in saved
    for path in saved + sorted(logs.glob("*.log")):
        _no_secret(str(path), path.read_text())
    assert sorted(logs.glob("*.log")), "no session log written"


def test_health_record_holds_no_secret(cloud: Cloud, cli: Any, tmp_path: Path) -> None:
    """health (full mode, probes) is clean and its record, JUnit and Prometheus files hold neither secret."""
    inv = inventory_with_ports(cloud.inventory, tmp_path / "inv", cloud.lab.ports())
    history, junit, prom = tmp_path / "history", tmp_path / "health.xml", tmp_path / "health.prom"
    with pytest.MonkeyPatch.context() as mp:
        for name, value in SECRET_ENV.items():
            mp.setenv(name, value)
        run = cli("health", "-i", str(inv), "--history", str(history), "--junit", str(junit),
                  "--prom-file", str(prom), "--timeout", "10", "--target", "devices")
    assert run.code == 0, run.text
    assert "UNPARSEABLE_OUTPUT" not in run.text
    _no_secret("health stdout/stderr", run.text)
    records = sorted(history.glob("run-*.json"))
    assert len(records) == 1
    for path in (junit, prom):
        _no_secret(str(path), path.read_text())
    record = json.loads(records[0].read_text())
    for text in _strings(record):  # numbers are never secrets (secrets.mask_data): the lifetime stays a number
        _no_secret(f"{records[0]} (a string)", text)
    assert not [f for f in record.get("findings", []) if f.get("code") == "UNPARSEABLE_OUTPUT"]
    lifetimes = {ike["lifetime"] for e in record["edges"] for ike in [(e.get("uptimes") or {}).get("ike")] if ike}
    assert lifetimes == {86400}, lifetimes  # parsed from the text, not from a masked `*****`


def _strings(value: object) -> Iterator[str]:
    """Every string of a JSON tree, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
