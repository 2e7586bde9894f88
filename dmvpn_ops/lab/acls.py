"""`show access-lists` / `show ip access-lists [NAME]`: the running config's IPv4 ACLs as IOS lists them.

Ansible's cisco.ios `ios_acls` reads `show access-lists | include access list` for the list names, so the
command must exist with IOS's headers. Layout from real IOS captures (ntc-templates
tests/cisco_ios/show_access-list/*.raw): a header `Standard IP access list N` / `Extended IP access list N`,
then each entry indented four spaces with its sequence number; a standard entry's action is padded to
`deny   ` / `permit `, a standard host prints as the bare address and a wildcard as `A, wildcard bits W`;
remarks are not listed, and `(N matches)` appears only after hits (the lab forwards no data traffic).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dmvpn_ops.lab.config import Line
from dmvpn_ops.lab.grammar import Match

if TYPE_CHECKING:
    from dmvpn_ops.lab.session import Reply, Session

# numbered ACL ranges (Cisco IOS Security Command Reference, access-list (IP standard / extended)):
# standard 1-99 and 1300-1999, extended 100-199 and 2000-2699
_STANDARD = (range(1, 100), range(1300, 2000))


@dataclass
class Acl:
    """One IPv4 access list: its name, kind and entries as (sequence, text after the number)."""

    name: str
    standard: bool
    entries: list[tuple[int, str]] = field(default_factory=list)

    def add(self, text: str) -> None:
        """An entry as configured; without a number IOS gives it the next multiple of 10 after the highest."""
        first, _, rest = text.partition(" ")
        if first == "remark":
            return
        if first.isdigit():
            self.entries.append((int(first), rest))
        else:
            top = max((seq for seq, _ in self.entries), default=0)
            self.entries.append(((top // 10 + 1) * 10, text))


# --- named ACL entries in config mode ------------------------------------------------------------------
# IOS-XE 16/17 prints every entry of a named ACL with its sequence number in `show running-config` (a real
# Catalyst 9300 IOS-XE 17.8 `sho run`: `ip access-list extended IPV4_PRE_AUTH_ACL` / ` 10 permit udp any any eq
# bootps` / ` 20 permit udp any any eq bootpc` / ... / ` 40 deny ip any any`), entries in sequence order; an
# entry typed without a number gets the highest number plus 10, `no N` deletes entry N, `no <entry>` the entry
# with that text (Cisco IOS XE Security Configuration Guide: Access Control Lists, "IP Access List Entry
# Sequence Numbering"). A number in use is refused with `% Duplicate sequence number` (Ansible cisco.ios acls
# config module: "appliance reports % Duplicate sequence number"). Remarks keep the place they were typed
# in, unnumbered (no IOS-XE capture of a remark seen). The same entry typed again without a number is stored
# once (no capture seen: the lab keeps the existing entry, as it did before sequence numbers).
ACL_MODES = ("config-ext-nacl", "config-std-nacl")
DUPLICATE_SEQUENCE = "% Duplicate sequence number"


def _seq(line: Line) -> int | None:
    first = line.text.split(None, 1)[0]
    return int(first) if first.isdigit() else None


def _ace(line: Line) -> str:
    return line.text.split(None, 1)[1] if _seq(line) is not None else line.text


def add_entry(body: list[Line], tokens: tuple[str, ...]) -> str | None:
    """Store a typed ACL entry (``[N] permit|deny ...``) numbered, in sequence order; IOS's refusal or None."""
    numbered = tokens[0].isdigit()
    ace = " ".join(" ".join(tokens[1:] if numbered else tokens).split())
    seqs = [n for n in (_seq(ln) for ln in body) if n is not None]
    if numbered:
        seq = int(tokens[0])
        if seq in seqs:
            return DUPLICATE_SEQUENCE
    elif any(_ace(ln) == ace for ln in body if _seq(ln) is not None):
        return None
    else:
        seq = max(seqs, default=0) + 10
    at = next((i for i, ln in enumerate(body) if (_seq(ln) or 0) > seq), len(body))
    body.insert(at, Line(f"{seq} {ace}", (str(seq),)))
    return None


def delete_entry(body: list[Line], rest: str) -> bool:
    """`no N` / `no permit ...` in ACL mode: drop that entry; True if one went (IOS is silent either way)."""
    words = rest.split()
    if len(words) == 1 and words[0].isdigit():
        keep = [ln for ln in body if _seq(ln) != int(words[0])]
    else:
        ace = " ".join(words[1:] if words[0].isdigit() else words)
        keep = [ln for ln in body if _seq(ln) is None or _ace(ln) != ace]
    gone = len(keep) != len(body)
    body[:] = keep
    return gone


def acls(running: list[Line]) -> Iterator[Acl]:
    """The ACLs of a running-config tree, named ones with their entries, numbered ones grouped by number."""
    numbered: dict[str, Acl] = {}
    for line in running:
        words = line.text.split()
        if words[:2] == ["ip", "access-list"] and len(words) == 4 and words[2] in ("standard", "extended"):
            acl = Acl(words[3], words[2] == "standard")
            for entry in line.children:
                acl.add(entry.text.strip())
            yield acl
        elif words[:1] == ["access-list"] and len(words) > 2 and words[1].isdigit():
            number = int(words[1])
            if words[1] not in numbered:
                numbered[words[1]] = Acl(words[1], any(number in r for r in _STANDARD))
            numbered[words[1]].add(" ".join(words[2:]))
    yield from numbered.values()


def _standard_entry(text: str) -> str:
    """`deny host A log` -> `deny   A log`, `permit A W` -> `permit A, wildcard bits W` (IOS captures)."""
    action, *rest = text.split()
    if rest[:1] == ["host"]:
        rest = rest[1:]
    elif len(rest) >= 2 and rest[0] != "any" and rest[1][:1].isdigit():
        wildcard = rest[1]
        rest = [rest[0]] + ([f"wildcard bits {wildcard}"] if wildcard != "0.0.0.0" else []) + rest[2:]
        if wildcard != "0.0.0.0":
            rest[0] += ","
    return f"{action:<6} " + " ".join(rest)


def format_acls(running: list[Line], name: str | None = None) -> str:
    """The `show access-lists` text (only ``name`` when given; nothing when it does not exist)."""
    out: list[str] = []
    for acl in acls(running):
        if name is not None and acl.name != name:
            continue
        out.append(f"{'Standard' if acl.standard else 'Extended'} IP access list {acl.name}")
        for seq, text in sorted(acl.entries):
            out.append(f"    {seq} {_standard_entry(text) if acl.standard else text}")
    return "\n".join(out)


def show_access_lists(s: Session, m: Match) -> Reply:
    """`show [ip] access-lists [NAME]` (canonical tokens: the name follows `access-lists`)."""
    from dmvpn_ops.lab.session import Reply
    after = m.tokens[m.tokens.index("access-lists") + 1:]
    return Reply(format_acls(s.router.running, after[0] if after else None))
