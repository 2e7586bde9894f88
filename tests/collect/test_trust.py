"""Connection trust over real SSH: host keys (tofu/strict), forget, untrusted output, stalls, session logs.

Every device here is a hostile SSH server on 127.0.0.1 (tests/support/hostile_ssh.py), driven through
the CLI exactly as an operator runs it.
"""
from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
import yaml

from tests.conftest import INVENTORY, TEST_SECRETS
from tests.support.fixtures import hostile_ssh  # noqa: F401 - fixture
from tests.support.hostile_ssh import HostileSSH, Script, garbage, huge_line, new_host_key

HUBS = ("hub1", "hub2")


def _inventory(tmp_path: Path, servers: dict[str, HostileSSH]) -> Path:
    """The demo inventory whose hosts are the given servers (127.0.0.1:<their port>)."""
    inv = tmp_path / "inventory"
    shutil.copytree(INVENTORY, inv, ignore=shutil.ignore_patterns("examples"))
    hosts = yaml.safe_load((inv / "hosts.yaml").read_text())
    for name, server in servers.items():
        hosts[name]["port"] = server.port
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    return inv


def _verify(cli, inv: Path, state: Path, *extra: str):
    return cli("verify", "-i", str(inv), "--state-dir", str(state), "--format", "json", "--timeout", "3",
               "--target", "devices", *extra)


def _findings(result) -> list[dict]:
    return json.loads(result.out)["findings"]


def test_tofu_records_then_refuses_a_changed_key_without_sending_the_password(cli, tmp_path, hostile_ssh):  # noqa: F811
    servers = {name: hostile_ssh(Script(hostname=name)) for name in HUBS}
    inv, state = _inventory(tmp_path, servers), tmp_path / "state"
    first = _verify(cli, inv, state)
    assert first.code == 1, first.text  # hostile hubs answer nonsense: findings, but logged in
    assert "target: devices from" in first.err
    known = (state / "known_hosts").read_text()
    for name, server in servers.items():
        assert server.known_hosts_line.strip() in known and f"dmvpn-ops:{name}" in known
    assert stat.S_IMODE((state / "known_hosts").stat().st_mode) == 0o600

    port = servers["hub1"].port
    servers["hub1"].stop()
    impostor = hostile_ssh(Script(hostname="hub1"), port=port)  # same address, another key
    second = _verify(cli, inv, state)
    assert second.code == 3, second.text
    changed = [f for f in _findings(second) if f["code"] == "HOST_KEY_CHANGED"]
    assert len(changed) == 1 and changed[0]["host"] == "hub1"
    message = changed[0]["message"]
    assert servers["hub1"].fingerprint in message and impostor.fingerprint in message
    assert f"127.0.0.1:{port}" in message and "dmvpn-ops known-hosts forget hub1" in message
    assert impostor.logins == []  # the impostor never saw a password
    assert json.loads(second.out)["hosts"]["hub2"]["reachable"] is True  # hub2 still verified

    forget = cli("known-hosts", "forget", "hub1", "-i", str(inv), "--state-dir", str(state))
    assert forget.code == 0, forget.text
    assert "dmvpn-ops:hub1" not in (state / "known_hosts").read_text()
    third = _verify(cli, inv, state)
    assert third.code == 1 and impostor.logins, third.text  # accepted on the next contact
    assert not [f for f in _findings(third) if f["code"].startswith("HOST_KEY")]


def test_strict_refuses_unknown_keys_and_accepts_known_ones(cli, tmp_path, hostile_ssh):  # noqa: F811
    key = new_host_key()
    servers = {"hub1": hostile_ssh(Script(hostname="hub1", host_key=key)), "hub2": hostile_ssh(Script())}
    inv, state = _inventory(tmp_path, servers), tmp_path / "state"
    state.mkdir()
    (state / "known_hosts").write_text(servers["hub1"].known_hosts_line)  # as ssh-keyscan would add it
    result = _verify(cli, inv, state, "--host-keys", "strict")
    assert result.code == 3, result.text
    codes = {(f["code"], f["host"]) for f in _findings(result)}
    assert ("HOST_KEY_UNKNOWN", "hub2") in codes and not {c for c in codes if c[1] == "hub1" and "KEY" in c[0]}
    assert servers["hub2"].logins == [] and servers["hub1"].logins
    assert "hub2" not in (state / "known_hosts").read_text()  # strict records nothing


