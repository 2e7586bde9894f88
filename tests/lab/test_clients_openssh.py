"""Real OpenSSH client against the lab: `ssh -n host cmd`, piped stdin with and without `exit`.

IOS answers every line it received before end-of-input, sends exit-status and closes; a client
must never hang on it. Password auth through SSH_ASKPASS (no sshpass on the build machines).
"""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab

pytestmark = [pytest.mark.lab,
              pytest.mark.skipif(shutil.which("ssh") is None, reason="OpenSSH client not installed")]


@pytest.fixture(scope="module")
def mlab(design: Design) -> Iterator[Lab]:
    with Lab(design, ports="free") as running:
        yield running


@pytest.fixture(scope="module")
def ssh_env(design: Design, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment that makes ssh/scp/sftp answer the password prompt from a script."""
    folder = tmp_path_factory.mktemp("askpass")
    script = folder / "askpass.sh"
    script.write_text(f"#!/bin/sh\necho '{design.hosts['hub1'].password.reveal()}'\n")
    script.chmod(0o700)
    env = dict(os.environ, SSH_ASKPASS=str(script), SSH_ASKPASS_REQUIRE="force", DISPLAY=":0")
    return env


def options(port: int, port_flag: str = "-p") -> list[str]:
    return ["-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "PubkeyAuthentication=no", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10",
            port_flag, str(port)]


def test_ssh_n_runs_one_command_and_exits_zero(mlab: Lab, ssh_env: dict[str, str]) -> None:
    done = subprocess.run(["ssh", "-n", *options(mlab.port("hub1")), "admin@127.0.0.1", "show version"],
                          env=ssh_env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Cisco IOS XE Software")
    assert "hub1 uptime is" in done.stdout


def test_piped_commands_with_exit_are_all_answered(mlab: Lab, ssh_env: dict[str, str]) -> None:
    script = "terminal length 0\nshow privilege\nshow running-config | include ^hostname\nexit\n"
    done = subprocess.run(["ssh", "-T", *options(mlab.port("spoke1")), "admin@127.0.0.1"], input=script,
                          env=ssh_env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = done.stdout.replace("\r\n", "\n")
    assert "spoke1#show privilege\nCurrent privilege level is 15\n" in out
    assert "hostname spoke1\nspoke1#exit" in out


def test_end_of_input_without_exit_answers_then_closes(mlab: Lab, ssh_env: dict[str, str]) -> None:
    # no `exit`: the client's EOF must end the vty after the answers, with exit-status 0
    done = subprocess.run(["ssh", "-T", *options(mlab.port("spoke2")), "admin@127.0.0.1"],
                          input="show privilege\nshow clock\n", env=ssh_env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    out = done.stdout.replace("\r\n", "\n")
    assert "Current privilege level is 15" in out
    assert out.rstrip().endswith("spoke2#"), out[-200:]
    clock = out.split("spoke2#show clock\n", 1)[1].splitlines()[0]
    assert "UTC" in clock


def test_exec_channel_after_eof_many_times(mlab: Lab, ssh_env: dict[str, str]) -> None:
    # the worker used to die on BrokenPipeError after EOF; ten in a row all exit cleanly
    for _ in range(10):
        done = subprocess.run(["ssh", "-n", *options(mlab.port("hub2")), "admin@127.0.0.1", "show privilege"],
                              env=ssh_env, capture_output=True, text=True, timeout=60)
        assert (done.returncode, done.stdout.strip()) == (0, "Current privilege level is 15")



@pytest.fixture(scope="module")
def scp_on(mlab: Lab) -> str:
    mlab.configure("hub1", "ip scp server enable\n")
    return "hub1"


def test_scp_legacy_protocol_writes_and_reads_flash(mlab: Lab, ssh_env: dict[str, str], scp_on: str,
                                                    tmp_path: Path) -> None:
    local = tmp_path / "merge.cfg"
    local.write_text("interface Loopback42\n description via scp\nend\n")
    done = subprocess.run(["scp", "-O", *options(mlab.port(scp_on), "-P"), str(local),
                           "admin@127.0.0.1:flash:/legacy.cfg"], env=ssh_env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert mlab.run(scp_on, "more flash:legacy.cfg") == local.read_text()
    back = tmp_path / "back.cfg"
    done = subprocess.run(["scp", "-O", *options(mlab.port(scp_on), "-P"), "admin@127.0.0.1:flash:legacy.cfg",
                           str(back)], env=ssh_env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert back.read_text() == local.read_text()


def test_no_sftp_server_as_on_ios_xe(mlab: Lab, ssh_env: dict[str, str], scp_on: str, tmp_path: Path) -> None:
    """IOS-XE serves no SFTP (Cat9300 17.10 security guide: "The SFTP server is not supported"; Cisco tech note
    220371: OpenSSH >= 9 scp uses SFTP and fails against IOS XE, `scp -O` works), even with ip scp server enable."""
    local = tmp_path / "up.txt"
    local.write_text("hello flash\n")
    # commands on stdin: `-b` would force BatchMode, which turns password authentication off
    done = subprocess.run(["sftp", *options(mlab.port(scp_on), "-P"), "admin@127.0.0.1"],
                          input=f"put {local} up.txt\n", env=ssh_env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "subsystem request failed" in done.stderr, done.stderr
    done = subprocess.run(["scp", *options(mlab.port(scp_on), "-P"), str(local), "admin@127.0.0.1:flash:/up.txt"],
                          env=ssh_env, capture_output=True, text=True, timeout=60)   # OpenSSH 9: SFTP unless -O
    assert done.returncode != 0
    assert "No such file" in mlab.run(scp_on, "dir flash:up.txt")


def test_scp_refused_without_ip_scp_server_enable(mlab: Lab, ssh_env: dict[str, str], tmp_path: Path) -> None:
    local = tmp_path / "x.cfg"
    local.write_text("x\n")
    done = subprocess.run(["scp", "-O", *options(mlab.port("spoke3"), "-P"), str(local),
                           "admin@127.0.0.1:flash:/x.cfg"], env=ssh_env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "No such file" in mlab.run("spoke3", "dir flash:x.cfg")


def test_scp_of_a_missing_file_says_so(mlab: Lab, ssh_env: dict[str, str], scp_on: str, tmp_path: Path) -> None:
    done = subprocess.run(["scp", "-O", *options(mlab.port(scp_on), "-P"), "admin@127.0.0.1:flash:/absent.cfg",
                           str(tmp_path / "absent.cfg")], env=ssh_env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "flash:/absent.cfg: No such file or directory" in done.stderr
    assert not (tmp_path / "absent.cfg").exists()
