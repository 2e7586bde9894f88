"""Values IOS refuses are refused by the intent: exit 2 naming file, host and field (ranges from IOS-XE YANG)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from dmvpn_ops.intent.ios import IosVersion, check_transform

Patch = Callable[[dict[str, Any]], None]


def _crypto(**values: Any) -> Patch:
    def apply(files: dict[str, Any]) -> None:
        files["groups.yaml"]["dmvpn_cloud"]["data"]["dmvpn"]["clouds"]["DMVPN1"]["crypto"].update(values)
    return apply


def _cloud(**values: Any) -> Patch:
    def apply(files: dict[str, Any]) -> None:
        files["groups.yaml"]["dmvpn_cloud"]["data"]["dmvpn"]["clouds"]["DMVPN1"].update(values)
    return apply


def _host(name: str, **values: Any) -> Patch:
    def apply(files: dict[str, Any]) -> None:
        files["hosts.yaml"][name]["data"]["dmvpn"].update(values)
    return apply


def _both(*patches: Patch) -> Patch:
    def apply(files: dict[str, Any]) -> None:
        for patch in patches:
            patch(files)
    return apply


CASES: list[tuple[str, Patch, list[str]]] = [
    ("ikev2-lifetime-too-long", _crypto(lifetime=86401),
     ["groups.yaml", "hub1", "clouds.DMVPN1.crypto.lifetime", "120-86400"]),
    ("ikev2-lifetime-too-short", _crypto(lifetime=60), ["crypto.lifetime", "120-86400"]),
    ("dh-group-does-not-exist", _crypto(dh_group=17), ["groups.yaml", "crypto.dh_group", "does not exist"]),
    ("dh-group-weak-on-17.11", _crypto(dh_group=5), ["crypto.dh_group", "17.11.1", "FN72510"]),
    ("dh-group-24-weak-on-17.11", _crypto(dh_group=24), ["crypto.dh_group", "17.11.1"]),
    ("free-text-transform", _crypto(transform="aes-256 sha"), ["crypto.transform", "not an IOS transform set"]),
    ("gcm-with-hmac", _crypto(transform="esp-gcm 256 esp-sha256-hmac"), ["crypto.transform", "combined mode"]),
    ("weak-transform-on-17.11", _crypto(transform="esp-3des esp-md5-hmac"), ["crypto.transform", "FN72510"]),
    ("unknown-ike-cipher", _crypto(ike_encryption="aes256"), ["crypto.ike_encryption", "aes-cbc-256"]),
    ("dpd-interval-too-short", _crypto(dpd={"interval": 5}), ["crypto.dpd.interval"]),
    ("dpd-retry-too-long", _crypto(dpd={"retry": 61}), ["crypto.dpd.retry"]),
    ("eigrp-as-above-65535", _cloud(routing={"protocol": "eigrp", "as_number": 70000}),
     ["groups.yaml", "clouds.DMVPN1.routing.as_number", "1-65535"]),
    ("bad-ios-version", _host("spoke2", ios_version="seventeen"), ["hosts.yaml", "spoke2", "ios_version"]),
    ("nat-false-with-nat-public", _host("spoke1", underlay={"interface": "GigabitEthernet1",
                                                          "address": "203.0.113.11/24",
                                                          "gateway": "203.0.113.254",
                                                          "nat_public": "192.0.2.11"},
                                        clouds={"DMVPN1": {"tunnel_ip": "172.16.100.11", "nat": False}}),
     ["spoke1", "nat", "contradicts nat_public"]),
]


def _write(directory: Path, files: dict[str, Any]) -> None:
    for name, content in files.items():
        (directory / name).write_text(yaml.safe_dump(content, sort_keys=False))


def _patched(inventory_copy: Any, patch: Patch) -> Path:
    directory: Path = inventory_copy()
    files = {name: yaml.safe_load((directory / name).read_text())
             for name in ("hosts.yaml", "groups.yaml", "defaults.yaml")}
    patch(files)
    _write(directory, files)
    return directory


@pytest.mark.parametrize("case,patch,expected", CASES, ids=[c[0] for c in CASES])
def test_value_ios_refuses_is_exit_2(case: str, patch: Patch, expected: list[str], inventory_copy, cli) -> None:
    result = cli("render", "-i", str(_patched(inventory_copy, patch)))
    assert result.code == 2, result.text
    assert "Traceback" not in result.text
    message = " ".join(result.err.split())
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in {message!r}"


@pytest.mark.parametrize("patch", [
    _both(_crypto(dh_group=5), _host("hub1", ios_version="17.9.4a"), _host("hub2", ios_version="17.9.4a"),
          *[_host(f"spoke{i}", ios_version="16.12.5") for i in range(1, 5)]),
    _both(_crypto(dh_group=2), *[_host(h, ios_version="15.9(3)M4") for h in
                                 ("hub1", "hub2", "spoke1", "spoke2", "spoke3", "spoke4")]),
], ids=["17.9-allows-group-5", "classic-15.9-allows-group-2"])
def test_weak_group_allowed_before_17_11(patch: Patch, inventory_copy, cli) -> None:
    result = cli("render", "-i", str(_patched(inventory_copy, patch)))
    assert result.code == 0, result.text


def test_one_host_on_17_11_is_named(inventory_copy, cli) -> None:
    """Group default 17.9, one host upgraded: that host (and only the version rule) is named."""
    older = [_host(h, ios_version="17.9.4") for h in ("hub1", "hub2", "spoke1", "spoke2", "spoke3")]
    result = cli("render", "-i", str(_patched(inventory_copy, _both(_crypto(dh_group=5), *older))))
    assert result.code == 2
    assert "spoke4" in result.err and "17.12.1" in result.err


@pytest.mark.parametrize("text,ok", [
    ("esp-aes 256 esp-sha256-hmac", True), ("esp-gcm 256", True), ("esp-aes esp-sha-hmac", True),
    ("esp-256-aes esp-sha512-hmac", True), ("ah-sha256-hmac esp-aes 128 esp-sha-hmac", True),
    ("esp-aes 512 esp-sha-hmac", False), ("esp-3des 256", False), ("esp-sha256-hmac", False), ("", False),
])
def test_transform_vocabulary(text: str, ok: bool) -> None:
    if ok:
        assert check_transform(text) == tuple(text.split())
    else:
        with pytest.raises(ValueError):
            check_transform(text)


def test_version_order_and_kinds() -> None:
    assert IosVersion.parse("17.11.1a").refuses_weak_crypto
    assert not IosVersion.parse("17.10.1").refuses_weak_crypto
    assert not IosVersion.parse("15.9(3)M4").xe
    assert IosVersion.parse("17.12") > IosVersion.parse("17.9.4")


def test_nhs_written_as_the_release_takes_it(inventory_copy, cli, tmp_path: Path) -> None:
    """12.4 has no 'ip nhrp nhs A nbma B': the spoke gets the classic map + nhs lines."""
    old = [_host(h, ios_version="12.4(24)T") for h in ("hub1", "hub2", "spoke1", "spoke2", "spoke3", "spoke4")]
    directory = _patched(inventory_copy, _both(*old))
    out = tmp_path / "out"
    result = cli("render", "-i", str(directory), "--out", str(out))
    assert result.code == 0, result.text
    spoke = (out / "spoke1.cfg").read_text()
    assert " ip nhrp map 172.16.100.1 198.51.100.1\n" in spoke and " ip nhrp nhs 172.16.100.1\n" in spoke
    assert "nbma" not in spoke


def test_modern_nhs_on_an_old_release_is_exit_2(inventory_copy, cli) -> None:
    old = [_host(h, ios_version="12.4(24)T") for h in ("hub1", "hub2", "spoke1", "spoke2", "spoke3", "spoke4")]
    result = cli("render", "-i", str(_patched(inventory_copy, _both(_cloud(nhs_style="modern"), *old))))
    assert result.code == 2
    assert "hub1" in result.err and "nhs_style" in result.err and "15.1(2)T" in result.err
