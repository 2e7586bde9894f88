"""The running-config tree: lines keyed like IOS (re-entering replaces), blocks, `no` removal, IOS order."""
from __future__ import annotations

from dataclasses import dataclass, field

from dmvpn_ops.lab import ifnames
from dmvpn_ops.lab.grammar import Match
from dmvpn_ops.lab.syntax_config import FRAMES


@dataclass(eq=False)
class Line:
    """One config line; ``mode`` is set when it opens a block (its children are the block body)."""

    text: str
    key: tuple[str, ...]
    mode: str | None = None
    children: list[Line] = field(default_factory=list)
    secret: str | None = None  # the clear value behind a type 9 hash (enable/username)
    shown: str | None = None  # the type 7/6 form `show running-config` prints instead (lab.pwcrypt)


def find(lines: list[Line], key: tuple[str, ...]) -> Line | None:
    return next((ln for ln in lines if ln.key == key), None)


def set_line(lines: list[Line], match: Match, text: str | None = None) -> Line:
    """Add a line or replace the one with the same key (a block keeps its body)."""
    meta = match.entry.meta if match.entry else {}
    old = find(lines, match.key)
    body = text or match.text
    if old is not None:
        old.text = body
        return old
    line = Line(body, match.key, meta.get("enter"))
    lines.append(line)
    return line


def remove(lines: list[Line], tokens: tuple[str, ...]) -> bool:
    """`no <tokens>`: drop every line whose words start with ``tokens``; True if any went."""
    n = len(tokens)
    keep = [ln for ln in lines if tuple(ln.text.split()[:n]) != tokens and ln.key[:n] != tokens]
    gone = len(keep) != len(lines)
    lines[:] = keep
    return gone


# Global sections in the order `show running-config` prints them; a "!" between groups.
_GLOBAL_GROUPS = (
    ("version", "service", "platform"), ("hostname",), ("boot-",), ("logging", "enable"),
    ("no aaa", "aaa"), ("clock",), ("vrf definition",),
    ("ip domain", "no ip domain", "ip name-server", "ip cef", "ip ssh", "ipv6"), ("username",),
    # `password encryption aes` (shown in running-config: Cisco tech note 46420); placed before the crypto
    # sections, a lab choice (no capture of its exact position checked)
    ("archive",), ("password encryption",), ("crypto keyring",), ("crypto isakmp policy",), ("crypto isakmp key", "crypto isakmp"),
    ("crypto ikev2 proposal",), ("crypto ikev2 policy",), ("crypto ikev2 keyring",),
    ("crypto ikev2 profile",), ("crypto ikev2",), ("crypto ipsec security", "crypto ipsec df",
                                                  "crypto ipsec nat"),
    ("crypto ipsec transform-set",), ("crypto ipsec profile",), ("class-map",), ("policy-map",),
    ("interface",), ("router eigrp", "router ospf", "router bgp"), ("ip forward-protocol",),
    ("ip http",), ("ip route",), ("ip access-list", "access-list"), ("snmp-server",), ("banner",),
    ("line con", "line aux", "line vty"), ("ntp",),
)
_GLOBAL_ORDER = tuple(p for group in _GLOBAL_GROUPS for p in group)
_GROUP_OF = {p: i for i, group in enumerate(_GLOBAL_GROUPS) for p in group}
_IF_ORDER = (
    "description", "bandwidth", "delay", "vrf forwarding", "ip vrf forwarding", "ip address",
    "no ip redirects", "no ip unreachables", "no ip proxy-arp", "ip mtu", "ip nat",
    "ip nhrp authentication", "ip nhrp group", "ip nhrp map", "ip nhrp network-id",
    "ip nhrp holdtime", "ip nhrp nhs", "ip nhrp registration", "ip nhrp redirect", "ip nhrp shortcut",
    "ip tcp adjust-mss", "no ip split-horizon", "no ip next-hop-self", "ip ospf", "shutdown",
    "negotiation", "keepalive", "tunnel source", "tunnel destination", "tunnel mode", "tunnel key",
    "tunnel vrf", "tunnel protection", "service-policy",
)


# `router bgp` body: the process-wide `bgp ...` lines first, then networks and neighbours as entered.
# IOS prints `bgp listen range X peer-group PG` before `neighbor PG peer-group` (a real IOS 15 running
# config of a listen-range route reflector, an OTUS network-engineer lab write-up on GitHub, R23:
# `bgp log-neighbor-changes` / `bgp listen range 10.152.0.0/24 peer-group TRIADA` / `network ...` /
# `neighbor TRIADA peer-group`, with its `show ip bgp summary` listen-range footer), and boots from
# NVRAM in that order, so the range is accepted before its peer-group exists (lab.syntax_config).
_BGP_ORDER = ("bgp ", "no bgp ")


def _rank(text: str, order: tuple[str, ...]) -> int:
    return next((i for i, p in enumerate(order) if text.startswith(p)), len(order))


def _group(text: str) -> int:
    rank = _rank(text, _GLOBAL_ORDER)
    return _GROUP_OF[_GLOBAL_ORDER[rank]] if rank < len(_GLOBAL_ORDER) else len(_GLOBAL_GROUPS)


def _sorted(lines: list[Line], mode: str | None) -> list[Line]:
    if mode is None:
        def key(ln: Line) -> tuple[int, tuple[int, tuple[int, ...]]]:
            rank = _rank(ln.text, _GLOBAL_ORDER)
            sub = ifnames.sort_key(ln.key[1]) if ln.text.startswith("interface ") else (0, ())
            return (rank, sub)
        return sorted(lines, key=key)
    if mode == "config-if":
        return sorted(lines, key=lambda ln: _rank(ln.text, _IF_ORDER))
    if mode == "config-router-bgp":
        return sorted(lines, key=lambda ln: (ln.mode is not None, _rank(ln.text, _BGP_ORDER)))
    return sorted(lines, key=lambda ln: ln.mode is not None)  # sub-blocks after plain lines


def render(lines: list[Line], mode: str | None = None, depth: int = 0, clear: bool = False) -> list[str]:
    """The tree as `show running-config` prints it (without header/footer); ``clear``: secrets in clear
    instead of their type 7/6 forms (the cloud model's view). The master key is never printed (Cisco
    Encrypted Preshared Key guide: it is not stored in the configuration)."""
    out: list[str] = []
    pad = " " * depth
    prev_rank = None
    for ln in _sorted(lines, mode):
        if ln.key[:2] == ("key", "config-key"):
            continue
        rank = _group(ln.text) if depth == 0 else None
        if depth == 0 and prev_rank is not None and rank != prev_rank and out[-1] != "!":
            out.append("!")  # IOS separates global sections with "!"
        prev_rank = rank
        before, close = FRAMES.get(ln.mode or "", ("", ""))
        if before:
            out.append(pad + before)
        out.append(pad + (ln.text if clear or ln.shown is None else ln.shown))
        out.extend(render(ln.children, ln.mode, depth + 1, clear))
        if close:
            out.append(pad + close)
        elif depth == 0 and ln.mode:
            out.append("!")
    if depth == 0 and out and out[-1] != "!":
        out.append("!")
    return out


def copy_tree(lines: list[Line]) -> list[Line]:
    return [Line(ln.text, ln.key, ln.mode, copy_tree(ln.children), ln.secret, ln.shown) for ln in lines]
