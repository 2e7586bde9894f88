"""Device operations over a netmiko connection: read, save to flash, push with IOS error detection."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from dmvpn_ops.secrets import mask

__all__ = ["Connection", "PushFailed", "RevertRefused", "IOS_ERROR", "ios_error", "show", "exec_command",
           "running_config",
           "copy_running_to_flash", "delete_flash", "flash_name", "push_lines", "confirm_commit", "write_memory",
           "FLASH_BACKUP"]

# What IOS prints when it rejects a command: parser errors, and AAA command authorization refusals, which a
# TACACS+ server returns without a leading `%` (Cisco IOS Security Configuration Guide, "Configuring
# Authorization": `Command authorization failed.`) or as `% Authorization failed.`
# Refusals of a line that parsed: a missing or in-use object, a bad address (texts as the strict emulator
# prints them, each cited in dmvpn_ops/lab/checks.py: `% VRF X not configured.`, `%IP routing table X does
# not exist. Create first`, `ERROR: transform set with tag X does not exist`, `% IPsec profile X does not
# exist`, `% ... is in use by ... and cannot be removed`, `Bad mask 0x... for address ...`,
# `%Inconsistent address and mask`, `% a.b.c.d overlaps with Tunnel0`, `% Create the peer-group first`,
# `% Specify remote-as or peer-group commands first`, `% Invalid peer-group name`), and IOS-XE's IKEv2 answers
# (Cisco's genielibs ike/configure.py error patterns): `% fvrf X not configured`, `% vrf X not configured`,
# `% Invalid keyring X`, `% No Proposal exists with the specified name X`, `% Cannot remove as proposal is in
# use.`, and `X is linked to a VRF. Enable IPv4 on that VRF first` (`ip address` in a VRF without its IPv4
# address family, ansible/ansible#26725; quoted there without the `%`). Notices IOS prints for a line it
# accepted are not refusals: `% Interface X IPv4 disabled and address(es) removed due to enabling VRF Y`,
# `% Policy already has same proposal set` (an IKEv2 policy given
# a proposal it has: an informational message in Cisco's CCP Express DeviceCommunicator.js and the NSO
# cisco-ios NED's warnings), `IKEv2 profile MUST have: ...` (printed on entering a new IKEv2 profile, public
# IOSv lab sessions), `%WARNING: The tunnel mode has been modified while the tunnel protection is already
# active. ...` (a protected tunnel's mode changed: the mode is applied, a real IOS capture), and `VRF X not
# configured, invalid vrf name`, a warning the cisco-ios NED accepts.
# A LAN sub-interface given `ip address` before `encapsulation dot1Q` (three lines, a real IOS session; caught
# whole so the report shows all of it): `% Configuring IP routing on a LAN subinterface is only allowed if that`
# / `subinterface is already configured as part of an IEEE 802.10, IEEE 802.1Q,` / `or ISL vLAN.`
# An ACL entry on a sequence number in use: `% Duplicate sequence number` (Ansible cisco.ios acls config
# module: "appliance reports % Duplicate sequence number").
IOS_ERROR = re.compile(r"^\s*(% ?Configuring IP routing on a LAN subinterface is only allowed if that *\r?\n"
                       r"[^\n]*802\.1Q,? *\r?\nor ISL vLAN\."
                       r"|% ?Configuring IP routing on a LAN subinterface|% ?Duplicate sequence number"
                       r"|% ?Invalid input|% ?Incomplete command|% ?Ambiguous command"
                       r"|%.*not allowed|% ?Unknown command|%\s*\S.*(failed|[Ee]rror)\b"
                       r"|Command authorization failed|% ?Authorization failed|% ?Permission denied"
                       r"|% ?(VRF|vrf|fvrf) \S+ not configured(?!, invalid vrf name)|%.*does not exist|ERROR: |Bad mask "
                       r"|% ?Invalid keyring |% ?No Proposal exists with the specified name |% ?Cannot remove as "
                       r"|(% ?)?\S+ is linked to a VRF\. Enable IPv4 on that VRF first"
                       r"|% ?Inconsistent address and mask|% ?\S+ overlaps with |%.* is in use by "
                       r"|% ?Create the peer-group first|% ?Specify remote-as or peer-group|% ?Invalid peer-group"
                       r"|% ?(Turn|Please turn) config archive on"  # revert timer / replace without an archive (deploy/revert.py)
                       r").*$", re.M)
FLASH_BACKUP = "dmvpn-ops-backup.cfg"  # prefix; each run adds its own id (two runs never share a file)


def flash_name(run_id: str) -> str:
    """The per-run backup file on flash, e.g. ``dmvpn-ops-backup-20261201T221000-4242.cfg``."""
    return f"{FLASH_BACKUP[:-4]}-{run_id}.cfg" if run_id else FLASH_BACKUP


class RevertRefused(Exception):
    """The device refused `configure terminal revert timer N`: nothing was pushed (no silent fallback)."""


class Connection(Protocol):
    """The part of a netmiko ``BaseConnection`` deploy uses (a fake in unit tests)."""

    def send_command(self, command_string: str, **kwargs: Any) -> Any: ...
    def send_command_timing(self, command_string: str, **kwargs: Any) -> Any: ...
    def send_config_set(self, config_commands: Any = None, **kwargs: Any) -> str: ...
    def config_mode(self, config_command: str = ..., pattern: str = ..., re_flags: int = ...) -> str: ...
    def exit_config_mode(self, exit_config: str = ..., pattern: str = ...) -> str: ...
    def save_config(self, cmd: str = ..., confirm: bool = ..., confirm_response: str = ...) -> str: ...


@dataclass
class PushFailed(Exception):
    """IOS rejected a line: the masked line and device message, and how many lines went in before."""

    line: str
    message: str
    accepted: int

    def __str__(self) -> str:
        return f"IOS rejected '{self.line}' after {self.accepted} line(s): {self.message}"


def ios_error(output: str, extra: Sequence[str] = ()) -> str | None:
    """The first IOS error message in ``output`` (or a match of an ``extra`` regex), masked, or None."""
    for pattern in (IOS_ERROR, *(re.compile(p, re.M) for p in extra)):
        found = pattern.search(output or "")
        if found:
            return mask(found.group(0).strip())
    return None


def exec_command(conn: Connection, command: str, timeout: float) -> str:
    """One EXEC command, read up to the exec prompt.

    Why an explicit prompt: without one netmiko first sends an empty line to find the prompt, and a slow
    device answering that line late leaves every later read one answer behind (a slow device is then
    reported as not answering at all).
    """
    prompt = getattr(conn, "base_prompt", None)
    expect = rf"{re.escape(prompt)}#\s*$" if isinstance(prompt, str) and prompt else None
    return str(conn.send_command(command, read_timeout=timeout, expect_string=expect))


def show(conn: Connection, command: str, timeout: float) -> str:
    return exec_command(conn, command, timeout)


def running_config(conn: Connection, timeout: float) -> str:
    return show(conn, "show running-config", timeout)


def copy_running_to_flash(conn: Connection, timeout: float, name: str = FLASH_BACKUP) -> bool:
    """`copy running-config flash:NAME` answering the destination prompt; False if refused."""
    out = str(conn.send_command(f"copy running-config flash:{name}", expect_string=r"\?|#",
                                read_timeout=timeout))
    if "?" in out.splitlines()[-1] if out.strip() else False:
        out += str(conn.send_command("", expect_string=r"\?|#", read_timeout=timeout))
        if out.rstrip().endswith("?"):  # "Do you want to over write? [confirm]"
            out += str(conn.send_command("", expect_string=r"#", read_timeout=timeout))
    return ios_error(out) is None and "Error" not in out


def delete_flash(conn: Connection, name: str, timeout: float) -> bool:
    """`delete /force flash:NAME` (the per-run backup once it is no longer needed); True if gone."""
    out = exec_command(conn, f"delete /force flash:{name}", timeout)
    return ios_error(out) is None


def _enter_config(conn: Connection, revert_minutes: int) -> bool:
    """Config mode under a revert timer unless ``revert_minutes`` is 0; True if the timer runs.

    Raises:
        RevertRefused: the device refused the revert timer. Falling back to plain `configure terminal`
            would push without the safety net the operator asked for, so the host gets nothing.
    """
    if revert_minutes <= 0:
        conn.config_mode()
        return False
    command = f"configure terminal revert timer {revert_minutes}"
    try:
        out = conn.config_mode(config_command=command)
    except (ValueError, OSError) as exc:  # netmiko: "Failed to enter configuration mode"
        raise RevertRefused(f"device refused `{command}`: {mask(str(exc).strip()[:120])}") from exc
    problem = ios_error(out)
    if problem is not None:
        raise RevertRefused(f"device refused `{command}`: {problem}")
    return True


def push_lines(conn: Connection, lines: Sequence[str], timeout: float,
               revert_minutes: int = 0, extra: Sequence[str] = ()) -> tuple[str, bool]:
    """Send ``lines`` in config mode as one block, then find the first IOS error in the echo.

    The block ends with ``end``; reading up to the exec prompt proves IOS processed every line
    (as a paste would be), which costs one round trip instead of one per line. IOS goes on after
    a rejected line, so a failure always means a rollback, never a partial success.

    Returns:
        The device output (unmasked; mask before showing) and whether a revert timer runs.

    Raises:
        PushFailed: a line was rejected.
    """
    reverting = _enter_config(conn, revert_minutes)
    prompt = re.escape(conn.base_prompt)  # type: ignore[attr-defined]
    conn.write_channel("".join(f"{line}\n" for line in lines) + "end\n")  # type: ignore[attr-defined]
    output = str(conn.read_until_pattern(pattern=rf"\n{prompt}#\s*$", read_timeout=timeout,  # type: ignore[attr-defined]
                                         re_flags=re.M))
    failure = _first_error(output, lines, prompt, extra)
    if failure is not None:
        raise failure
    return output, reverting


def _first_error(output: str, lines: Sequence[str], prompt: str, extra: Sequence[str] = ()) -> PushFailed | None:
    """Walk the echo: each chunk after a config prompt is one command and what IOS said to it.

    The first chunk counts too: entering config mode consumed the first prompt, so the echo starts with the
    first command itself (a refusal of the very first line was missed when it was skipped).
    """
    chunks = re.split(rf"^{prompt}\([^)]*\)#", output, flags=re.M)
    sent = [line.strip() for line in lines]
    position = 0
    for chunk in chunks:
        echoed, _, reply = chunk.partition("\n")
        command = echoed.strip()
        if command in sent[position:]:
            position = sent.index(command, position)
        problem = ios_error(reply, extra)
        if problem:
            return PushFailed(mask(command), problem, position)
    return None


def _leave_config(conn: Connection) -> None:
    conn.exit_config_mode()


def _failure(message: str, lines: Sequence[str]) -> PushFailed:
    """Netmiko says 'at command: CMD, matched error: MSG'; find CMD's position among ``lines``."""
    found = re.search(r"at command: (.*), matched error: (.*)$", message, re.S)
    command, error = (found.group(1), found.group(2)) if found else ("?", message)
    stripped = [line.strip() for line in lines]
    accepted = stripped.index(command.strip()) if command.strip() in stripped else 0
    return PushFailed(mask(command.strip()), mask(error.strip()), accepted)


def confirm_commit(conn: Connection, timeout: float) -> None:
    """Stop the revert timer: the change stays."""
    exec_command(conn, "configure confirm", timeout)


def write_memory(conn: Connection, timeout: float) -> None:
    out = exec_command(conn, "write memory", timeout)
    problem = ios_error(out)
    if problem:
        raise PushFailed("write memory", problem, 0)
