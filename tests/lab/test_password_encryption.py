"""Lab: `service password-encryption` (type 7) and `password encryption aes` with a master key (type 6),
over netmiko, as the Cisco guides cited in dmvpn_ops.lab.pwcrypt describe them."""
from __future__ import annotations

import re
from typing import Any

import pytest

from dmvpn_ops.deploy.secret_forms import decode_type7

pytestmark = pytest.mark.lab


def _run(conn: Any) -> str:
    return str(conn.send_command("show running-config"))


def test_type7_at_once_and_kept_after_no_service(connect: Any) -> None:
    conn = connect("spoke1")
    conn.send_config_set(["username ops privilege 1 password Ops-pass-4411", "line vty 0 4",
                          "password Vty-pw-55e1", "interface Tunnel9", "ip nhrp authentication nhA9x"])
    assert "username ops privilege 1 password 0 Ops-pass-4411" in _run(conn)  # clear (type 0) until the service is on
    conn.send_config_set(["service password-encryption"])
    config = _run(conn)
    found = re.search(r"username ops privilege 1 password 7 (\S+)", config)
    assert found and decode_type7(found.group(1)) == "Ops-pass-4411" and "Vty-pw-55e1" not in config
    assert re.search(r"^ password 7 \S+$", config, re.M)
    assert "ip nhrp authentication nhA9x" in config  # never encrypted
    conn.send_config_set(["no service password-encryption"])
    assert "password 7 " + found.group(1) in _run(conn)  # nothing is decrypted


def test_type6_needs_a_master_key_never_shown_and_survives_replace(connect: Any, lab: Any) -> None:
    conn = connect("spoke1")
    psk = "Psk-lab-91aa"
    conn.send_config_set(["crypto ikev2 keyring KR9", "peer ANY", "address 0.0.0.0 0.0.0.0",
                          f"pre-shared-key {psk}", "exit", "exit", "crypto keyring KR1",
                          "pre-shared-key address 0.0.0.0 0.0.0.0 key Isk-lab-22", "exit",
                          "password encryption aes"])
    assert f"pre-shared-key {psk}" in _run(conn)  # no master key: nothing encrypted
    conn.send_config_set(["key config-key password-encrypt Master-k3y-77"])
    config = _run(conn)
    assert psk not in config and "Master-k3y-77" not in config and "config-key" not in config
    assert re.search(r"^  pre-shared-key 6 [A-`]+AAB$", config, re.M)
    assert re.search(r"^ pre-shared-key address 0.0.0.0 0.0.0.0 key 6 [A-`]+AAB$", config, re.M)
    assert "password encryption aes" in config
    conn.send_command("copy running-config flash:t6.cfg", expect_string=r"\?|#")
    conn.send_command("\n", expect_string=r"#")
    conn.send_command("configure replace flash:t6.cfg force", read_timeout=30)
    replaced = _run(conn)
    assert re.search(r"pre-shared-key 6 ", replaced) and psk not in replaced
    # the master key survived the replace, so the router (the cloud model's view) still reads the keys
    cloud_view = lab.core.config_of("spoke1")
    assert f"pre-shared-key {psk}" in cloud_view and "key Isk-lab-22" in cloud_view
