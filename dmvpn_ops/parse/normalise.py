"""Clean messy captured IOS text before it meets a template.

Two modes because the two sources differ in trust. Device output (collect, verify):
CRLF, tabs, pager and prompt debris, nothing more, so a line the command never prints
stays an error. ``clean(text, paste=True)`` is for captures an operator pasted from a
ticket, a mail or a web page (`dmvpn-ops parse FILE`): it also undoes HTML entities and
tags, Markdown code fences and indented blocks, and cuts a trailing prompt with whatever
was typed after it. Both say where the output starts in the original text, so an unknown
line is reported with the number the operator sees in the file.
"""
from __future__ import annotations

import html
import re

__all__ = ["normalise", "clean", "device_error"]

# The IOS pager prints " --More-- " and then erases it with backspaces and spaces;
# a capture taken without `terminal length 0` keeps both halves.
_MORE = re.compile(r" ?--More--\s*(?:\x08+\s*\x08*)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# `hub1#show dmvpn`, `spoke-2>sh ip nhrp`, `R1(config)#do show dmvpn`
_PROMPT_ECHO = re.compile(r"^[\w.\-/:@]+(?:\([\w\-]+\))?[#>]\s*(?:do\s+)?sh(?:o|ow)?\s", re.I)
# a bare command echo, or one whose prompt lost its hostname (`# show ip eigrp neighbors`)
_COMMAND_ECHO = re.compile(r"^(?:#\s*)?sh(?:o|ow)?\s+\S", re.I)
_BARE_PROMPT = re.compile(r"^[\w.\-/:@]+(?:\([\w\-]+\))?[#>]\s*$")
# any prompt, with or without a command after it (`hub1#`, `hub1#exit`, `spoke1(config)#end`)
_ANY_PROMPT = re.compile(r"^[A-Za-z][\w.\-/:@]*(?:\([\w\-]+\))?[#>](?:$|\s|[a-z])")
# exec-timestamp preamble (`terminal exec prompt timestamp`)
_TIMESTAMP = re.compile(r"^(?:Load for five secs|Time source is|No time source)", re.I)
_ERROR = re.compile(r"^\s*%\s*\S")
_ECHO_SCAN_LINES = 40
# web-page debris: entities (`--&gt;`, `&nbsp;`), the tags a <pre> block carries, invisible spaces
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,6}|#x[0-9A-Fa-f]{1,6});")
_BR = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"</?(?:pre|code|samp|kbd|tt|span|div|p|b|i|strong|em|font|details|summary)\b[^<>]*>", re.I)
_FENCE = re.compile(r"^\s*(?:```|~~~)")
# console/terminal-monitor syslog lines a pasted session interleaves with the output
# (`*Oct 25 19:16:01.153: %CRYPTO-4-IKMP_NO_SA: ...`, `Dec  1 10:00:00 UTC: %DMVPN-5-...`, `000123: ...`)
_SYSLOG = re.compile(r"^\s*(?:\d+:\s+)?[*.]?(?:[A-Z][a-z]{2}\s+\d{1,2}\s+(?:\d{4}\s+)?\d{1,2}:\d{2}:\d{2}(?:\.\d+)?"
                     r"(?:\s+[A-Z]{2,5})?:\s+)?%[A-Z0-9_]+-\d-[A-Z0-9_]+:")
_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u3000": " ", "\u200b": None,
                         "\ufeff": None, "\u2013": "-", "\u2014": "-", "\u2212": "-"})

def normalise(text: str) -> list[str]:
    """Return device output as clean lines (see ``clean``)."""
    return clean(text)[0]


