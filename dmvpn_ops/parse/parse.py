"""The parse entry point: (command, captured text) -> list of typed flat records, or UnparseableOutput."""
from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable
from importlib import resources
from typing import Any

import textfsm

from dmvpn_ops.errors import InputError, ParseError
from dmvpn_ops.parse.commands import CommandSpec, resolve_command
from dmvpn_ops.parse.complete import COMPLETENESS, FILTERED_COMPLETENESS, cut_value
from dmvpn_ops.parse.convert import CONVERTERS
from dmvpn_ops.parse.fast import parse_dmvpn_fast, parse_ikev2_fast, parse_nhrp_fast
from dmvpn_ops.parse.normalise import clean, device_error

__all__ = ["parse", "parse_lines", "UnparseableOutput", "UnsupportedCommand", "template_path"]


class UnparseableOutput(ParseError):
    """The text is not what the command prints (UNPARSEABLE_OUTPUT); ``reason`` says why."""

    def __init__(self, reason: str, *, command: str | None = None, line: int | None = None,
                 file: str | None = None, host: str | None = None) -> None:
        self.reason = reason
        self.line = line
        label = f"`{command}`" if command else "the command"
        super().__init__(f"output is not parseable as {label} output: {reason}", command=command,
                         file=file, host=host)


class UnsupportedCommand(InputError):
    """The command is not one dmvpn-ops can parse (exit 2)."""


class _Template:
    """A template compiled once per process; TextFSM objects are stateful, hence the lock.

    ``flat`` builds the variant for filtered output (`| include ...`): every state's rules
    in one state, state changes dropped, because the lines that would move the machine
    (headers, section openers) may be the ones the filter removed.
    """

    def __init__(self, name: str, *, flat: bool = False) -> None:
        source = resources.files("dmvpn_ops.parse").joinpath("templates", name).read_text()
        self.fsm = textfsm.TextFSM(io.StringIO(_flatten(source) if flat else source))
        self.lock = threading.Lock()

    def parse(self, text: str) -> list[dict[str, Any]]:
        with self.lock:
            self.fsm.Reset()
            rows: list[dict[str, Any]] = self.fsm.ParseTextToDicts(text)
            return rows


_TEMPLATES: dict[str, _Template] = {}
_TEMPLATES_LOCK = threading.Lock()
_FSM_ERROR = re.compile(r"Input Line:\s?(.*)$", re.S)
_STATE = re.compile(r"^[A-Za-z]\w*$")
_ACTION = re.compile(r"\s+->\s+(.*)$")


def _flatten(source: str) -> str:
    """One-state version of a template (see ``_Template``); the catch-all Error stays last."""
    head, rules, eof = [], [], []
    state = ""
    for line in source.splitlines():
        if _STATE.match(line):
            state = line
            continue
        if not state:
            head.append(line)
            continue
        if state == "EOF":
            eof.append(line)
            continue
        if not line.strip().startswith("^"):
            continue
        match = _ACTION.search(line)
        if match:
            actions = [a for a in match.group(1).split() if not _STATE.match(a) or a in {"Record", "Continue",
                                                                                       "Next", "Clear", "Clearall",
                                                                                       "NoRecord", "Error"}]
            if "Error" in actions:
                continue
            line = line[:match.start()] + (" -> " + " ".join(actions) if actions else "")
        rules.append(line)
    body = [*head, "Start", *dict.fromkeys(rules), "  ^. -> Error"]
    return "\n".join(body + (["", "EOF", *eof] if state == "EOF" or eof else [])) + "\n"


def _template(name: str, *, flat: bool = False) -> _Template:
    key = f"{name}#flat" if flat else name
    cached = _TEMPLATES.get(key)
    if cached is None:
        with _TEMPLATES_LOCK:
            cached = _TEMPLATES.get(key) or _Template(name, flat=flat)
            _TEMPLATES[key] = cached
    return cached


_FAST = {"cisco_ios_show_dmvpn.textfsm": parse_dmvpn_fast, "cisco_ios_show_ip_nhrp.textfsm": parse_nhrp_fast,
         "cisco_ios_show_crypto_ikev2_sa.textfsm": parse_ikev2_fast}


def _fast(spec: CommandSpec, lines: list[str]) -> list[dict[str, Any]] | None:
    """The fast path of a big table (parse/fast.py), or None to let the template decide."""
    fast = _FAST.get(spec.template)
    return fast(lines) if fast else None


