"""The running-config tree: lines keyed like IOS (re-entering replaces), blocks, `no` removal, IOS order."""
from __future__ import annotations

from dataclasses import dataclass, field

from dmvpn_ops.lab import ifnames, nvgen
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


# Global sections in the order `show running-config` prints them; a "!" between groups. Real captures:
# ASR1001 IOS-XE (15.4 `Last configuration change at 02:48:39 UTC Tue Feb 11 2014 by theo`, published as a
# config template): `vrf definition` right after `boot-end-marker`, then `logging buffered`, `aaa`,
# `ip domain`, `license`, `archive`, the users, `redundancy`, `ip ssh ...`, crypto (`crypto isakmp policy`
# closed by "!" before `crypto isakmp keepalive`), interfaces, `router ospf`/`router bgp`,
# `ip forward-protocol nd`, `no ip http server` / `ip route ...` together, `ip prefix-list`, `logging
# source-interface` / `logging host`, `route-map`, `control-plane`, `line con`/`line aux`/`line vty`, `ntp`,
# `event manager applet` last; CSR1000v 15.5 SPOKE-2 and ISR4321 (R2): `vrf definition` before `enable
# secret` / `no aaa new-model`, `no ip http secure-server` / `ip route` with no "!" between them.
_GLOBAL_GROUPS = (
    ("version", "service", "platform"), ("hostname",), ("boot-",), ("vrf definition", "ip vrf "),
    ("logging buffered", "logging console", "no logging console", "enable"), ("no aaa", "aaa"), ("clock",),
    ("ip domain", "no ip domain", "ip name-server", "ip cef", "ipv6"), ("license",), ("archive",),
    ("username",),
    # `ip scp server enable` next to `ip ssh` is a lab choice (no capture of its position seen)
    ("ip ssh", "ip scp"),
    # `password encryption aes` (shown in running-config: Cisco tech note 46420); placed before the crypto
    # sections, a lab choice (no capture of its exact position checked)
    ("password encryption",), ("crypto keyring",),
    # no "!" between an IKE policy and the `crypto isakmp key` lines after it (real captures: IOS 15.4 OTUS
    # SPB-CORE1 `group 14` / `crypto isakmp key Cisco123 address 0.0.0.0`; a zone-based firewall router's
    # `lifetime 3600` / `crypto isakmp key ...`): one group, and the policy block is not closed by "!";
    # `crypto isakmp keepalive` comes after a "!" (ASR1001 above)
    ("crypto isakmp policy", "crypto isakmp key"), ("crypto isakmp",),
    ("crypto ikev2 proposal",), ("crypto ikev2 policy",), ("crypto ikev2 keyring",),
    ("crypto ikev2 profile",), ("crypto ikev2",), ("crypto ipsec security", "crypto ipsec df",
                                                  "crypto ipsec nat"),
    ("crypto ipsec transform-set",), ("crypto ipsec profile",), ("class-map",), ("policy-map",),
    ("interface",), ("router eigrp", "router ospf", "router bgp"), ("ip forward-protocol",),
    ("ip http", "ip route"), ("ip access-list", "access-list"), ("logging",), ("snmp-server",), ("banner",),
    ("line con", "line aux", "line vty"), ("ntp",),
)
_GLOBAL_ORDER = tuple(p for group in _GLOBAL_GROUPS for p in group)
_GROUP_OF = {p: i for i, group in enumerate(_GLOBAL_GROUPS) for p in group}
# Interface lines in the order IOS prints them, whatever order they were typed in. Real captures:
# `no ip split-horizon eigrp N` between `ip mtu` and the NHRP lines (IOSv hub2 `show run int tun 0`:
# `ip address` / `no ip split-horizon eigrp 1` / `ip nhrp authentication`; IOS 15 7200 hub Tunnel0: `ip mtu
# 1400` / `no ip split-horizon eigrp 100` / `ip nhrp authentication`; `no ip next-hop-self eigrp` is kept
# next to it, no capture of the pair seen); NHRP lines `map`, `network-id`, `holdtime`, `nhs`, `registration`,
# `redirect`, `shortcut`, then `ip tcp adjust-mss` (IOS 15.4 hub Tunnel114, CSR1000v 15.5 SPOKE-2 Tunnel0);
# `no ip address` where `ip address` goes (CSR1000v SPOKE-2 GigabitEthernet1, ISR4321 GigabitEthernet0/0/1);
# `tunnel source`, `tunnel mode`, `tunnel destination` (Microsoft's Azure vWAN CSR1000v Tunnel0 and a real
# VTI `tunnel source Loopback0` / `tunnel mode ipsec ipv4` / `tunnel destination` / `tunnel vrf` /
# `tunnel protection`), then `tunnel key`, `tunnel vrf`, `tunnel protection` (CSR1000v SPOKE-2 Tunnel0).
# A sub-interface's `encapsulation dot1Q N` right after `description`, before `vrf forwarding` / `ip address`
# (CSR1000v SPOKE-2 `interface GigabitEthernet1.35`: description, encapsulation, vrf, address).
_IF_ORDER = (
    "description", "encapsulation", "bandwidth", "delay", "vrf forwarding", "ip vrf forwarding", "ip address", "no ip address",
    "no ip redirects", "no ip unreachables", "no ip proxy-arp", "ip mtu", "ip nat",
    "no ip split-horizon", "no ip next-hop-self",
    "ip nhrp authentication", "ip nhrp group", "ip nhrp map", "ip nhrp network-id",
    "ip nhrp holdtime", "ip nhrp nhs", "ip nhrp registration", "ip nhrp redirect", "ip nhrp shortcut",
    "ip tcp adjust-mss", "ip ospf", "shutdown",
    "negotiation", "keepalive", "tunnel source", "tunnel mode", "tunnel destination", "tunnel key",
    "tunnel vrf", "tunnel protection", "service-policy",
)
# Global blocks IOS does not close with "!": `line` blocks follow each other directly (every real capture:
# `line con 0` / ` stopbits 1` / `line aux 0` / `line vty 0 4`), so does an IKE policy (see above), and so do
# named ACLs (a real Catalyst 9300 IOS-XE 17.8 `sho run`: `ip access-list extended IPV4_CRITICAL_AUTH_ACL` /
# ` 10 permit ip any any` / `ip access-list extended IPV4_PRE_AUTH_ACL` / ... / ` 40 deny ip any any` /
# `logging source-interface Loopback0`).
_UNCLOSED = ("line ", "crypto isakmp policy ", "ip access-list ")