def test_host_keys_off_connects_without_a_known_hosts_file(cli, tmp_path, hostile_ssh):  # noqa: F811
    servers = {name: hostile_ssh(Script(hostname=name)) for name in HUBS}
    inv, state = _inventory(tmp_path, servers), tmp_path / "state"
    result = _verify(cli, inv, state, "--host-keys", "off")
    assert result.code == 1 and all(s.logins for s in servers.values()), result.text
    assert not (state / "known_hosts").exists()


@pytest.mark.parametrize("bad", [["--host-keys", "trust-me"], ["--target", "moon"]])
def test_bad_connection_options_are_exit_2(cli, tmp_path, bad):
    result = cli("verify", "-i", str(INVENTORY), "--state-dir", str(tmp_path), *bad)
    assert result.code == 2 and "Traceback" not in result.text
    assert bad[0] in result.err


def _hostile_hub(cli, tmp_path, hostile_ssh, script: Script):  # noqa: F811
    """hub1 misbehaves as scripted, hub2 is a plain server; verify --mode fast through the CLI."""
    servers = {"hub1": hostile_ssh(script), "hub2": hostile_ssh(Script(hostname="hub2"))}
    inv, state = _inventory(tmp_path, servers), tmp_path / "state"
    result = _verify(cli, inv, state, "--host-keys", "off")
    document = json.loads(result.out)
    return result, document, {(f["code"], f["host"]) for f in document["findings"]}


@pytest.mark.parametrize("script", [
    Script(hostname="hub1", pager_forever=frozenset({"show dmvpn"})),
    Script(hostname="hub1", stall_after_login=True),
    Script(hostname="hub1", stall_on=frozenset({"show dmvpn"})),
], ids=["pager-forever", "stall-after-login", "stall-mid-run"])
def test_pager_or_stall_is_device_unresponsive_and_hub2_is_verified(cli, tmp_path, hostile_ssh, script):  # noqa: F811
    result, document, codes = _hostile_hub(cli, tmp_path, hostile_ssh, script)
    assert result.code == 3, result.text
    assert ("DEVICE_UNRESPONSIVE", "hub1") in codes and ("DEVICE_UNREACHABLE", "hub1") not in codes
    assert document["hosts"]["hub1"]["error_kind"] == "unresponsive"
    assert document["hosts"]["hub2"]["reachable"] is True and document["hosts"]["hub2"]["collected"]


def test_huge_line_is_output_too_large_and_the_report_stays_small(cli, tmp_path, hostile_ssh):  # noqa: F811
    script = Script(hostname="hub1", replies={"show dmvpn": huge_line(1_000_000)})
    result, document, codes = _hostile_hub(cli, tmp_path, hostile_ssh, script)
    assert ("OUTPUT_TOO_LARGE", "hub1") in codes
    assert document["hosts"]["hub2"]["reachable"] is True
    assert len(result.out) < 200_000  # the 1 MB line is not copied into the report


def test_ansi_and_binary_garbage_is_stripped_and_unparseable(cli, tmp_path, hostile_ssh):  # noqa: F811
    script = Script(hostname="hub1", replies={"show dmvpn": garbage(8192)})
    result, document, codes = _hostile_hub(cli, tmp_path, hostile_ssh, script)
    assert ("UNPARSEABLE_OUTPUT", "hub1") in codes, codes
    hub1_edges = [e["status"] for e in document["edges"] if e["hub"] == "hub1"]
    assert hub1_edges and set(hub1_edges) == {"unknown"}  # garbage is no evidence that a tunnel is up
    assert "\x1b" not in result.out and "\\u001b" not in result.out and "\\u0000" not in result.out
    assert document["hosts"]["hub2"]["reachable"] is True


def test_session_log_is_masked_and_0600(cli, tmp_path, hostile_ssh):  # noqa: F811
    psk = TEST_SECRETS["DMVPN_PSK"]
    running = f"crypto isakmp key {psk} address 0.0.0.0\nip nhrp authentication {TEST_SECRETS['DMVPN_NHRP_AUTH']}\n"
    servers = {name: hostile_ssh(Script(hostname=name, replies={"show dmvpn": running})) for name in HUBS}
    inv, state, logs = _inventory(tmp_path, servers), tmp_path / "state", tmp_path / "logs"
    result = _verify(cli, inv, state, "--session-log", str(logs), "-v")
    assert result.code in (1, 3), result.text
    for name in HUBS:
        path = logs / f"{name}.log"
        text = path.read_text()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "show dmvpn" in text and "crypto isakmp key *****" in text
        for secret in TEST_SECRETS.values():
            assert secret not in text
    for secret in TEST_SECRETS.values():
        assert secret not in result.err
    assert os.environ["DMVPN_SSH_PASSWORD"] not in result.text


