"""Multi-line banners: `banner motd <d>` ... `<d>` typed or pasted over several lines.

IOS takes the first character after the banner keyword as the delimiter (a pasted `^C`, as `show running-config`
prints it, counts as one delimiter), reads text until the next delimiter, ignores what follows it on that line,
and shows the banner as `banner motd ^C<text>^C` (Cisco IOS Configuration Fundamentals CR: banner motd).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

_START = re.compile(r"^\s*banner\s+(motd|login|exec)\s+(\^C|\S)(.*)$", re.IGNORECASE)


@dataclass
class Pending:
    """A banner being read: kind, delimiter and the text so far."""

    kind: str
    delim: str
    parts: list[str] = field(default_factory=list)

    def feed(self, line: str) -> str | None:
        """Add one line; the complete `banner ...` config line once the delimiter came, else None."""
        if self.delim in line:
            self.parts.append(line.split(self.delim, 1)[0])
            return stored(self.kind, "\n".join(self.parts))
        self.parts.append(line)
        return None


def start(line: str) -> Pending | str | None:
    """A banner line: the finished config line if it closes on the same line, a Pending if it goes on,
    None if ``line`` is no banner command with a delimiter."""
    got = _START.match(line)
    if got is None:
        return None
    kind, delim, rest = got.group(1).lower(), got.group(2), got.group(3)
    if delim in rest:
        return stored(kind, rest.split(delim, 1)[0])
    return Pending(kind, delim, [rest])


def stored(kind: str, text: str) -> str:
    return f"banner {kind} ^C{text}^C"


def text_of(config_line: str) -> str:
    """The banner text of a stored `banner motd ^C...^C` line, without the delimiters."""
    body = config_line.split(None, 2)[2] if len(config_line.split(None, 2)) > 2 else ""
    return body.removeprefix("^C").removesuffix("^C")


def logical_lines(lines: Iterable[str]) -> Iterator[str]:
    """Config text lines with each multi-line banner joined into the one line it is stored as."""
    pending: Pending | None = None
    for raw in lines:
        if pending is not None:
            done = pending.feed(raw)
            if done is not None:
                pending = None
                yield done
            continue
        got = start(raw)
        if isinstance(got, Pending):
            pending = got
        else:
            yield raw if got is None else got