def template_path(spec: CommandSpec) -> str:
    """Filesystem path of the packaged template for a command (for docs and tests)."""
    return str(resources.files("dmvpn_ops.parse").joinpath("templates", spec.template))


def parse(command: str, text: str, *, host: str | None = None, file: str | None = None,
          paste: bool = False) -> list[dict[str, Any]]:
    """Parse captured IOS output of a supported show command into flat records.

    Args:
        command: the show command as typed, abbreviations allowed (`sh dmvpn`).
        text: the raw capture: may carry CRLF, tabs, an echoed prompt, pager debris.
        host: device name, only used to label errors.
        file: capture file, only used to label errors.
        paste: the text was pasted by a person (ticket, mail, web page): undo HTML
            entities, Markdown fences and a trailing prompt first (``normalise.clean``).
            Device output keeps the default, strict ``False``.

    Returns:
        One dict per record (see the package docstring for the fields); [] for an
        empty table.

    Raises:
        UnsupportedCommand: the command is not in SUPPORTED_COMMANDS.
        UnparseableOutput: the text is an IOS error, empty where the command always
            prints a header, or contains lines the command never prints.
    """
    spec = resolve_command(command)
    if spec is None:
        from dmvpn_ops.parse.commands import SUPPORTED_COMMANDS
        raise UnsupportedCommand(f"cannot parse `{' '.join(command.split())}`; supported: "
                                 f"{', '.join(SUPPORTED_COMMANDS)}.", host=host, file=file)
    lines, first_line = clean(text, paste=paste)
    return parse_lines(spec, lines, host=host, file=file, first_line=first_line)


def parse_lines(spec: CommandSpec, lines: list[str], *, host: str | None = None,
                file: str | None = None, fast: bool = True, first_line: int = 1) -> list[dict[str, Any]]:
    """Parse already-normalised lines with a resolved spec (see ``parse``); ``fast=False``
    forces the TextFSM template even where a fast path exists (tests compare both).
    ``first_line`` is the number of ``lines[0]`` in the original capture, for error messages."""
    def fail(reason: str, line: int | None = None) -> UnparseableOutput:
        return UnparseableOutput(reason, command=spec.name, line=line, host=host, file=file)

    error = device_error(lines)
    if error:
        raise fail(f"the device answered with an error: {error!r}")
    if not lines:
        if spec.empty_ok:
            return []
        raise fail("the output is empty, but IOS always prints a header for this command")
    records = _fast(spec, lines) if fast and not spec.detail and not spec.filtered else None
    if records is None:
        records = _template_records(spec, lines, fail, first_line)
    cut = cut_value(spec.template, records, lines)
    if cut:
        raise fail(f"the output ends inside a value ({cut[0]} {cut[1]!r}): it was cut short",
                   len(lines) - 1 + first_line)
    complete = (FILTERED_COMPLETENESS if spec.filtered else COMPLETENESS).get(spec.template)
    missing = complete(lines, records) if complete else None
    if missing:
        raise fail(missing)
    if spec.filtered:  # a filter can remove the line a field comes from: absent, not ""
        records = [{key: None if value == "" else value for key, value in r.items()} for r in records]
    return records


def _template_records(spec: CommandSpec, lines: list[str], fail: Callable[..., UnparseableOutput],
                      first_line: int) -> list[dict[str, Any]]:
    """The TextFSM template's rows, converted to records; a line no rule knows is named by its number."""
    try:
        rows = _template(spec.template, flat=spec.filtered).parse("\n".join(lines) + "\n")
    except textfsm.TextFSMError as exc:
        match = _FSM_ERROR.search(str(exc))
        bad = match.group(1).rstrip("\n") if match else ""
        index = next((i for i, line in enumerate(lines) if line == bad), None)
        number = None if index is None else index + first_line
        where = f"line {number}" if number else "a line"
        raise fail(f"{where} is not part of this command's output: {bad.strip()!r}", number) from None
    convert = CONVERTERS[spec.template]
    try:
        return [convert(row, spec.detail) for row in rows]
    except (ValueError, KeyError, TypeError) as exc:  # e.g. a continuation row with no parent row
        raise fail(f"malformed table ({exc})") from None
