"""Context help (`?`) and Tab completion from the grammar tables of the session's current mode.

IOS (Cisco IOS Configuration Fundamentals, "Using the Cisco IOS Command-Line Interface"): `word?` lists the
keywords that start with `word` on one line; `word ?` lists what may follow (keywords, argument forms such as
A.B.C.D, WORD, <1-120>, and <cr> when the command may end there); a word that matches nothing is marked with
the caret and `% Invalid input detected`. Tab completes a unique keyword prefix and adds a space.
"""
from __future__ import annotations

import re

from dmvpn_ops.lab.grammar import Grammar, Node, SyntaxError_, _step
from dmvpn_ops.lab.ifnames import RANGES, is_type, normalise_interface

_INTERFACES = ("GigabitEthernet", "Loopback", "Tunnel")
_PLACEHOLDER = {"ip": "A.B.C.D", "mask": "A.B.C.D", "wildcard": "A.B.C.D", "prefix": "A.B.C.D/nn",
                "word": "WORD", "name": "WORD", "host": "WORD", "line": "LINE", "file": "flash:",
                "num": "<0-4294967295>"}


def _walk(g: Grammar, line: str) -> Node | SyntaxError_:
    """The grammar node after every word of ``line``."""
    toks = [(m.group(), m.start()) for m in re.finditer(r"\S+", line)]
    node, i = g.root, 0
    while i < len(toks):
        step = _step(node, toks, i, line)
        if isinstance(step, SyntaxError_):
            return step
        node, _, used = step
        i += used
    return node


def _arg_forms(node: Node) -> list[str]:
    out: list[str] = []
    for kind, _ in node.args:
        base, _, spec = kind.partition(":")
        if base == "intf":
            out += list(_INTERFACES)
        elif base == "area":   # IOS: `<0-4294967295>  OSPF area ID as a decimal value`, `A.B.C.D  ... IP address format`
            out += ["<0-4294967295>", "A.B.C.D"]
        elif base == "num" and spec:
            out.append(f"<{spec}>" if "-" in spec else "<" + spec.replace("|", ",") + ">")
        else:
            out.append(_PLACEHOLDER.get(base, base.upper()))
    return out


def _invalid(prompt_len: int, pos: int) -> str:
    return " " * (prompt_len + pos) + "^\n% Invalid input detected at '^' marker.\n"


def help_text(g: Grammar, line: str, prompt_len: int) -> str:
    """What IOS prints after the `?` typed at the end of ``line`` (without the re-displayed prompt)."""
    if line and not line[-1].isspace():
        head, _, partial = line.rpartition(" ")
        node = _walk(g, head)
        if isinstance(node, SyntaxError_):
            return _invalid(prompt_len, node.pos)
        words = sorted(node.spelled.get(k, k) for k in node.kw if k.startswith(partial.lower()))
        if not words:
            return "% Unrecognized command\n"
        return "  ".join(words) + "  \n"
    node = _walk(g, line)
    if isinstance(node, SyntaxError_):
        number = _interface_number(line, node)
        return number if number is not None else _invalid(prompt_len, node.pos)
    rows = [f"  {node.spelled.get(k, k)}" for k in sorted(node.kw)] + [f"  {a}" for a in _arg_forms(node)]
    if node.entry is not None:
        rows.append("  <cr>")
    return "\n".join(rows) + "\n" if rows else "% Unrecognized command\n"


def _interface_number(line: str, error: SyntaxError_) -> str | None:
    """`interface Tunnel ?`: the number a logical interface type takes, as IOS's help prints it
    (`<0-2147483647>  Tunnel interface number`, real capture; ranges in :data:`ifnames.RANGES`)."""
    words = line.split()
    if error.kind != "incomplete" or not words or not is_type(words[-1]):
        return None
    kind = (normalise_interface(words[-1] + "1") or "").rstrip("0123456789")
    if kind not in RANGES:
        return None
    low, high = RANGES[kind]
    return f"  <{low}-{high}>  {kind} interface number\n"


def complete(g: Grammar, line: str) -> str | None:
    """``line`` with its last word completed (and a space), or None when the prefix is not unique."""
    if not line.strip() or line[-1].isspace():
        return None
    head, sep, partial = line.rpartition(" ")
    node = _walk(g, head)
    if isinstance(node, SyntaxError_):
        return None
    words = [node.spelled.get(k, k) for k in node.kw if k.startswith(partial.lower())]
    if len(words) != 1:
        return None
    return f"{head}{sep}{words[0]} "
