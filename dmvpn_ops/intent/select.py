"""``--limit EXPR``: which hosts a run may touch, in the words operators use with Ansible and Nornir.

``EXPR`` is comma-separated terms; a term is a host name, a group name (Nornir groups, parents included:
a host of ``spokes`` whose group has parent ``dmvpn_cloud`` is in both) or a glob (``spoke*``, ``hub[12]``)
over host and group names; ``!term`` removes what the term names. With only exclusions the selection
starts from every host. A term that names nothing is bad input (exit 2) naming that term, never a dump of
the whole inventory. The same function serves deploy, verify and health, and works on any Nornir
inventory (``select_nornir``), so a script's own ``nr.filter(...)`` and ``--limit`` mean the same thing.
"""
from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from dmvpn_ops.errors import InputError

if TYPE_CHECKING:
    from nornir.core import Nornir
    from nornir.core.inventory import Group, Host

__all__ = ["select_hosts", "inventory_groups", "select_nornir", "GLOB_CHARS"]

GLOB_CHARS = frozenset("*?[")


def _parents(groups: Iterable[Group]) -> set[str]:
    out: set[str] = set()
    for group in groups:
        if group.name not in out:
            out.add(group.name)
            out |= _parents(group.groups)
    return out


def inventory_groups(nornir: Nornir) -> dict[str, set[str]]:
    """Host name -> every group it belongs to (directly or through a parent group), in inventory order."""
    hosts: Mapping[str, Host] = nornir.inventory.hosts
    return {name: _parents(host.groups) for name, host in hosts.items()}


def _matches(term: str, groups: Mapping[str, Collection[str]]) -> set[str]:
    """The hosts one term names: a host, a group, or a glob over both."""
    if GLOB_CHARS & set(term):
        return {h for h, gs in groups.items() if fnmatchcase(h, term) or any(fnmatchcase(g, term) for g in gs)}
    if term in groups:
        return {term}
    return {h for h, gs in groups.items() if term in gs}


def _unknown(term: str, groups: Mapping[str, Collection[str]]) -> InputError:
    names = sorted(set(groups) | {g for gs in groups.values() for g in gs})
    close = difflib.get_close_matches(term, names, n=3)
    hint = f"did you mean {', '.join(close)}?" if close else "use host names, group names or globs (spoke*)"
    kind = "glob" if GLOB_CHARS & set(term) else "term"
    return InputError(f"--limit {kind} {term!r} matches no host and no group of the inventory.",
                      field="--limit", hint=hint)


def select_hosts(expr: str | None, groups: Mapping[str, Collection[str]]) -> list[str]:
    """The hosts ``expr`` selects, in inventory order (``None``: every host).

    Args:
        expr: ``--limit`` as typed: ``"spokes,!spoke3"``, ``"hub*"``, ``"hub1,spoke2"``.
        groups: host name -> its groups, parents included (``inventory_groups``).

    Returns:
        The selected host names, in the order of ``groups``.

    Raises:
        InputError: an empty expression or term, a term that names nothing, or nothing left selected.
    """
    if expr is None:
        return list(groups)
    terms = [t.strip() for t in expr.split(",")]
    if not any(terms) or any(not t or t == "!" for t in terms):
        raise InputError(f"--limit {expr!r} has an empty term; give host names, group names or globs "
                         "separated by commas (e.g. spokes,!spoke3).", field="--limit")
    include = [t for t in terms if not t.startswith("!")]
    exclude = [t[1:] for t in terms if t.startswith("!")]
    chosen: set[str] = set() if include else set(groups)
    for term in include:
        found = _matches(term, groups)
        if not found:
            raise _unknown(term, groups)
        chosen |= found
    for term in exclude:
        found = _matches(term, groups)
        if not found:
            raise _unknown(term, groups)
        chosen -= found
    if not chosen:
        raise InputError(f"--limit {expr!r} leaves no host selected.", field="--limit")
    return [h for h in groups if h in chosen]


def select_nornir(nornir: Nornir, expr: str | None) -> Nornir:
    """``nornir`` filtered to the hosts ``expr`` selects (unchanged for ``None``)."""
    if expr is None:
        return nornir
    chosen = frozenset(select_hosts(expr, inventory_groups(nornir)))
    return nornir.filter(filter_func=lambda host: host.name in chosen)
