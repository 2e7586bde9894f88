"""Output filters after `|`: include, exclude, begin, section, count (IOS regex semantics)."""
from __future__ import annotations

import re

from dmvpn_ops.lab.grammar import Grammar, Match, SyntaxError_

_PIPES = Grammar()
for _kind in ("append", "begin", "count", "exclude", "format", "include", "redirect", "section", "tee"):
    _PIPES.add(f"{_kind} <line>")
# `| section [include | exclude] regular-expression` (Cisco IOS Configuration Fundamentals Command Reference,
# "show (any command) | section": include = the sections that match, the default; exclude = the sections that
# do not). The keywords take precedence over a regex of the same prefix, as in IOS's parser (a keyword before
# a LINE argument); a regex such as `^interface` or `int` is no prefix of either and stays a regex.
_PIPES.add("section (include|exclude) <line>")


def apply(spec: str, text: str) -> str | SyntaxError_:
    """Filter ``text`` by one pipe spec such as ``sec nhrp``; a SyntaxError_ if the spec is bad."""
    got = _PIPES.parse(spec)
    if isinstance(got, SyntaxError_):
        return got
    kind, pattern = got.tokens[0], got.tokens[-1]
    try:
        regex = re.compile(_python_regex(pattern))
    except re.error:
        regex = re.compile(re.escape(pattern))
    lines = text.splitlines()
    if kind == "include":
        return _join([ln for ln in lines if regex.search(ln)])
    if kind == "exclude":
        return _join([ln for ln in lines if not regex.search(ln)])
    if kind == "begin":
        start = next((i for i, ln in enumerate(lines) if regex.search(ln)), len(lines))
        return _join(lines[start:])
    if kind == "count":
        return f"Number of lines which match regexp = {sum(1 for ln in lines if regex.search(ln))}"
    if kind == "section" and got.tokens[1] == "exclude":
        return _join(_section_exclude(lines, regex))
    if kind == "section":
        return _join(_section(lines, regex))
    return text


# IOS's `_` wildcard: "Matches a comma (,), left brace ({), right brace (}), left parenthesis, right
# parenthesis, the beginning of the string, the end of the string, or a space" (Cisco IOS XE 17 Security
# Configuration Guide, "Regular Expressions", table "Characters with Special Meaning"). Python has no such
# class, so an unescaped `_` outside brackets becomes this group; `\_` and `[_]` stay a literal underscore.
_UNDERSCORE = r"(?:[,{}() ]|^|$)"


def _python_regex(pattern: str) -> str:
    """The IOS regular expression ``pattern`` as a Python one (only `_` differs for the filters)."""
    out: list[str] = []
    escaped = in_class = False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append(ch)
            in_class = ch != "]" or out[-2:-1] == ["["] or out[-3:-1] == ["[", "^"]
        elif ch == "[":
            out.append(ch)
            in_class = True
        else:
            out.append(_UNDERSCORE if ch == "_" else ch)
    return "".join(out)


def _blocks(lines: list[str]) -> list[list[str]]:
    """The output cut into sections: a top-level line and the indented lines under it."""
    blocks: list[list[str]] = []
    for ln in lines:
        if ln[:1] not in (" ", "") or not blocks:
            blocks.append([ln])
        else:
            blocks[-1].append(ln)
    return blocks


def _section_exclude(lines: list[str], regex: re.Pattern[str]) -> list[str]:
    """`section exclude`: every section with no line that matches, whole; a section with a match is left out
    (header and children alike)."""
    return [ln for block in _blocks(lines) if not any(regex.search(ln) for ln in block) for ln in block]


def _section(lines: list[str], regex: re.Pattern[str]) -> list[str]:
    """A matching top-level line brings its whole block; a matching child brings its parent header."""
    out: list[str] = []
    for block in _blocks(lines):
        if block[0] == "!" or not block[0].strip():
            continue
        if regex.search(block[0]):
            out.extend(block)
        else:
            hits = [ln for ln in block[1:] if regex.search(ln)]
            if hits:
                out.extend([block[0]] + hits)
    return out


def _join(lines: list[str]) -> str:
    return "\n".join(lines)


__all__ = ["apply", "Match"]
