"""Ansible `cisco.ios` over `ansible.netcommon.network_cli` against the lab, in a real ansible-playbook process:
ios_command, ios_config (backup, diff), ios_facts, ios_banner (multi-line motd), net_put (SCP to flash:). paramiko is the SSH library
(ansible-pylibssh is not installed); host key checking is off for the throwaway lab host key."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

pytestmark = [pytest.mark.lab,
              pytest.mark.skipif(shutil.which("ansible-playbook") is None, reason="ansible-playbook not installed")]

PLAYBOOK = """
- hosts: lab
  gather_facts: false
  tasks:
    - name: show commands
      cisco.ios.ios_command:
        commands: [show version, show ip interface brief]
      register: cmd
    - name: facts
      cisco.ios.ios_facts:
        gather_subset: all
      register: facts
    - name: config with backup
      cisco.ios.ios_config:
        parents: interface Loopback71
        lines: [description via ansible]
        backup: true
        backup_options: {dir_path: "{{ out_dir }}/backup"}
        diff_against: running
      register: cfg
    - name: config again (idempotent)
      cisco.ios.ios_config:
        parents: interface Loopback71
        lines: [description via ansible]
      register: cfg_again
    - name: banner
      cisco.ios.ios_banner:
        banner: motd
        text: |
          Authorised access only
          dmvpn-ops lab
        state: present
      register: banner
    - name: banner again (idempotent)
      cisco.ios.ios_banner:
        banner: motd
        text: |
          Authorised access only
          dmvpn-ops lab
        state: present
      register: banner_again
    - name: put a file on flash with net_put (SCP)
      ansible.netcommon.net_put:
        src: "{{ out_dir }}/netput.cfg"
        dest: flash:/netput.cfg
      register: put
    - name: results for the test
      ansible.builtin.copy:
        content: "{{ {'cmd': cmd, 'facts': facts.ansible_facts, 'cfg': cfg, 'cfg_again': cfg_again,
                      'banner': banner, 'banner_again': banner_again, 'put': put} | to_nice_json }}"
        dest: "{{ out_dir }}/results.json"
      delegate_to: localhost
"""


@pytest.fixture(scope="module")
def played(design: Design, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lab, dict[str, Any], str]]:
    out = tmp_path_factory.mktemp("ansible")
    with Lab(design, ports="free") as lab:
        lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
        spec = design.hosts["hub1"]
        assert spec.password is not None and spec.enable_secret is not None
        inventory = {"all": {"children": {"lab": {"hosts": {"hub1": {
            "ansible_host": "127.0.0.1", "ansible_port": lab.port("hub1"), "ansible_user": spec.username,
            "ansible_password": spec.password.reveal(), "ansible_connection": "ansible.netcommon.network_cli",
            "ansible_network_os": "cisco.ios.ios", "ansible_network_cli_ssh_type": "paramiko",
            "ansible_become": True, "ansible_become_method": "enable",
            "ansible_become_password": spec.enable_secret.reveal(), "out_dir": str(out)}}}}}}
        (out / "inventory.yml").write_text(yaml.safe_dump(inventory))
        (out / "play.yml").write_text(PLAYBOOK)
        (out / "netput.cfg").write_text("interface Loopback72\n description via net_put\nend\n")
        lab.configure("hub1", "ip scp server enable\n")
        env = dict(os.environ, ANSIBLE_HOST_KEY_CHECKING="False", ANSIBLE_LOCAL_TEMP=str(out / "tmp"),
                   ANSIBLE_PERSISTENT_CONTROL_PATH_DIR=str(out / "pc"), ANSIBLE_NOCOLOR="1",
                   ANSIBLE_PERSISTENT_COMMAND_TIMEOUT="60", ANSIBLE_DEPRECATION_WARNINGS="False")
        done = subprocess.run(["ansible-playbook", "-i", str(out / "inventory.yml"), str(out / "play.yml"),
                               "--diff"], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
        yield lab, json.loads((out / "results.json").read_text()), done.stdout


def test_ios_command(played: tuple[Lab, dict[str, Any], str]) -> None:
    _, results, _ = played
    version, brief = results["cmd"]["stdout"]
    assert version.startswith("Cisco IOS XE Software") and "Tunnel100" in brief


def test_ios_facts_match_the_router(played: tuple[Lab, dict[str, Any], str]) -> None:
    lab, results, _ = played
    facts = results["facts"]
    assert facts["ansible_net_hostname"] == "hub1" and facts["ansible_net_model"] == "CSR1000V"
    brief = lab.run("hub1", "show ip interface brief").splitlines()[1:]
    names = {line.split()[0] for line in brief if line.strip()} - {"Loopback71"}   # added after the facts
    assert set(facts["ansible_net_interfaces"]) == names      # nothing invented from an error text
    assert "172.16.100.1" in facts["ansible_net_all_ipv4_addresses"]
    assert facts["ansible_net_memtotal_mb"] > 0 and facts["ansible_net_filesystems"] == ["flash:"]


def test_ios_config_backup_and_diff(played: tuple[Lab, dict[str, Any], str]) -> None:
    lab, results, stdout = played
    assert results["cfg"]["changed"] and results["cfg"]["updates"] == ["interface Loopback71",
                                                                         "description via ansible"]
    backup = Path(results["cfg"]["backup_path"]).read_text()
    assert "hostname hub1" in backup and "Loopback71" not in backup
    assert not results["cfg_again"]["changed"]
    diff = stdout.split("TASK [config with backup]", 1)[1].split("TASK [", 1)[0]     # --diff, against running
    assert "+interface Loopback71\n+ description via ansible\n" in diff and "--- before" in diff
    assert " description via ansible" in lab.run("hub1", "show running-config interface Loopback71")


def test_ios_banner_multiline(played: tuple[Lab, dict[str, Any], str]) -> None:
    lab, results, _ = played
    assert results["banner"]["changed"] and not results["banner_again"]["changed"]
    assert lab.run("hub1", "show banner motd").strip() == "Authorised access only\ndmvpn-ops lab"
    assert "banner motd ^C\nAuthorised access only\ndmvpn-ops lab\n^C" in lab.running_config("hub1")


def test_net_put_copies_to_flash(played: tuple[Lab, dict[str, Any], str]) -> None:
    lab, results, _ = played
    assert results["put"]["changed"], results["put"]
    assert lab.run("hub1", "more flash:/netput.cfg") == "interface Loopback72\n description via net_put\nend\n"
