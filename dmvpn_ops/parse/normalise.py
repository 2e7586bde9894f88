"""Clean messy captured IOS text before it meets a template.

Two entry points because the two sources differ in trust. ``normalise`` is for device
output (collect, verify): CRLF, tabs, pager and prompt debris, nothing more, so a line
the command never prints stays an error. ``normalise_paste`` is for captures an operator
pasted from a ticket, a mail or a web page (`dmvpn-ops parse FILE`): it also undoes HTML
entities and tags, Markdown code fences and indented blocks, and cuts a trailing prompt
with whatever was typed after it. Both keep each line's number in the original text, so
an unknown line is reported where the operator can find it.
"""
from __future__ import annotations

import html
import re

__all__ = ["normalise", "normalise_paste", "numbered", "device_error"]

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
_TAG = re.compile(r"</?(?:pre|code|samp|kbd|tt|span|div|p|b|i|strong|em|font)\b[^<>]*>", re.I)
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u3000": " ", "\u200b": None,
                         "\ufeff": None, "\u2013": "-", "\u2014": "-", "\u2212": "-"})

Numbered = list[tuple[int, str]]


def normalise(text: str) -> list[str]:
    """Return device output as clean lines (see ``numbered``)."""
    return [line for _, line in numbered(text)]


def numbered(text: str, *, paste: bool = False) -> Numbered:
    """Return the capture as clean (line number, line) pairs: no CR, tabs expanded,
    right-stripped, dedented.

    Drops a banner and echoed prompt/command before the output, a trailing bare
    prompt, exec-timestamp lines and leading/trailing blank lines. With ``paste``
    the web/ticket clean-up of ``normalise_paste`` runs first.

    Args:
        text: raw capture as read from a file or a netmiko session.
        paste: the text was pasted by a person (not read from a device).

    Returns:
        The lines of the output proper (possibly empty), each with its 1-based
        number in ``text``.
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
    lines = [(number, line.rstrip()) for number, line in enumerate(text.split("\n"), 1)]
    if paste:
        lines = _fenced(lines)
    lines = _strip_echo(lines, first=paste)
    if paste:
        lines = _cut_trailing_prompt(lines)
    while lines and (not lines[-1][1].strip() or _BARE_PROMPT.match(lines[-1][1].strip())):
        lines.pop()
    while lines and (not lines[0][1].strip() or _TIMESTAMP.match(lines[0][1].lstrip())):
        lines.pop(0)
    return _dedent(lines)


def normalise_paste(text: str) -> Numbered:
    """Clean a capture a person pasted (ticket, mail, web page): ``numbered(text, paste=True)``."""
    return numbered(text, paste=True)


def _unweb(text: str) -> str:
    """Undo what HTML and rich-text editors do to a terminal capture (entities, <pre> tags, nbsp)."""
    if "<" in text:
        text = _BR.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    return text.translate(_SPACES)


def _fenced(lines: Numbered) -> Numbered:
    """Markdown: keep the first ``` / ~~~ fenced block when the paste has one."""
    fences = [i for i, (_, line) in enumerate(lines) if _FENCE.match(line)]
    if not fences:
        return lines
    start = fences[0] + 1
    end = fences[1] if len(fences) > 1 else len(lines)
    return lines[start:end]


def _strip_echo(lines: Numbered, *, first: bool = False) -> Numbered:
    """Banner + `host#show ...` echo: everything up to the last echo in the head goes.

    A paste (``first``) may hold several commands: its output starts after the first
    echo and ends at the next prompt (``_cut_trailing_prompt``).
    """
    head = min(len(lines), _ECHO_SCAN_LINES)
    order = range(head) if first else range(head - 1, -1, -1)
    for index in order:
        if _PROMPT_ECHO.match(lines[index][1].lstrip()):
            del lines[: index + 1]
            break
    while lines and not lines[0][1].strip():
        lines.pop(0)
    if lines and _COMMAND_ECHO.match(lines[0][1].lstrip()):
        lines.pop(0)
    while first and lines and _PROMPT_ECHO.match(lines[0][1].lstrip()):
        lines.pop(0)  # the same command echoed twice (a ticket quoting a capture that has its own echo)
        while lines and not lines[0][1].strip():
            lines.pop(0)
    return lines


def _cut_trailing_prompt(lines: Numbered) -> Numbered:
    """A paste often runs on into the next prompt (`hub1#`, `hub1#exit`): the output ends there."""
    for index, (_, line) in enumerate(lines):
        if _ANY_PROMPT.match(line.lstrip()):
            return lines[:index]
    return lines


def _dedent(lines: Numbered) -> Numbered:
    """Remove indentation common to every non-blank line (test-file and paste artifacts)."""
    indents = [len(line) - len(line.lstrip(" ")) for _, line in lines if line.strip()]
    common = min(indents, default=0)
    return [(number, line[common:] if line.strip() else "") for number, line in lines]


def device_error(lines: list[str]) -> str | None:
    """The first IOS error line (``% Invalid input ...``), if the device refused the command."""
    for line in lines:
        if _ERROR.match(line):
            return line.strip()
    return None
