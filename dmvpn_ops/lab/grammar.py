"""IOS command grammar: a keyword trie built from a tiny pattern language, with IOS-style matching.

Pattern language (one string per command form):
  ``word``       a keyword (abbreviable to any unique prefix, as on IOS)
  ``<type>``     an argument (see ``_ARG_TYPES``); ``<line>`` swallows the rest of the line
  ``<num:a-b>``  a number IOS accepts only within ``a..b`` (outside it: `% Invalid input` at the number);
                 ``<num:1|2|5>`` a number from a fixed set; ``<word:n>`` a word of at most ``n`` characters
  ``[a b]``      optional group;  ``(a b|c)`` alternatives;  ``*[a <n>|b <n>]`` options in any order
  ``;``          key marker: the tokens before it identify the line (a new value replaces the old one)
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dmvpn_ops.lab.ifnames import is_type, normalise_interface, number_error

_IP = re.compile(r"^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$")


def _ip(tok: str) -> str | None:
    m = _IP.match(tok)
    return tok if m and all(int(g) <= 255 for g in m.groups()) else None


def _prefix(tok: str) -> str | None:
    addr, _, plen = tok.partition("/")
    return tok if _ip(addr) and plen.isascii() and plen.isdigit() and int(plen) <= 32 else None


def _num(tok: str) -> str | None:
    return str(int(tok)) if tok.isascii() and tok.isdigit() and len(tok) <= 20 else None


def _in_range(value: str, spec: str) -> bool:
    """``spec`` is ``a-b`` or ``a|b|c`` (the number ranges IOS's parser enforces)."""
    n = int(value)
    if "|" in spec or "-" not in spec:
        return n in {int(v) for v in spec.split("|")}
    low, _, high = spec.partition("-")
    return int(low) <= n <= int(high)


def _area(tok: str) -> str | None:
    """An OSPF area: 0-4294967295 or dotted (YANG types: ospf-area-type, union of uint32 and ipv4)."""
    num = _num(tok)
    return num if num is not None and int(num) <= 4294967295 else _ip(tok)


def _word(tok: str) -> str | None:
    return tok


def _name(tok: str) -> str | None:
    """A process or object name where IOS also takes a number (``router eigrp WORD``): no leading digit."""
    return tok if not tok[:1].isdigit() else None


def _file(tok: str) -> str | None:
    dev, sep, name = tok.partition(":")
    return f"{dev.lower()}:{name}" if sep and dev.lower() in ("flash", "bootflash", "nvram") else None


def _host(tok: str) -> str | None:
    return tok if not tok.startswith("-") else None


_ARG_TYPES: dict[str, Callable[[str], str | None]] = {
    "ip": _ip, "mask": _ip, "wildcard": _ip, "prefix": _prefix, "name": _name, "num": _num, "word": _word,
    "area": _area,
    "file": _file, "host": _host, "intf": normalise_interface,
}


_GREEDY = ("host", "word", "line")  # tried last: they accept almost anything


def _arg_order(arg: tuple[str, Node]) -> int:
    base = arg[0].partition(":")[0]
    return _GREEDY.index(base) if base in _GREEDY else -1


@dataclass(eq=False)
class Node:
    """A trie node: keyword children, argument children, and the command ending here (if any)."""

    kw: dict[str, Node] = field(default_factory=dict)
    args: list[tuple[str, Node]] = field(default_factory=list)
    entry: Entry | None = None
    min_key: int = 10**6  # the shortest key of any command below: how far `no` must go
    # keywords are matched case-insensitively (stored lower-case in ``kw``) but kept as IOS prints them:
    # `encapsulation dot1q 10` is stored and shown ` encapsulation dot1Q 10` (real running configs)
    spelled: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Entry:
    """What a complete command means: its key length and free-form metadata (mode, flags)."""

    key_len: int
    meta: dict[str, Any]
    pattern: str = ""  # the table pattern the command came from (tests check every rendered one is covered)


@dataclass(frozen=True)
class Match:
    """A parsed command: canonical tokens (keywords expanded), the entry, and the key."""

    tokens: tuple[str, ...]
    entry: Entry | None
    complete: bool

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    @property
    def key(self) -> tuple[str, ...]:
        return self.tokens[: self.entry.key_len] if self.entry else self.tokens


@dataclass(frozen=True)
class SyntaxError_:
    """``kind`` is invalid|incomplete|ambiguous; ``pos`` is the caret column within the line."""

    kind: str
    pos: int = 0


def _split_alts(body: str) -> list[str]:
    depth, start, parts = 0, 0, []
    for i, ch in enumerate(body):
        depth += ch in "([" and 1 or (ch in ")]" and -1 or 0)
        if ch == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return [p.strip() for p in parts]


def _closing(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        depth += 1 if text[i] in "([" else -1 if text[i] in ")]" else 0
        if depth == 0:
            return i
    raise ValueError(f"unbalanced pattern: {text}")


def expand(pattern: str) -> list[list[str]]:
    """All token sequences a pattern stands for."""
    pattern = pattern.strip()
    if not pattern:
        return [[]]
    if pattern.startswith("*["):
        end = _closing(pattern, 1)
        opts = [expand(o) for o in _split_alts(pattern[2:end])]
        heads: list[list[str]] = []
        for n in range(len(opts) + 1):
            for combo in itertools.permutations(opts, n):
                for parts in itertools.product(*combo):
                    heads.append([t for p in parts for t in p])
        return [h + t for h in heads for t in expand(pattern[end + 1:])]
    if pattern[0] in "([":
        end = _closing(pattern, 0)
        inner = [s for alt in _split_alts(pattern[1:end]) for s in expand(alt)]
        if pattern[0] == "[":
            inner.append([])
        return [h + t for h in inner for t in expand(pattern[end + 1:])]
    word, _, rest = pattern.partition(" ")
    return [[word] + t for t in expand(rest)]


class Grammar:
    """A set of command patterns for one CLI mode."""

    def __init__(self) -> None:
        self.root = Node()

    def add(self, pattern: str, **meta: Any) -> None:
        for seq in expand(pattern):
            key_len = seq.index(";") if ";" in seq else None
            toks = [t for t in seq if t != ";"]
            self._insert(toks, Entry(key_len if key_len is not None else len(toks), meta, pattern))

    def _insert(self, toks: list[str], entry: Entry) -> None:
        node = self.root
        node.min_key = min(node.min_key, entry.key_len)
        for tok in toks:
            if tok.startswith("<"):
                kind = tok[1:-1]
                nxt = next((n for k, n in node.args if k == kind), None)
                if nxt is None:
                    nxt = Node()
                    node.args.append((kind, nxt))
                    node.args.sort(key=_arg_order)
            else:
                nxt = node.kw.setdefault(tok.lower(), Node())
                if tok != tok.lower():
                    node.spelled[tok.lower()] = tok
            node = nxt
            node.min_key = min(node.min_key, entry.key_len)
        if node.entry is None:
            node.entry = entry

    def parse(self, line: str, partial: bool = False) -> Match | SyntaxError_:
        """Match a typed line; ``partial`` accepts a key prefix (for ``no`` forms)."""
        toks = [(m.group(), m.start()) for m in re.finditer(r"\S+", line)]
        node, out, i = self.root, [], 0
        while i < len(toks):
            step = _step(node, toks, i, line)
            if isinstance(step, SyntaxError_):
                return step
            node, canon, used = step
            out.append(canon)
            i += used
        if node.entry is not None:
            return Match(tuple(out), node.entry, True)
        if partial and out and len(out) >= node.min_key:
            return Match(tuple(out), None, False)
        return SyntaxError_("incomplete", len(line.rstrip()))


def _step(node: Node, toks: list[tuple[str, int]], i: int,
          line: str) -> tuple[Node, str, int] | SyntaxError_:
    tok, pos = toks[i]
    low = tok.lower()
    if low in node.kw:
        return node.kw[low], node.spelled.get(low, low), 1
    cands = [k for k in node.kw if k.startswith(low)]
    if len(cands) == 1:
        return node.kw[cands[0]], node.spelled.get(cands[0], cands[0]), 1
    for kind, child in node.args:
        got = _arg(kind, toks, i, line)
        if got is not None:
            return child, got[0], got[1]
    if len(cands) > 1:
        return SyntaxError_("ambiguous", pos)
    if any(kind == "intf" for kind, _ in node.args):
        return _intf_error(toks, i)
    return SyntaxError_("invalid", pos)


def _intf_error(toks: list[tuple[str, int]], i: int) -> SyntaxError_:
    """An interface name IOS refuses: the caret under the refused number (``Tunnel 99999999999``,
    ``Tunnel-1``), `% Incomplete command.` for a type without a number (``interface Tunnel``)."""
    tok, pos = toks[i]
    if is_type(tok):
        if i + 1 == len(toks):
            return SyntaxError_("incomplete", pos + len(tok))
        nxt, nxt_pos = toks[i + 1]
        at = number_error(tok + nxt)
        return SyntaxError_("invalid", nxt_pos + (at - len(tok) if at is not None and at > len(tok) else 0))
    at = number_error(tok)
    return SyntaxError_("invalid", pos + (at or 0))


def _arg(kind: str, toks: list[tuple[str, int]], i: int, line: str) -> tuple[str, int] | None:
    tok = toks[i][0]
    kind, _, spec = kind.partition(":")
    if spec:
        value = _ARG_TYPES[kind](tok)
        if value is None:
            return None
        if kind == "num":
            return (value, 1) if _in_range(value, spec) else None
        return (value, 1) if len(value) <= int(spec) else None
    if kind == "line":
        return line[toks[i][1]:].rstrip(), len(toks) - i
    if kind == "intf" and i + 1 < len(toks):  # "Tunnel 100" is one interface name
        joined = normalise_interface(tok + toks[i + 1][0])
        if joined and normalise_interface(tok) is None:
            return joined, 2
    value = _ARG_TYPES[kind](tok)
    return (value, 1) if value is not None else None
