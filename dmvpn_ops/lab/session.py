"""One CLI session on a router: privilege, modes and prompts, IOS error messages, pipes, pending prompts."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from dmvpn_ops.lab import banner, pipes
from dmvpn_ops.lab.editor import INVALID, ConfigEditor
from dmvpn_ops.lab.grammar import Grammar, Match, SyntaxError_
from dmvpn_ops.lab.router import Router
from dmvpn_ops.lab.syntax_exec import grammar as exec_grammar

CONFIG_BANNER = "Enter configuration commands, one per line.  End with CNTL/Z."


class Core(Protocol):
    """What a session needs from the lab: the cloud (may be None) and router actions."""

    cloud: object | None
    cloud_commands: tuple[str, ...]

    def config_changed(self, name: str, now: bool = False) -> None: ...
    def reload(self, name: str) -> None: ...
    def syslog(self, name: str, message: str) -> None: ...


@dataclass
class Reply:
    """Text to send (without the trailing prompt) and whether to close the session after it."""

    text: str
    close: bool = False


class Session:
    """CLI state machine: feed it one line at a time, it answers with the text IOS would print."""

    def __init__(self, core: Core, router: Router, user: str, peer: str, line_no: int = 0) -> None:
        self.core, self.router, self.user, self.peer, self.line_no = core, router, user, peer, line_no
        self.privileged = _user_level(router, user) == 15
        self.editor: ConfigEditor | None = None
        self.pending: Callable[[str], Reply] | None = None
        self.hide_input = False
        self.length, self.width = 24, 80

    @property
    def prompt(self) -> str:
        if self.pending is not None:
            return ""
        name = self.router.hostname
        if self.editor is not None:
            return f"{name}({self.editor.mode})#"
        return f"{name}{'#' if self.privileged else '>'}"

    def handle(self, line: str) -> Reply:
        """Run one entered line; the reply excludes the echo and the next prompt."""
        if self.pending is not None:
            pending, self.pending, self.hide_input = self.pending, None, False
            return pending(line)
        if self.editor is not None:
            return self._config_line(line)
        return self.run_exec(line.strip())

    def grammar(self) -> Grammar:
        """The grammar of the mode the session is in (what `?` and Tab look at)."""
        if self.editor is not None:
            from dmvpn_ops.lab.syntax_config import grammar as config_grammar
            return config_grammar(self.editor.table)
        return exec_grammar(self.privileged, self.core.cloud_commands)

    def ask(self, question: str, then: Callable[[str], Reply], hide: bool = False) -> Reply:
        """Print a question and route the next line to ``then`` (IOS [confirm], Password:, ...)."""
        self.pending, self.hide_input = then, hide
        return Reply(question + "\0")  # NUL: no newline after the question

    def run_exec(self, command: str, forced: bool = False) -> Reply:
        if not command:
            return Reply("")
        body, _, pipe = command.partition("|")
        got = exec_grammar(self.privileged or forced, self.core.cloud_commands).parse(body)
        if isinstance(got, SyntaxError_):
            return Reply(self._error(got, command, exec_mode=True))
        from dmvpn_ops.lab import exec_cmds
        reply = exec_cmds.run(self, got)
        if pipe.strip() and not reply.close:
            filtered = pipes.apply(pipe, reply.text)
            if isinstance(filtered, SyntaxError_):
                offset = len(body) + 1 + (len(pipe) - len(pipe.lstrip()))
                return Reply(self._error(SyntaxError_(filtered.kind, filtered.pos + offset), command))
            reply = Reply(filtered)
        return reply

    def enter_config(self) -> None:
        self.editor = ConfigEditor(self.router.running)

    def leave_config(self) -> None:
        """Back to EXEC: IOS logs who configured it from where (real log samples, ossec-docs
        log_samples/cisco/cisco_ios.rst: `%SYS-5-CONFIG_I: Configured from console by admin on vty0
        (1.1.1.1)`), each time config mode is left, changed or not."""
        self.editor = None
        self.core.config_changed(self.router.name, now=True)
        self.core.syslog(self.router.name, f"%SYS-5-CONFIG_I: Configured from console by {self.user} on "
                                           f"vty{self.line_no} ({self.peer})")

    def _config_line(self, line: str) -> Reply:
        assert self.editor is not None
        if self.editor.root is not self.router.running:  # configure replace / reload swapped the tree
            self.editor = ConfigEditor(self.router.running)
        if line.strip() == "\x1a" or line.strip().lower() == "end":
            self.leave_config()
            return Reply("")
        opened = banner.start(line) if self.editor.mode == "config" and "\n" not in line else None
        if isinstance(opened, banner.Pending):   # IOS asks for the text, no prompt until the delimiter
            return self.ask(f"Enter TEXT message.  End with the character '{opened.delim[0]}'.\n",
                            lambda more: self._banner_line(opened, more))
        if isinstance(opened, str):
            line = opened
        outcome = self.editor.feed(line)
        if outcome.error is not None:
            return Reply(self._error(outcome.error, line.strip()))
        if outcome.changed:
            self.router.changed(self.user)
            self.core.config_changed(self.router.name)
        if outcome.action in ("end", "exit-config"):
            self.leave_config()
        elif outcome.action == "do":
            return self.run_exec(outcome.arg, forced=True)
        return Reply(outcome.message)  # IOS's refusal or notice (missing object, VRF move), often empty

    def _banner_line(self, pending: banner.Pending, line: str) -> Reply:
        done = pending.feed(line)
        if done is None:
            return self.ask("", lambda more: self._banner_line(pending, more))
        return self._config_line(done)

    def _error(self, err: SyntaxError_, typed: str, exec_mode: bool = False) -> str:
        if err.kind == "ambiguous":
            return f'% Ambiguous command:  "{typed}"'
        if err.kind == "incomplete":
            return "% Incomplete command.\n"
        if exec_mode and err.pos == 0 and len(typed.split()) == 1 and self.editor is None:
            return _unknown_host(self.router, typed)
        return " " * (len(self.prompt) + err.pos) + "^\n" + INVALID + "\n"


def _unknown_host(router: Router, word: str) -> str:
    # IOS EXEC treats an unknown single word as a host name to telnet to
    from dmvpn_ops.lab import config
    lookup = config.find(router.running, ("no", "ip", "domain", "lookup")) is None
    head = f'Translating "{word}"...domain server (255.255.255.255)\n' if lookup else ""
    return head + "% Unknown command or computer name, or unable to find computer address"


def _user_level(router: Router, user: str) -> int:
    for line in router.running:
        words = line.text.split()
        if words[:2] == ["username", user] and "privilege" in words:
            return int(words[words.index("privilege") + 1])
    return 1


def canonical(match: Match) -> str:
    return match.text
