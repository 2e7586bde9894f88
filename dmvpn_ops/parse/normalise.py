"""Clean messy captured IOS text (CRLF, tabs, pager and prompt debris) before it meets a template."""
from __future__ import annotations

import re

__all__ = ["normalise", "device_error"]

# The IOS pager prints " --More-- " and then erases it with backspaces and spaces;
# a capture taken without `terminal length 0` keeps both halves.
_MORE = re.compile(r" ?--More--\s*(?:\x08+\s*\x08*)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# `hub1#show dmvpn`, `spoke-2>sh ip nhrp`, `R1(config)#do show dmvpn`
_PROMPT_ECHO = re.compile(r"^[\w.\-/:@]+(?:\([\w\-]+\))?[#>]\s*(?:do\s+)?sh(?:o|ow)?\s", re.I)
# a bare command echo, or one whose prompt lost its hostname (`# show ip eigrp neighbors`)
_COMMAND_ECHO = re.compile(r"^(?:#\s*)?sh(?:o|ow)?\s+\S", re.I)
_BARE_PROMPT = re.compile(r"^[\w.\-/:@]+(?:\([\w\-]+\))?[#>]\s*$")
# exec-timestamp preamble (`terminal exec prompt timestamp`)
_TIMESTAMP = re.compile(r"^(?:Load for five secs|Time source is|No time source)", re.I)
_ERROR = re.compile(r"^\s*%\s*\S")
_ECHO_SCAN_LINES = 40


def normalise(text: str) -> list[str]:
    """Return the capture as clean lines: no CR, tabs expanded, right-stripped, dedented.

    Drops a banner and echoed prompt/command before the output, a trailing bare
    prompt, exec-timestamp lines and leading/trailing blank lines.

    Args:
        text: raw capture as read from a file or a netmiko session.

    Returns:
        The lines of the output proper (possibly empty).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "--More--" in text:
        text = _MORE.sub("", text)
    if "\t" in text:
        text = "\n".join(line.expandtabs(8) for line in text.split("\n"))
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    # Banner + `host#show ...` echo: everything up to the last echo in the head goes.
    head = min(len(lines), _ECHO_SCAN_LINES)
    for index in range(head - 1, -1, -1):
        if _PROMPT_ECHO.match(lines[index].lstrip()):
            del lines[: index + 1]
            break
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and _COMMAND_ECHO.match(lines[0].lstrip()):
        lines.pop(0)
    while lines and (not lines[-1].strip() or _BARE_PROMPT.match(lines[-1].strip())):
        lines.pop()
    while lines and (not lines[0].strip() or _TIMESTAMP.match(lines[0].lstrip())):
        lines.pop(0)
    return _dedent(lines)


def _dedent(lines: list[str]) -> list[str]:
    """Remove indentation common to every non-blank line (test-file and paste artifacts)."""
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    common = min(indents, default=0)
    if not common:
        return [line if line.strip() else "" for line in lines]
    return [line[common:] if line.strip() else "" for line in lines]


def device_error(lines: list[str]) -> str | None:
    """The first IOS error line (``% Invalid input ...``), if the device refused the command."""
    for line in lines:
        if _ERROR.match(line):
            return line.strip()
    return None
