"""Bad input never gives a traceback: each case of issue 13 through the console script, exit 2 naming the spot.

Every case is an operator's file or argument (never a device): a typed inventory field, a cycle, a bomb, a
FIFO or /dev/zero where a file is expected, an output path that cannot be written. Nothing here connects:
each must be refused before any connection is attempted.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import INVENTORY

Case = Callable[[Path], tuple[list[str], list[str]]]   # tmp dir -> (argv, words the message must name)


def _inventory(tmp: Path, hosts_edit: Callable[[dict], None] | None = None) -> Path:
    inv = tmp / "inventory"
    shutil.copytree(INVENTORY, inv, ignore=shutil.ignore_patterns("examples"))
    if hosts_edit is not None:
        hosts = yaml.safe_load((inv / "hosts.yaml").read_text())
        hosts_edit(hosts)
        (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    return inv


def _set(host: str, key: str, value: object) -> Callable[[dict], None]:
    return lambda hosts: hosts[host].__setitem__(key, value)


def _lint(edit: Callable[[dict], None], *words: str) -> Case:
    return lambda tmp: (["lint", "-i", str(_inventory(tmp, edit))], ["hosts.yaml", *words])


def _group_cycle(tmp: Path) -> tuple[list[str], list[str]]:
    inv = _inventory(tmp)
    groups = yaml.safe_load((inv / "groups.yaml").read_text())
    first, last = list(groups)[0], list(groups)[-1]
    groups[first]["groups"], groups[last]["groups"] = [last], [first]
    (inv / "groups.yaml").write_text(yaml.safe_dump(groups))
    return ["lint", "-i", str(inv)], ["groups.yaml", "group cycle", "groups"]


def _deep_yaml(tmp: Path) -> tuple[list[str], list[str]]:
    inv = _inventory(tmp)
    with open(inv / "groups.yaml", "a") as out:
        out.write("deep:\n  data: {x: " + "[" * 5000 + "]" * 5000 + "}\n")
    return ["lint", "-i", str(inv)], ["groups.yaml", "nested deeper"]


def _integer_name(tmp: Path) -> tuple[list[str], list[str]]:
    inv = _inventory(tmp)
    (inv / "hosts.yaml").write_text((inv / "hosts.yaml").read_text().replace("hub1:", "12345:", 1))
    return ["lint", "-i", str(inv)], ["hosts.yaml", "12345", "not a string"]


def _defaults_as(kind: str) -> Case:
    def make(tmp: Path) -> tuple[list[str], list[str]]:
        inv = _inventory(tmp)
        (inv / "defaults.yaml").unlink()
        if kind == "fifo":
            os.mkfifo(inv / "defaults.yaml")
        else:
            os.symlink("/dev/zero", inv / "defaults.yaml")
        return ["lint", "-i", str(inv)], ["defaults.yaml", "not a regular file"]
    return make


def _phase_true(tmp: Path) -> tuple[list[str], list[str]]:
    inv = _inventory(tmp)
    text = (inv / "groups.yaml").read_text()
    (inv / "groups.yaml").write_text(re.sub(r"phase: \d", "phase: true", text, count=1))
    return ["lint", "-i", str(inv)], ["groups.yaml", "phase", "boolean"]


def _duplicate_endpoint(hosts: dict) -> None:
    hosts["hub2"]["port"] = hosts["hub1"]["port"]


def _connecting(verb: list[str], *words: str) -> Case:
    """A connecting verb with an unusable path: refused before any connection (--target devices)."""
    return lambda tmp: ([*verb[:1], "-i", str(_inventory(tmp)), "--target", "devices", "--state-dir",
                         str(tmp / "state"), *verb[1:]], list(words))


CASES: dict[str, Case] = {
    "connection_options: [1]": _lint(_set("hub1", "connection_options", [1]), "hub1", "connection_options"),
    "extras: 5": _lint(_set("hub1", "connection_options", {"netmiko": {"extras": 5}}), "hub1",
                       "connection_options.netmiko.extras"),
    "group cycle": _group_cycle,
    "5,000-deep YAML": _deep_yaml,
    "integer host name": _integer_name,
    "verify -o /nonexistent/x.json": _connecting(["verify", "--format", "json", "-o", "/nonexistent/x.json"],
                                                 "/nonexistent/x.json", "--output"),
    "verify --save-raw /proc/nope": _connecting(["verify", "--save-raw", "/proc/nope"], "/proc/nope", "--save-raw"),
    "health --history /proc/nope": _connecting(["health", "--history", "/proc/nope"], "/proc/nope", "--history"),
    "verify --state-dir /proc/nope": lambda tmp: (["verify", "-i", str(_inventory(tmp)), "--target", "devices",
                                                   "--state-dir", "/proc/nope"], ["/proc/nope", "known_hosts"]),
    "verify --session-log /proc/nope": _connecting(["verify", "--session-log", "/proc/nope"], "/proc/nope",
                                                   "--session-log"),
    "verify --known-hosts /dev/zero": _connecting(["verify", "--known-hosts", "/dev/zero"], "/dev/zero",
                                                  "--known-hosts"),
    "health --prom-file /nonexistent/h.prom": _connecting(
        ["health", "--history", "/tmp", "--prom-file", "/nonexistent/h.prom"], "/nonexistent/h.prom", "--prom-file"),
    "defaults.yaml is a FIFO": _defaults_as("fifo"),
    "defaults.yaml is /dev/zero": _defaults_as("zero"),
    "parse show dmvpn /dev/zero": lambda tmp: (["parse", "show dmvpn", "/dev/zero"], ["/dev/zero", "regular file"]),
    "duplicate host:port": _lint(_duplicate_endpoint, "hub2", "hub1", "port"),
    "port -5": _lint(_set("hub1", "port", -5), "hub1", "port", "-5"),
    "port 70000": _lint(_set("hub1", "port", 70000), "hub1", "port", "70000"),
    "port 22.5": _lint(_set("hub1", "port", 22.5), "hub1", "port", "22.5"),
    "phase: true": _phase_true,
    "hostname: 12345": _lint(_set("hub1", "hostname", 12345), "hub1", "hostname", "12345"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_exit_2_naming_the_spot_never_a_traceback(case: str, tmp_path: Path) -> None:
    argv, words = CASES[case](tmp_path)
    shutil.which("dmvpn-ops") or pytest.fail("the dmvpn-ops console script is not installed")
    result = subprocess.run(["dmvpn-ops", *argv], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "COLUMNS": "400"})
    assert result.returncode == 2, (case, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "\nerror:" in "\n" + result.stderr, result.stderr
    message = " ".join(result.stderr.split())
    for word in words:
        assert word in message, (case, word, message)
