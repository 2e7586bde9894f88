"""The command table: which show commands we parse, every form IOS accepts for them, which template reads them.

Each spec has a ``syntax`` written the way the Cisco command references write it: keywords
(abbreviable, as IOS accepts `sh ip nh`), ``[optional]`` groups, ``(a | b)`` choices and the
placeholders ``ADDR`` (an IPv4/IPv6 address), ``IFACE`` (`Tunnel100`, `tu100`, `tunnel 100`; ``TUNNEL``
only tunnels),
``NUM`` and ``ARG`` (a VRF or map name). Scope words (`vrf X`, `peer X`, `local X`, a process id)
narrow what IOS prints, never its layout, so they share the spec of the unscoped command.
A trailing `| include/exclude/begin/section ...` filter is accepted too: the spec comes back
with ``filtered=True`` and the parser reads whatever lines the filter let through.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

__all__ = ["CommandSpec", "COMMANDS", "SUPPORTED_COMMANDS", "resolve_command"]


@dataclass(frozen=True)
class CommandSpec:
    """One parseable show command.

    ``syntax`` lists the forms IOS accepts (see the module docstring); ``empty_ok`` is
    True when IOS prints nothing at all for an empty table; ``filtered`` marks output
    cut by an output modifier (`| include ...`), where missing lines are expected.
    """

    name: str
    syntax: str
    template: str
    detail: bool = False
    empty_ok: bool = False
    filtered: bool = False


# Shortest abbreviation IOS accepts where a keyword shares its first letters with a sibling
# (`sh ip nh` is nhrp, `nhs` needs all three letters); keywords not listed need 2 letters.
_MIN_LEN = {"show": 2, "nhs": 3, "crypto": 3, "isakmp": 3, "ikev2": 5, "ipsec": 2, "session": 3,
            "neighbors": 3, "neighbor": 3, "interface": 3, "interfaces": 3, "detail": 1, "detailed": 7,
            "ipv6": 4, "ipv4": 4, "summary": 2, "traffic": 2, "brief": 2, "count": 2, "status": 2,
            "tunnel": 2, "unicast": 2, "multicast": 2, "vpnv4": 5, "vpnv6": 5, "address-family": 2,
            "route": 2}

_IP = r"show ip"
_DMVPN = "cisco_ios_show_dmvpn.textfsm"
_NHRP = "cisco_ios_show_ip_nhrp.textfsm"
_NHS = "cisco_ios_show_ip_nhrp_nhs.textfsm"
_IPSEC = "cisco_ios_show_crypto_ipsec_sa.textfsm"
_SESSION = "cisco_ios_show_crypto_session.textfsm"
_BRIEF = "cisco_ios_show_ip_nhrp_brief.textfsm"
_IKEV2_SESSION = "cisco_ios_show_crypto_ikev2_session.textfsm"
# Scope forms, after the Cisco IOS command references (Security: `show crypto ...`; IP Addressing:
# `show ip nhrp`, `show dmvpn`; IP Routing: EIGRP, OSPF, BGP).
_DMVPN_SCOPE = ("[(ipv4 | ipv6) [vrf ARG]] [interface IFACE | peer (nbma | tunnel) ADDR | peer network ADDR [ADDR]]"
                " [static]")
_NHRP_SCOPE = "[vrf ARG] [dynamic | incomplete | static | shortcut | local] [ADDR [ADDR]] [IFACE]"
_NHS_SCOPE = "[vrf ARG] [IFACE]"
_IPSEC_SCOPE = ("[ipv6] [vrf ARG] [address | identity | active | standby | map ARG | interface IFACE"
                " | peer [vrf ARG] ADDR]")
_SESSION_SCOPE = ("[fvrf ARG] [ivrf ARG] [local ADDR [port NUM]] [remote ADDR [port NUM]] [interface IFACE]"
                  " [username ARG] [isakmp group ARG]")
_IKEV2_SCOPE = "[fvrf ARG] [ivrf ARG] [local ADDR] [remote ADDR]"
_BGP = ("(ip bgp | bgp) [(ipv4 | ipv6 | vpnv4 | vpnv6) [unicast | multicast]] [all | vrf ARG]"
        " summary")

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("show dmvpn", f"show dmvpn {_DMVPN_SCOPE}", _DMVPN),
    CommandSpec("show dmvpn detail", f"show dmvpn {_DMVPN_SCOPE} detail", _DMVPN, detail=True),
    CommandSpec("show ip nhrp nhs", f"{_IP} nhrp nhs {_NHS_SCOPE}", _NHS, empty_ok=True),
    CommandSpec("show ip nhrp nhs detail", f"{_IP} nhrp nhs {_NHS_SCOPE} detail", _NHS, detail=True,
                empty_ok=True),
    CommandSpec("show ip nhrp", f"{_IP} nhrp {_NHRP_SCOPE}", _NHRP, empty_ok=True),
    CommandSpec("show ip nhrp detail", f"{_IP} nhrp {_NHRP_SCOPE} detail", _NHRP, detail=True, empty_ok=True),
    CommandSpec("show crypto isakmp sa", "show crypto isakmp sa [vrf ARG] [active | standby] [nat] [vrf ARG]",
                "cisco_ios_show_crypto_isakmp_sa.textfsm"),
    CommandSpec("show crypto ikev2 sa", f"show crypto ikev2 sa {_IKEV2_SCOPE}",
                "cisco_ios_show_crypto_ikev2_sa.textfsm"),
    CommandSpec("show crypto ipsec sa", f"show crypto ipsec sa {_IPSEC_SCOPE}", _IPSEC, empty_ok=True),
    CommandSpec("show crypto ipsec sa detail", f"show crypto ipsec sa {_IPSEC_SCOPE} (detail | detailed)", _IPSEC,
                detail=True, empty_ok=True),
    CommandSpec("show crypto session", f"show crypto session {_SESSION_SCOPE}", _SESSION),
    CommandSpec("show crypto session detail",
                f"show crypto session ({_SESSION_SCOPE} detail | detail {_SESSION_SCOPE})", _SESSION,
                detail=True),
    CommandSpec("show ip eigrp neighbors",
                "show (ip eigrp [vrf ARG] [NUM] | eigrp address-family ipv4 [vrf ARG] [NUM])"
                " (neighbors | neighbor) [IFACE] [static]",
                "cisco_ios_show_ip_eigrp_neighbors.textfsm"),
    CommandSpec("show ip ospf neighbor", f"{_IP} ospf [NUM] (neighbor | neighbors) [IFACE] [ADDR]",
                "cisco_ios_show_ip_ospf_neighbor.textfsm", empty_ok=True),
    CommandSpec("show ip bgp summary", f"show {_BGP}", "cisco_ios_show_ip_bgp_summary.textfsm"),
    CommandSpec("show ip interface brief", f"{_IP} interface brief [IFACE]",
                "cisco_ios_show_ip_interface_brief.textfsm"),
    # NHRP beyond the cache (IP Addressing: NHRP command reference)
    CommandSpec("show ip nhrp brief", f"{_IP} nhrp {_NHRP_SCOPE} brief", _BRIEF, empty_ok=True),
    CommandSpec("show ipv6 nhrp", f"show ipv6 nhrp {_NHRP_SCOPE}", _NHRP, empty_ok=True),
    CommandSpec("show ipv6 nhrp brief", f"show ipv6 nhrp {_NHRP_SCOPE} brief", _BRIEF, empty_ok=True),
    CommandSpec("show ip nhrp traffic", "show (ip | ipv6) nhrp traffic [interface IFACE]",
                "cisco_ios_show_ip_nhrp_traffic.textfsm", empty_ok=True),
    CommandSpec("show ip nhrp summary", "show (ip | ipv6) nhrp summary", "cisco_ios_show_ip_nhrp_summary.textfsm"),
    CommandSpec("show dmvpn count status", f"show dmvpn {_DMVPN_SCOPE} count status",
                "cisco_ios_show_dmvpn_count_status.textfsm"),
    # crypto detail and summaries (Security command reference)
    CommandSpec("show crypto ikev2 sa detail", f"show crypto ikev2 sa {_IKEV2_SCOPE} (detail | detailed)",
                "cisco_ios_show_crypto_ikev2_sa.textfsm", detail=True),
    CommandSpec("show crypto ikev2 session", "show crypto ikev2 session [fvrf ARG] [ivrf ARG] [NUM]",
                _IKEV2_SESSION, empty_ok=True),
    CommandSpec("show crypto ikev2 session detail",
                "show crypto ikev2 session [fvrf ARG] [ivrf ARG] [NUM] (detail | detailed)", _IKEV2_SESSION,
                detail=True, empty_ok=True),
    CommandSpec("show crypto isakmp sa detail",
                "show crypto isakmp sa [vrf ARG] [active | standby] detail [nat] [vrf ARG]",
                "cisco_ios_show_crypto_isakmp_sa_detail.textfsm"),
    CommandSpec("show crypto session brief", f"show crypto session ({_SESSION_SCOPE} brief | brief {_SESSION_SCOPE})",
                "cisco_ios_show_crypto_session_brief.textfsm"),
    CommandSpec("show crypto ipsec sa count", "show crypto ipsec sa [ipv6] [vrf ARG] count",
                "cisco_ios_show_crypto_ipsec_sa_count.textfsm"),
    # interfaces and routing around the tunnel
    CommandSpec("show interfaces tunnel", "show (interfaces | interface) TUNNEL",
                "cisco_ios_show_interfaces_tunnel.textfsm"),
    CommandSpec("show ip route nhrp", f"{_IP} route [vrf ARG] nhrp", "cisco_ios_show_ip_route_nhrp.textfsm",
                empty_ok=True),
    CommandSpec("show ipv6 eigrp neighbors",
                "show (ipv6 eigrp [vrf ARG] [NUM] | eigrp address-family ipv6 [vrf ARG] [NUM])"
                " (neighbors | neighbor) [IFACE] [static]",
                "cisco_ios_show_ipv6_eigrp_neighbors.textfsm"),
    CommandSpec("show ipv6 ospf neighbor", "show ipv6 ospf [NUM] (neighbor | neighbors) [IFACE]",
                "cisco_ios_show_ipv6_ospf_neighbor.textfsm", empty_ok=True),
)

SUPPORTED_COMMANDS: list[str] = [spec.name for spec in COMMANDS]
_BY_NAME = {spec.name: spec for spec in COMMANDS}

# ---- the syntax matcher -----------------------------------------------------------------------

Node = tuple[str, object]
_ADDR = re.compile(r"(?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]*:[0-9a-f:.]*(?:/\d+)?", re.I)
_IFACE = re.compile(r"[a-z][a-z\-]*\d+(?:[/.:]\d+)*", re.I)
_IFACE_NAME = re.compile(r"[a-z][a-z\-]*", re.I)
_FILTER = re.compile(r"\s\|\s*(i|in|inc|incl|inclu|includ|include|e|ex|exc|excl|exclu|exclud|exclude|b|be|beg|"
                     r"begi|begin|s|se|sec|sect|secti|sectio|section|c|co|cou|coun|count)\b.*$", re.I | re.S)


def _tokenise(syntax: str) -> list[str]:
    return re.findall(r"[\[\]()|]|[^\s\[\]()|]+", syntax)


def _compile(tokens: list[str], pos: int = 0, close: str = "") -> tuple[Node, int]:
    """Recursive descent over the syntax: returns (node, next position)."""
    alternatives: list[list[Node]] = [[]]
    while pos < len(tokens):
        tok = tokens[pos]
        if tok == close:
            break
        pos += 1
        if tok == "|":
            alternatives.append([])
        elif tok in "[(":
            inner, pos = _compile(tokens, pos, "]" if tok == "[" else ")")
            pos += 1
            alternatives[-1].append(("opt", inner) if tok == "[" else inner)
        else:
            alternatives[-1].append(("word", tok))
    seqs: list[Node] = [("seq", alt) for alt in alternatives]
    return (seqs[0] if len(seqs) == 1 else ("alt", seqs)), pos


@cache
def _grammar(syntax: str) -> Node:
    return _compile(_tokenise(syntax))[0]


def _word(word: str, tokens: list[str], i: int) -> Iterator[int]:
    if i >= len(tokens):
        return
    tok = tokens[i]
    if word == "ARG" or (word == "NUM" and tok.isdigit()) or (word == "ADDR" and _ADDR.fullmatch(tok)):
        yield i + 1
    elif word == "TUNNEL":
        if re.fullmatch(r"tu[a-z]*\d+", tok, re.I):
            yield i + 1
        elif re.fullmatch(r"tu[a-z]*", tok, re.I) and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            yield i + 2  # `tunnel 100`
    elif word == "IFACE":
        if _IFACE.fullmatch(tok):
            yield i + 1
        elif _IFACE_NAME.fullmatch(tok) and i + 1 < len(tokens) and re.fullmatch(r"\d+(?:[/.:]\d+)*", tokens[i + 1]):
            yield i + 2  # `tunnel 100`
    elif len(tok) >= min(_MIN_LEN.get(word, 2), len(word)) and word.startswith(tok):
        yield i + 1


def _match(node: Node, tokens: list[str], i: int) -> Iterator[int]:
    """Every position the node can end at when it starts at token ``i`` (backtracking)."""
    kind, value = node
    if kind == "word":
        yield from _word(str(value), tokens, i)
    elif kind == "opt":
        yield i
        yield from _match(value, tokens, i)  # type: ignore[arg-type]
    elif kind == "alt":
        for alt in value:  # type: ignore[attr-defined]
            yield from _match(alt, tokens, i)
    else:
        yield from _seq(list(value), tokens, i)  # type: ignore[call-overload]


def _seq(nodes: list[Node], tokens: list[str], i: int) -> Iterator[int]:
    if not nodes:
        yield i
        return
    for end in _match(nodes[0], tokens, i):
        yield from _seq(nodes[1:], tokens, end)


def _accepts(spec: CommandSpec, tokens: list[str]) -> bool:
    return any(end == len(tokens) for end in _match(_grammar(spec.syntax), tokens, 0))


@lru_cache(maxsize=512)
def resolve_command(command: str) -> CommandSpec | None:
    """Map what an operator typed (`sh dmvpn`, `show ip ospf 1 neighbor`, `sh cry ses | i Peer`) to a spec.

    Args:
        command: the show command, abbreviated or not, any whitespace, any case, with or
            without an output filter.

    Returns:
        The matching CommandSpec (``filtered`` set when a `| include ...` filter was
        given), or None when the command is not supported.
    """
    modifier = _FILTER.search(" " + command)
    body = _FILTER.sub("", " " + command)
    if "|" in body:
        return None  # an output modifier we do not know (`| redirect`, `| format`)
    tokens = body.lower().split()
    named = _BY_NAME.get(" ".join(tokens))  # the canonical name (`show interfaces tunnel`) names its spec
    for spec in ([named] if named else []) + list(COMMANDS):
        if spec is named or _accepts(spec, tokens):
            if modifier is None:
                return spec
            if modifier.group(1).lower().startswith("c"):
                # `| count REGEX` prints only the number of matching lines
                return _BY_NAME["show dmvpn count status"] if spec.template == _DMVPN else None
            return dataclasses.replace(spec, filtered=True, empty_ok=True)
    return None
