"""EXEC command handlers: privilege, terminal, show version/clock/users, configure, and cloud dispatch."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from dmvpn_ops.lab import acls, config, files
from dmvpn_ops.lab.clock import format_clock, format_stamp, format_uptime_words
from dmvpn_ops.lab.grammar import Match
from dmvpn_ops.lab.image import BANNER
from dmvpn_ops.lab.router import Revert

if TYPE_CHECKING:
    from dmvpn_ops.lab.session import Reply, Session

Handler = Callable[["Session", Match], "Reply"]


def run(s: Session, m: Match) -> Reply:
    """Dispatch a parsed EXEC command to its handler (local or the cloud model)."""
    from dmvpn_ops.lab.session import Reply
    meta = m.entry.meta if m.entry else {}
    if meta.get("cloud"):
        cloud = s.core.cloud
        text = cloud.execute(s.router.name, m.text) if cloud is not None else None  # type: ignore[attr-defined]
        return Reply(text or "")
    name = meta["do"]
    handler = HANDLERS.get(name) or getattr(files, name)
    return handler(s, m)


def _reply(text: str = "", close: bool = False) -> Reply:
    from dmvpn_ops.lab.session import Reply
    return Reply(text, close)


def enable(s: Session, m: Match) -> Reply:
    if s.privileged:
        return _reply()
    if config.find(s.router.running, ("enable", "secret")) is None and \
            config.find(s.router.running, ("enable", "password")) is None:
        return _reply("% No password set")
    return s.ask("Password: ", lambda pw: _check_enable(s, pw, 1), hide=True)


def _check_enable(s: Session, password: str, attempt: int) -> Reply:
    if s.router.check_enable(password.strip()):
        s.privileged = True
        return _reply()
    if attempt >= 3:
        return _reply("% Bad secrets\n")
    return s.ask("Password: ", lambda pw: _check_enable(s, pw, attempt + 1), hide=True)


def disable(s: Session, m: Match) -> Reply:
    s.privileged = False
    return _reply()


def leave(s: Session, m: Match) -> Reply:
    return _reply(close=True)


def terminal(s: Session, m: Match) -> Reply:
    if m.tokens[1] == "length":
        s.length = int(m.tokens[2])
    elif m.tokens[1] == "width":
        s.width = int(m.tokens[2])
    return _reply()


def clock(s: Session, m: Match) -> Reply:
    cloud = s.core.cloud
    if cloud is not None:
        return _reply(cloud.clock.format_clock())  # type: ignore[attr-defined]
    return _reply(format_clock(s.router.clock.now()))


def users(s: Session, m: Match) -> Reply:
    rows = ["    Line       User       Host(s)              Idle       Location",
            f"*{866 + s.line_no:>4} vty {s.line_no:<6}{s.user:<11}idle                 00:00:00 {s.peer}",
            "", "  Interface    User               Mode         Idle     Peer Address", ""]
    return _reply("\n".join(rows))


def privilege(s: Session, m: Match) -> Reply:
    return _reply(f"Current privilege level is {15 if s.privileged else 1}")


def version(s: Session, m: Match) -> Reply:
    r = s.router
    up = format_uptime_words(r.clock.now() - r.booted_at)
    phys = sum(1 for ln in r.running if ln.text.startswith("interface GigabitEthernet"))
    return _reply(_VERSION.format(host=r.hostname, up=up, phys=max(phys, 1)))


_VERSION = "Cisco IOS XE Software, Version 17.03.04a\n" + BANNER + """


Cisco IOS-XE software, Copyright (c) 2005-2021 by cisco Systems, Inc.
All rights reserved.  Certain components of Cisco IOS-XE software are
licensed under the GNU General Public License ("GPL") Version 2.0.

ROM: IOS-XE ROMMON

{host} uptime is {up}
Uptime for this control processor is {up}
System returned to ROM by reload
System image file is "bootflash:packages.conf"
Last reload reason: reload



This product contains cryptographic features and is subject to United
States and local country laws governing import, export, transfer and
use. Delivery of Cisco cryptographic products does not imply
third-party authority to import, export, distribute or use encryption.

License Level: ax
License Type: N/A(Smart License Enabled)
Next reload license Level: ax

The current crypto throughput level is 1000 kbps


Smart Licensing Status: UNREGISTERED/No Licenses in Use

cisco CSR1000V (VXE) processor (revision VXE) with 2072007K/3075K bytes of memory.
Processor board ID 9LAB0DMVPN0
Router operating mode: Autonomous
{phys} Gigabit Ethernet interfaces
32768K bytes of non-volatile configuration memory.
3978244K bytes of physical memory.
6188032K bytes of virtual hard disk at bootflash:.