def test_deploy_refuses_a_changed_key_before_login(cli, tmp_path, hostile_ssh):  # noqa: F811
    servers = {name: hostile_ssh(Script(hostname=name)) for name in HUBS}
    inv, state = _inventory(tmp_path, servers), tmp_path / "state"
    state.mkdir()
    other = hostile_ssh(Script())  # a key hub1 never had, recorded as hub1's
    line = other.known_hosts_line.replace(f"[127.0.0.1]:{other.port}", f"[127.0.0.1]:{servers['hub1'].port}")
    (state / "known_hosts").write_text(line.strip() + " dmvpn-ops:hub1\n")
    result = cli("deploy", "--dry-run", "-i", str(inv), "--state-dir", str(state), "--target", "devices",
                 "--limit", "hub1", "--timeout", "3", "--format", "json")
    assert result.code == 3, result.text
    assert "has changed" in result.out and servers["hub1"].fingerprint in result.out
    assert json.loads(result.out)["target"].startswith("devices from")
    assert servers["hub1"].logins == []  # the password never reached the unknown key


def test_verbose_logs_connections_masked(cli, tmp_path, hostile_ssh):  # noqa: F811
    servers = {name: hostile_ssh(Script(hostname=name)) for name in HUBS}
    result = _verify(cli, _inventory(tmp_path, servers), tmp_path / "state", "-v")
    assert f"hub1: connecting to 127.0.0.1:{servers['hub1'].port}" in result.err
    assert TEST_SECRETS["DMVPN_SSH_PASSWORD"] not in result.err


def test_junit_fails_the_reachable_check_of_an_unresponsive_host(cli, tmp_path, hostile_ssh):  # noqa: F811
    from junitparser import Failure, JUnitXml

    servers = {"hub1": hostile_ssh(Script(hostname="hub1", stall_after_login=True)),
               "hub2": hostile_ssh(Script(hostname="hub2"))}
    out = tmp_path / "verify.xml"
    result = cli("verify", "-i", str(_inventory(tmp_path, servers)), "--state-dir", str(tmp_path / "state"),
                 "--format", "junit", "-o", str(out), "--timeout", "3", "--target", "devices")
    assert result.code == 3, result.text
    failed = {(case.classname, case.name, case.result[0].type) for suite in JUnitXml.fromfile(str(out))
              for case in suite if case.result and isinstance(case.result[0], Failure)}
    assert ("dmvpn.hub1", "reachable", "DEVICE_UNRESPONSIVE") in failed


def test_inventory_session_log_extra_is_masked_and_0600_too(cli, tmp_path, hostile_ssh):  # noqa: F811
    running = f"crypto isakmp key {TEST_SECRETS['DMVPN_PSK']} address 0.0.0.0\n"
    servers = {name: hostile_ssh(Script(hostname=name, replies={"show dmvpn": running})) for name in HUBS}
    inv, log = _inventory(tmp_path, servers), tmp_path / "netmiko.log"
    hosts = yaml.safe_load((inv / "hosts.yaml").read_text())
    hosts["hub1"]["connection_options"] = {"netmiko": {"extras": {"session_log": str(log)}}}
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    result = _verify(cli, inv, tmp_path / "state", "--host-keys", "off")
    assert result.code == 1, result.text
    text = log.read_text()
    assert "crypto isakmp key *****" in text and TEST_SECRETS["DMVPN_PSK"] not in text
    assert TEST_SECRETS["DMVPN_SSH_PASSWORD"] not in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_strict_refuses_a_changed_key(cli, tmp_path, hostile_ssh):  # noqa: F811
    servers = {name: hostile_ssh(Script(hostname=name)) for name in HUBS}
    inv, state = _inventory(tmp_path, servers), tmp_path / "state"
    state.mkdir()
    old = hostile_ssh(Script())
    lines = [servers["hub2"].known_hosts_line,
             old.known_hosts_line.replace(f"]:{old.port} ", f"]:{servers['hub1'].port} ")]
    (state / "known_hosts").write_text("".join(lines))
    result = _verify(cli, inv, state, "--host-keys", "strict")
    assert result.code == 3, result.text
    changed = [f for f in _findings(result) if f["code"] == "HOST_KEY_CHANGED"]
    assert [f["host"] for f in changed] == ["hub1"] and old.fingerprint in changed[0]["message"]
    assert servers["hub1"].logins == [] and servers["hub2"].logins
