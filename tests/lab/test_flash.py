"""flash: as IOS has it, over real SSH with netmiko: one name per file, dir/verify/delete/copy, file prompt
quiet, archive differences and incremental-diffs, configure replace with revert trigger error."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def flab(design: Design) -> Iterator[Lab]:
    with Lab(design, ports="free") as running:
        yield running


@pytest.fixture(scope="module")
def conn(flab: Lab, design: Design) -> Iterator[Any]:
    from netmiko import ConnectHandler
    spec = design.hosts["spoke1"]
    assert spec.password is not None and spec.enable_secret is not None
    c = ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=flab.port("spoke1"),
                       username=spec.username, password=spec.password.reveal(), secret=spec.enable_secret.reveal())
    c.enable()
    yield c
    c.disconnect()


def _timing(conn: Any) -> Callable[[str], str]:
    return lambda cmd: str(conn.send_command_timing(cmd, strip_prompt=False, strip_command=False))


def test_slash_bootflash_and_plain_names_are_one_file(conn: Any, flab: Lab) -> None:
    conn.send_config_set(["file prompt quiet"])
    out = conn.send_command("copy running-config flash:/one.cfg")
    assert re.search(r"^\d+ bytes copied in", out), out
    assert "Directory of flash:/one.cfg" in conn.send_command("dir flash:one.cfg")
    assert "Directory of flash:/one.cfg" in conn.send_command("dir bootflash:/one.cfg")
    listing = conn.send_command("dir flash:")
    assert listing.count("one.cfg") == 1 and re.search(r"\d+ bytes total \(\d+ bytes free\)", listing)
    size = int(conn.send_command("dir flash:/one.cfg").splitlines()[2].split()[2])
    stored = flab.core.routers["spoke1"].flash["flash:one.cfg"][0]
    assert size == len(stored.encode()) and "hostname spoke1" in stored


def test_verify_md5_is_the_md5_of_the_content(conn: Any) -> None:
    conn.send_config_set(["file prompt quiet"])
    conn.send_command("copy running-config flash:/md5.cfg")
    text = conn.send_command("more flash:/md5.cfg", strip_prompt=True)
    out = conn.send_command("verify /md5 flash:/md5.cfg")
    got = re.search(r"verify /md5 \(flash:/md5.cfg\) = ([0-9a-f]{32})", out)
    assert got is not None, out
    # netmiko strips the trailing newline of `more`; the file ends with one
    assert got.group(1) in {hashlib.md5(t.encode()).hexdigest() for t in (text, text + "\n")}


def test_missing_file_errors_as_ios(conn: Any) -> None:
    assert "%Error opening flash:/nope.cfg (No such file or directory)" in conn.send_command("dir flash:/nope.cfg")
    assert "%Error opening flash:/nope.cfg (No such file or directory)" in conn.send_command(
        "verify /md5 flash:/nope.cfg")
    assert "%Error deleting flash:nope.cfg (No such file or directory)" in conn.send_command("delete flash:nope.cfg")


def test_delete_quiet_and_copy_null(conn: Any) -> None:
    conn.send_config_set(["file prompt quiet"])
    conn.send_command("copy running-config flash:/gone.cfg")
    conn.send_command("delete flash:/gone.cfg")
    assert "No such file" in conn.send_command("dir flash:gone.cfg")
    conn.send_command("copy null: flash:/empty.cfg")
    row = conn.send_command("dir flash:/empty.cfg").splitlines()[2].split()
    assert row[2] == "0" and row[-1] == "empty.cfg"


def test_prompts_without_file_prompt_quiet(conn: Any) -> None:
    conn.send_config_set(["no file prompt quiet"])
    run = _timing(conn)
    assert "Destination filename [asked.cfg]?" in run("copy running-config flash:asked.cfg")
    assert "bytes copied" in run("")
    assert "Delete filename [asked.cfg]?" in run("delete flash:asked.cfg")
    assert "[confirm]" in run("")
    run("")
    assert "No such file" in conn.send_command("dir flash:asked.cfg")


def test_archive_differences_and_incremental_diffs(conn: Any, flab: Lab) -> None:
    conn.send_config_set(["file prompt quiet"])
    conn.send_command("copy running-config flash:/base.cfg")
    conn.send_config_set(["interface Loopback77", "description diff-me"])
    diff = conn.send_command("show archive config differences flash:/base.cfg system:/running-config")
    assert diff.splitlines()[0] == "!Contextual Config Diffs:"
    assert "+interface Loopback77" in diff and " +description diff-me" in diff
    same = conn.send_command("show archive config differences system:running-config system:running-config")
    assert same.splitlines()[-1] == "!No changes were found"
    none = conn.send_command("show archive config incremental-diffs flash:/base.cfg ignorecase")
    assert none.splitlines() == ["!List of Commands:", "end", "!No changes were found"]
    flab.core.routers["spoke1"].flash["flash:inc.cfg"] = (
        "interface Loopback77\n description diff-me\ninterface Loopback88\n description new\nend\n", 0.0)
    inc = conn.send_command("show archive config incremental-diffs flash:inc.cfg ignorecase")
    assert inc.splitlines() == ["!List of Commands:", "interface Loopback88", " description new", "end"]


def test_configure_replace_revert_trigger_error_restores(conn: Any, flab: Lab) -> None:
    conn.send_config_set(["file prompt quiet", "interface Loopback55", "description keep-me"])
    conn.send_command("copy running-config flash:/good.cfg")
    before = flab.running_config("spoke1")
    flab.core.routers["spoke1"].flash["flash:bad.cfg"] = ("hostname spoke1\nthis is not ios\n", 0.0)
    out = conn.send_command("configure replace flash:/bad.cfg force revert trigger error",
                            expect_string=r"#", read_timeout=30)
    assert "The original configuration has been successfully restored." in out
    assert "Loopback55" in flab.running_config("spoke1")
    ok = conn.send_command("configure replace flash:good.cfg force", expect_string=r"#")
    assert "Rollback Done" in ok and "error" not in ok.lower()
    assert flab.running_config("spoke1").split("!\n", 2)[-1] == before.split("!\n", 2)[-1]


def test_show_file_systems_boot_and_banner(conn: Any) -> None:
    fs = conn.send_command("show file systems")
    assert re.search(r"^\*\s+\d+\s+\d+\s+disk\s+rw\s+bootflash: flash:", fs, re.M)
    assert conn.send_command("show boot").startswith("BOOT variable = ")
    conn.send_config_set(["banner motd ^Cauthorised use only^C"])
    assert conn.send_command("show banner motd").strip() == "authorised use only"


def test_netmiko_file_transfer_put_and_get(conn: Any, flab: Lab, tmp_path: Any) -> None:
    from netmiko import file_transfer
    conn.send_config_set(["ip scp server enable"])
    local = tmp_path / "xfer.cfg"
    local.write_text("interface Loopback31\n description netmiko file_transfer\nend\n")
    put = file_transfer(conn, source_file=str(local), dest_file="xfer.cfg", file_system="flash:",
                        direction="put", overwrite_file=True)
    assert put["file_exists"] and put["file_transferred"] and put["file_verified"], put
    assert flab.run("spoke1", "more flash:/xfer.cfg") == local.read_text()
    again = file_transfer(conn, source_file=str(local), dest_file="xfer.cfg", file_system="flash:",
                          direction="put", overwrite_file=True)
    assert again["file_verified"] and not again["file_transferred"]     # same MD5: nothing to copy
    back = tmp_path / "back.cfg"
    got = file_transfer(conn, source_file="xfer.cfg", dest_file=str(back), file_system="flash:", direction="get",
                        overwrite_file=True)
    assert got["file_verified"] and back.read_text() == local.read_text()


def test_configure_replace_with_a_revert_timer_needs_the_archive(conn: Any, flab: Lab) -> None:
    conn.send_config_set(["file prompt quiet", "no archive"])
    conn.send_command("copy running-config flash:/timed.cfg")
    refused = conn.send_command("configure replace flash:/timed.cfg force revert trigger error timer 5",
                                expect_string=r"#")
    assert refused.strip() == "%Please turn config archive on"
    conn.send_config_set(["archive", "path flash:arch"])
    conn.send_command("copy running-config flash:/timed.cfg")
    done = conn.send_command("configure replace flash:/timed.cfg force revert trigger error timer 5",
                             expect_string=r"#")
    assert "Rollback Done" in done
    assert "Timer value" in conn.send_command("show archive config rollback timer")
    conn.send_command("configure confirm")
    assert "No Rollback Confirmed Change pending" in conn.send_command("show archive config rollback timer")


def test_show_archive_without_the_feature(conn: Any) -> None:
    conn.send_config_set(["no archive"])
    assert conn.send_command("show archive").strip() == "Archive feature not enabled"
    conn.send_config_set(["archive", "path flash:arch"])
    assert conn.send_command("show archive").startswith("The maximum archive configurations allowed is 10.")