def clean(text: str, *, paste: bool = False) -> tuple[list[str], int]:
    """Return the capture as clean lines: no CR, tabs expanded, right-stripped, dedented.

    Drops a banner and echoed prompt/command before the output, a trailing bare
    prompt, exec-timestamp lines and leading/trailing blank lines. With ``paste``
    the web/ticket clean-up runs first (HTML, Markdown fences, the prompt the paste
    runs on into). Only whole lines at the head and the tail are dropped, so the
    output is one block of the input.

    Args:
        text: raw capture as read from a file or a netmiko session.
        paste: the text was pasted by a person (not read from a device).

    Returns:
        The lines of the output proper (possibly empty) and the 1-based number in
        ``text`` of the first of them (for error messages).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if paste:
        text = _unweb(text)
    if "--More--" in text:
        text = _MORE.sub("", text)
    if "\t" in text:
        text = "\n".join(line.expandtabs(8) for line in text.split("\n"))
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    first = 1
    if paste:
        lines, first = _fenced(lines)
        lines, first = _indented_block(lines, first)
        if "%" in text:
            lines = ["" if _SYSLOG.match(line) else line for line in lines]
    lines, first = _strip_echo(lines, first, first_echo=paste)
    if paste:
        lines = _cut_trailing_prompt(lines)
    while lines and (not lines[-1] or _BARE_PROMPT.match(lines[-1].strip())):
        lines.pop()
    skip = 0
    while skip < len(lines) and (not lines[skip] or _TIMESTAMP.match(lines[skip].lstrip())):
        skip += 1
    return _dedent(lines[skip:]), first + skip


def _unweb(text: str) -> str:
    """Undo what HTML and rich-text editors do to a terminal capture (entities, <pre> tags, nbsp)."""
    if "<" in text:
        text = _BR.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    return text.translate(_SPACES)


def _fenced(lines: list[str]) -> tuple[list[str], int]:
    """Markdown: keep the first ``` / ~~~ fenced block when the paste has one."""
    fences = [i for i, line in enumerate(lines) if _FENCE.match(line)]
    if not fences:
        return lines, 1
    if len(fences) == 1 and any(_PROMPT_ECHO.match(line.lstrip()) for line in lines[:fences[0]]) and \
            not any(_PROMPT_ECHO.match(line.lstrip()) for line in lines[fences[0] + 1:]):
        return lines[:fences[0]], 1  # the paste starts inside the block and ends with its closing fence
    start = fences[0] + 1
    end = fences[1] if len(fences) > 1 else len(lines)
    return lines[start:end], start + 1


def _indented_block(lines: list[str], first: int) -> tuple[list[str], int]:
    """Markdown indented code block: when the echoed command is indented, the block is the lines
    indented at least as much (blank lines included), dedented by that much; the first less indented
    line (the prose after the block) ends it."""
    head = min(len(lines), _ECHO_SCAN_LINES)
    echo = next((i for i in range(head) if _PROMPT_ECHO.match(lines[i].lstrip())), None)
    if echo is None:
        return lines, first
    indent = len(lines[echo]) - len(lines[echo].lstrip())
    if indent == 0:
        return lines, first
    end = next((i for i in range(echo + 1, len(lines))
                if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) < indent), len(lines))
    return [line[indent:] if line.strip() else "" for line in lines[echo:end]], first + echo


def _strip_echo(lines: list[str], first: int, *, first_echo: bool = False) -> tuple[list[str], int]:
    """Banner + `host#show ...` echo: everything up to the last echo in the head goes.

    A paste (``first_echo``) may hold several commands: its output starts after the first
    echo and ends at the next prompt (``_cut_trailing_prompt``).
    """
    head = min(len(lines), _ECHO_SCAN_LINES)
    order = range(head) if first_echo else range(head - 1, -1, -1)
    skip = 0
    for index in order:
        if _PROMPT_ECHO.match(lines[index].lstrip()):
            skip = index + 1
            break
    while skip < len(lines) and not lines[skip]:
        skip += 1
    if skip < len(lines) and _COMMAND_ECHO.match(lines[skip].lstrip()):
        skip += 1
    while first_echo and skip < len(lines) and _PROMPT_ECHO.match(lines[skip].lstrip()):
        skip += 1  # the same command echoed twice (a ticket quoting a capture that has its own echo)
        while skip < len(lines) and not lines[skip]:
            skip += 1
    return (lines[skip:] if skip else lines), first + skip


def _cut_trailing_prompt(lines: list[str]) -> list[str]:
    """A paste often runs on into the next prompt (`hub1#`, `hub1#exit`): the output ends there."""
    for index, line in enumerate(lines):
        if _ANY_PROMPT.match(line.lstrip()):
            return lines[:index]
    return lines


def _dedent(lines: list[str]) -> list[str]:
    """Remove indentation common to every non-blank line (test-file and paste artifacts)."""
    if any(line and line[0] != " " for line in lines):
        return lines  # something starts in column 0 (and blank lines are "" already: right-stripped)
    common = min((len(line) - len(line.lstrip(" ")) for line in lines if line), default=0)
    return [line[common:] if line else "" for line in lines]


def device_error(lines: list[str]) -> str | None:
    """The first IOS error line (``% Invalid input ...``), if the device refused the command."""
    for line in lines:
        if "%" in line and _ERROR.match(line):
            return line.strip()
    return None
