"""The dry-run diff: a real ``diff -u`` of the config dmvpn-ops owns, running vs intended, masked.

Why not a diff of the two texts as printed: IOS prints a block's lines in its own order and the intent in the
template's, so a plain text diff shows unchanged lines as removed and re-added (`- no ip redirects` for a line
nobody touches). Both sides are laid out in one order (the intended order, lines only on the device last) so
that only real changes are ``-``/``+``; blocks the tool does not own are left out.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable

from dmvpn_ops.deploy.quirks import strip_hidden
from dmvpn_ops.deploy.remediation import _key, parse_config  # same stage: one definition of a top-level key
from dmvpn_ops.secrets import mask

__all__ = ["owned_diff"]


def _children(node: object) -> dict[str, object]:
    return {c.text: c for c in node.children}  # type: ignore[attr-defined]


def _layout(running: object | None, intended: object | None, depth: int,
            left: list[str], right: list[str]) -> None:
    """Append the children of both nodes to each side in one shared order (recursively)."""
    run = _children(running) if running is not None else {}
    gen = _children(intended) if intended is not None else {}
    order = list(gen) + [t for t in run if t not in gen]
    for text in order:
        if text in run:
            left.append(" " * depth + text)
        if text in gen:
            right.append(" " * depth + text)
        _layout(run.get(text), gen.get(text), depth + 1, left, right)


def owned_diff(running: str, intended: str, stale: Iterable[str] = ()) -> list[str]:
    """Masked unified diff (``--- running`` / ``+++ intended``) over the top-level objects the intent owns."""
    # lines IOS hides or prints by default are never a change (quirks.py): the command list skips them too
    run_tree, gen_tree = strip_hidden(parse_config(running)), strip_hidden(parse_config(intended))
    owned = {_key(c.text) for c in gen_tree.children} | {_key(s) for s in stale}
    left: list[str] = []
    right: list[str] = []
    run_tops = [c for c in run_tree.children if _key(c.text) in owned]
    gen_keys = {_key(c.text): c for c in gen_tree.children}
    seen: set[str] = set()
    for child in [*gen_tree.children, *run_tops]:
        key = _key(child.text)
        if key in seen:
            continue
        seen.add(key)
        run_child = next((c for c in run_tops if _key(c.text) == key), None)
        gen_child = gen_keys.get(key)
        _top(run_child, gen_child, left, right)
    lines = difflib.unified_diff(left, right, "running", "intended", lineterm="", n=2)
    return [mask(line) for line in lines]


def _top(run_child: object | None, gen_child: object | None, left: list[str], right: list[str]) -> None:
    if run_child is not None:
        left.append(run_child.text)  # type: ignore[attr-defined]
    if gen_child is not None:
        right.append(gen_child.text)  # type: ignore[attr-defined]
    _layout(run_child, gen_child, 1, left, right)
