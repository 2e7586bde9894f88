"""One simulated router: running/startup config, flash, archive, confirmed-commit timer, boot."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from dmvpn_ops.lab import banner, config
from dmvpn_ops.lab.clock import format_stamp
from dmvpn_ops.lab.config import Line
from dmvpn_ops.lab.editor import ConfigEditor
from dmvpn_ops.lab.pwcrypt import MASTER_KEY
from dmvpn_ops.lab.type9 import verify9

# What every IOS-XE box shows before anyone configures it.
FACTORY = """version 17.3
service timestamps debug datetime msec
service timestamps log datetime msec
platform qfp utilization monitor load 80
no platform punt-keepalive disable-kernel-core
boot-start-marker
boot-end-marker
no aaa new-model
ip forward-protocol nd
ip http server
ip http secure-server
line con 0
 stopbits 1
"""
# IOS-XE 17.x accepts these on mGRE tunnels and honours them, but `show running-config` omits them.
HIDDEN_17X = ("ip nhrp shortcut", "ip nhrp map multicast dynamic")
_SKIP = re.compile(r"^(Building configuration|Current configuration|Using \d+ out of|end$|\s*$)")


class Clock(Protocol):
    def now(self) -> float: ...


@dataclass
class Revert:
    """A `configure terminal revert timer N` in flight: the tree to go back to, and when."""

    snapshot: list[Line]
    deadline: float
    armed: float = 0.0  # when it was configured (or reset): `show archive config rollback timer`
    user: str = "admin"


class Router:
    """State of one router; outputs are computed from it, never stored."""

    def __init__(self, name: str, bootstrap: str, clock: Clock) -> None:
        self.name = name
        self.clock = clock
        self.startup = FACTORY + bootstrap
        self.flash: dict[str, tuple[str, float]] = {}
        self.running: list[Line] = []
        self.revert: Revert | None = None
        self.archives: list[str] = []
        self.on_change: Callable[[str], None] = lambda name: None
        self.hide_lines = False          # the IOS-XE 17.x display quirk (HIDDEN_17X), opt-in
        self.nvram_at: tuple[float, str] | None = None   # last write to NVRAM (kept across a reload)
        self.boot()
        # NVRAM holds what a write produced, never the typed text: the bootstrap as IOS printed it, written
        # at power-on by nobody (real capture S1 IOS 15.2: `! NVRAM config last updated at 22:31:34 UTC Wed
        # Apr 30 2025`, no user, after a write from the console)
        self.nvram_at = (self.booted_at, "")
        self.startup = self.head() + self.body()

    def boot(self) -> None:
        """Power-on: running config from startup config."""
        self.running = _master_key(self.running)
        load_text(self.running, self.startup)
        self.booted_at = self.clock.now()
        self.last_change: tuple[float, str] | None = None
        self.saved = True
        self.revert = None

    @property
    def hostname(self) -> str:
        line = config.find(self.running, ("hostname",))
        return line.text.split()[1] if line else "Router"

    def changed(self, user: str = "admin") -> None:
        self.last_change = (self.clock.now(), user)
        self.saved = False

    def body(self, full: bool = True, clear: bool = False) -> str:
        lines = config.render(self.running, clear=clear)
        if self.hide_lines and not full:
            lines = _without_hidden(lines)
        return "\n".join(lines) + "\nend\n"

    def head(self) -> str:
        """The comment lines above `version`: the last change (or none since the restart) and the last
        write to NVRAM (real captures: router-01 IOS 15.4 `! Last configuration change at 10:00:00 MSK ... by
        root` / `! NVRAM config last updated at 10:01:00 MSK ... by root`; RANCID and config-backup tools
        filter `! No configuration change since last restart` in its place after a reload)."""
        lines = ["!"]
        if self.last_change:
            lines.append(f"! Last configuration change at {format_stamp(self.last_change[0])} by {self.last_change[1]}")
        elif self.nvram_at:
            lines.append("! No configuration change since last restart")
        if self.nvram_at:
            by = f" by {self.nvram_at[1]}" if self.nvram_at[1] else ""
            lines.append(f"! NVRAM config last updated at {format_stamp(self.nvram_at[0])}{by}")
        if len(lines) > 1:
            lines.append("!")
        return "\n".join(lines) + "\n"

    def running_config(self, full: bool = False, clear: bool = False) -> str:
        """Exactly what `show running-config` prints (``full``: with the lines IOS-XE hides; ``clear``:
        secrets in clear, not in their type 7/6 forms: the cloud model's view)."""
        return current_configuration(self.head() + self.body(full, clear))

    def save(self, user: str = "admin") -> None:
        """`write memory` / `copy running-config startup-config`: NVRAM gets the running config with the
        same comment head `show running-config` then prints (`show startup-config` shows it)."""
        self.nvram_at = (self.clock.now(), user)
        self.startup = self.head() + self.body()
        self.saved = True

    def replace(self, text: str) -> None:
        """`configure replace`: the running config becomes exactly ``text`` (a pending revert is cancelled)."""
        self.revert = None
        self.running = _master_key(self.running)
        load_text(self.running, text)
        self.changed()
        self.on_change(self.name)

    def check_login(self, username: str, password: str) -> bool:
        """`login local`: the username's secret in the running config."""
        for line in self.running:
            words = line.text.split()
            if words[:2] != ["username", username]:
                continue
            if line.secret is not None:
                return line.secret == password
            return _matches(words, password)
        return False

    def check_enable(self, password: str) -> bool:
        line = config.find(self.running, ("enable", "secret")) or config.find(self.running, ("enable", "password"))
        if line is None:
            return False
        if line.secret is not None:
            return line.secret == password
        return _matches(line.text.split(), password)

    def tick(self) -> bool:
        """Fire an expired revert timer (emulated clock); True if the config was rolled back."""
        if self.revert and self.clock.now() >= self.revert.deadline:
            self.running, self.revert = self.revert.snapshot, None
            self.changed("rollback")
            self.on_change(self.name)
            return True
        return False


def current_configuration(text: str) -> str:
    """`show running-config [interface X]` around the config ``text`` (from its first "!" to "end"): IOS's
    byte count is one more than that text's length (real captures: IOSv `show run int tun 1` 276 characters,
    "277 bytes"; iosv-2 Tunnel1 324, "325 bytes"; an IOS Loopback101 97, "98 bytes")."""
    return f"Building configuration...\n\nCurrent configuration : {len(text) + 1} bytes\n{text}"


def _master_key(running: list[Line]) -> list[Line]:
    """The `key config-key` line alone: IOS keeps the master key in private NVRAM across a reload or a
    configure replace (Cisco Encrypted Preshared Key guide), so type 6 values stay readable."""
    return [ln for ln in running if ln.key[:2] == MASTER_KEY]


def _without_hidden(lines: list[str]) -> list[str]:
    out, parent = [], ""
    for line in lines:
        if not line.startswith(" "):
            parent = line
        elif parent.startswith("interface Tunnel") and line.strip() in HIDDEN_17X:
            continue
        out.append(line)
    return out


def _matches(words: list[str], password: str) -> bool:
    for kw in ("secret", "password"):
        if kw in words:
            i = words.index(kw)
            kind, value = (words[i + 1], words[-1]) if len(words) > i + 2 else ("0", words[-1])
            return verify9(password, value) if kind == "9" else kind == "0" and value == password
    return False


def load_text(root: list[Line], text: str) -> list[str]:
    """Apply a whole config text (indentation gives the nesting); returns the lines IOS rejected."""
    editor = ConfigEditor(root)
    rejected = []
    for raw in banner.logical_lines(text.splitlines()):   # a multi-line banner is one config line
        if _SKIP.match(raw) or raw.lstrip().startswith("!"):
            continue
        depth = len(raw) - len(raw.lstrip())
        # `exit-address-family` is indented like its `address-family` but closes it: it runs inside it
        del editor.stack[depth + (2 if raw.strip() == "exit-address-family" else 1):]
        outcome = editor.feed(raw)
        if outcome.error is not None or (outcome.message and not outcome.changed):  # syntax or IOS refusal
            rejected.append(raw)
    return rejected