Configuration register is 0x2102
"""


def configure(s: Session, m: Match) -> Reply:
    if "revert" in m.tokens:
        minutes = int(m.tokens[-1])
        if not 1 <= minutes <= 120:  # `revert timer <1-120>` (Cisco IOS Configuration Fundamentals Command Reference)
            return _reply(_out_of_range(s, m))
        if not files.archive_path(s):
            # Rollback Confirmed Change needs the archive feature (an `archive` block with a `path`); without it
            # IOS refuses the command and stays in EXEC mode. Sources: Cisco Configuration Replace and
            # Configuration Rollback guide (archive required for the revert timer), Cisco NSO IOS NED
            # config-mode responses and public tooling tests: '%Turn config archive on before using Rollback
            # Confirmed Change'.
            return _reply(NO_ARCHIVE)
        now = s.router.clock.now()
        s.router.revert = Revert(config.copy_tree(s.router.running), now + 60 * minutes, now, s.user)
    s.enter_config()
    return _reply(_config_banner())


# IOS's refusal of `configure terminal revert timer N` without an archive path (sources above `configure`).
NO_ARCHIVE = "%Turn config archive on before using Rollback Confirmed Change"


def _out_of_range(s: Session, m: Match) -> str:
    """IOS marks a value outside its range like any other invalid input, under the value (after `host#`)."""
    column = len(m.text.rstrip()) - len(m.text.split()[-1]) + len(s.router.hostname) + 1
    return " " * column + "^\n% Invalid input detected at '^' marker.\n"


def _config_banner() -> str:
    from dmvpn_ops.lab.session import CONFIG_BANNER
    return CONFIG_BANNER


# IOS's words when no revert timer runs, no space after '%': a real IOS-XE lab log and NAPALM's integration
# tests against real devices (napalm ios test_commit_confirm: '%No Rollback Confirmed Change pending',
# 'Timer value: 3 min'); NAPALM's ios driver parses 'Timer type: ', 'Timer value: ', 'User: ' unpadded.
NO_PENDING = "%No Rollback Confirmed Change pending"


def confirm(s: Session, m: Match) -> Reply:
    if s.router.revert is None:
        return _reply(NO_PENDING)
    s.router.revert = None
    return _reply()


def revert(s: Session, m: Match) -> Reply:
    r = s.router
    if r.revert is None:
        return _reply(NO_PENDING)
    if m.tokens[2] == "now":
        r.revert.deadline = r.clock.now()
        r.tick()
    elif not 1 <= int(m.tokens[3]) <= 120:  # `configure revert timer <1-120>` (same reference)
        return _reply(_out_of_range(s, m))
    else:
        r.revert.armed = r.clock.now()  # "Time configured(or reset)": the reset restarts the timer
        r.revert.deadline = r.revert.armed + 60 * int(m.tokens[3])
    return _reply()


def rollback_timer(s: Session, m: Match) -> Reply:
    """`show archive config rollback timer`: the pending revert (Cisco IOS XE System Management Configuration
    Guide, "Configuration Replace and Configuration Rollback": Time configured(or reset), Timer type, Timer
    value, User); without one IOS answers that no Rollback Confirmed Change is pending."""
    r = s.router
    if r.revert is None:
        return _reply(NO_PENDING)
    minutes = max(1, round((r.revert.deadline - r.revert.armed) / 60))
    rows = [("Time configured(or reset)", format_stamp(r.revert.armed)), ("Timer type", "Revert timer"),
            ("Timer value", f"{minutes} min"), ("User", r.revert.user)]
    return _reply("\n".join(f"{k}: {v}" for k, v in rows))  # 'Timer value: 3 min' (real capture, see NO_PENDING)


def reload(s: Session, m: Match) -> Reply:
    def proceed(answer: str) -> Reply:
        if answer.strip().lower() not in ("", "y", "yes", "confirm"):
            return _reply()
        s.core.reload(s.router.name)
        return _reply("\n", close=True)

    def save_first(answer: str) -> Reply:
        word = answer.strip().lower()
        if word not in ("yes", "y", "no", "n"):
            return s.ask("% Please answer 'yes' or 'no'.\nSystem configuration has been modified. "
                         "Save? [yes/no]: ", save_first)
        text = ""
        if word.startswith("y"):
            s.router.save(s.user)
            text = "Building configuration...\n[OK]\n"
        return s.ask(text + "Proceed with reload? [confirm]", proceed)

    if not s.router.saved:
        return s.ask("\nSystem configuration has been modified. Save? [yes/no]: ", save_first)
    return s.ask("Proceed with reload? [confirm]", proceed)


HANDLERS: dict[str, Handler] = {
    "enable": enable, "disable": disable, "exit": leave, "terminal": terminal, "clock": clock,
    "users": users, "privilege": privilege, "version": version, "configure": configure,
    "confirm": confirm, "revert": revert, "reload": reload, "rollback_timer": rollback_timer,
    "access_lists": acls.show_access_lists,
}