# `router bgp` body: the process-wide `bgp ...` lines first, then networks and neighbours as entered.
# IOS prints `bgp listen range X peer-group PG` before `neighbor PG peer-group` (a real IOS 15 running
# config of a listen-range route reflector, an OTUS network-engineer lab write-up on GitHub, R23:
# `bgp log-neighbor-changes` / `bgp listen range 10.152.0.0/24 peer-group TRIADA` / `network ...` /
# `neighbor TRIADA peer-group`, with its `show ip bgp summary` listen-range footer), and boots from
# NVRAM in that order, so the range is accepted before its peer-group exists (lab.syntax_config).
_BGP_ORDER = ("bgp ", "no bgp ")


# Crypto block lines in IOS's printing order (typed order does not matter). Real captures: IKE policy
# `encr` / `hash` / `authentication` / `group` / `lifetime` (IOS 15.4 OTUS SPB-CORE1; zone-based firewall
# router); IKEv2 proposal `encryption` / `integrity` / `group` (CSR1000v 15.5 SPOKE-2, Azure vWAN CSR1000v);
# IKEv2 profile `match fvrf` / `match address local` / `match identity remote` / `authentication remote` /
# `authentication local` / `keyring local` / `ivrf` / `lifetime` (SPOKE-2, Azure vWAN `lifetime 28800` last;
# `identity local` and `dpd` placed by the profile's CR syntax order, no capture seen); IPsec profile / crypto
# map `set security-association` / `set transform-set` / `set pfs` / `set ikev2-profile` (Azure crypto map).
_BLOCK_ORDER: dict[str, tuple[str, ...]] = {
    "config-isakmp": ("encr", "hash", "authentication", "group", "lifetime"),
    "config-ikev2-proposal": ("encryption", "integrity", "prf", "group"),
    "config-ikev2-profile": ("description", "match fvrf", "match address", "match identity", "identity local",
                             "authentication remote", "authentication local", "keyring", "ivrf", "lifetime",
                             "dpd", "nat"),
    "ipsec-profile": ("description", "set security-association", "set transform-set", "set pfs",
                      "set ikev2-profile", "set isakmp-profile"),
    # keyring peer `address` before `pre-shared-key` (SPOKE-2, Azure vWAN keyrings; the other lines' places
    # are the CR's syntax order, no capture seen)
    "config-ikev2-keyring-peer": ("description", "address", "hostname", "identity", "pre-shared-key"),
    # line blocks: `session-timeout` / `access-class` / `exec-timeout` / `ipv6 access-class` / `transport
    # input` (a hardened IOS-XE vty 0 4), `exec-timeout 0 0` / `privilege level 15` / `logging synchronous` /
    # `stopbits 1` (an IOS 15 console), `exec-timeout 0 0` / `password` / `logging synchronous` / `login` (a
    # lab's `show run | begin line con`), `login local` / `transport input ssh` (every vty capture);
    # `length`/`width` have no capture seen and go last before `stopbits` by the CR's syntax order
    "config-line": ("session-timeout", "access-class", "exec-timeout", "privilege level", "password",
                    "logging synchronous", "login", "transport", "length", "width", "stopbits"),
}


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
    if mode in _BLOCK_ORDER:
        return sorted(lines, key=lambda ln: _rank(ln.text, _BLOCK_ORDER[mode]))
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
        out.append(pad + nvgen.trailing(mode, ln.text if clear or ln.shown is None else ln.shown))
        out.extend(render(ln.children + _shown_defaults(ln), ln.mode, depth + 1, clear))
        if close:
            out.append(pad + close)
        elif depth == 0 and ln.mode and not ln.text.startswith(_UNCLOSED):
            out.append("!")
    if depth == 0 and out and out[-1] != "!":
        out.append("!")
    return out


def _shown_defaults(block: Line) -> list[Line]:
    """The default lines IOS prints in ``block`` although nobody typed them (lab.nvgen.SHOWN)."""
    if block.mode is None:
        return []
    keys = [child.key for child in block.children]
    return [Line(text, key) for key, text in nvgen.shown(block.mode, block.text, keys)]


def as_shown(lines: list[Line]) -> list[Line]:
    """A copy of the tree with the default lines IOS prints (lab.nvgen.SHOWN) as real lines: what a config
    file saved from `show running-config` holds once loaded, so a diff against one finds no defaults."""
    return [Line(ln.text, ln.key, ln.mode, as_shown(ln.children + _shown_defaults(ln)), ln.secret, ln.shown)
            for ln in lines]


def copy_tree(lines: list[Line]) -> list[Line]:
    return [Line(ln.text, ln.key, ln.mode, copy_tree(ln.children), ln.secret, ln.shown) for ln in lines]
