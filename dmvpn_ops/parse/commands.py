"""The command table: which show commands we parse, how they abbreviate, which template reads them."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CommandSpec", "COMMANDS", "SUPPORTED_COMMANDS", "resolve_command"]

# Keywords that narrow a command's scope without changing its output format
# (`show ip nhrp nhs tunnel 100`, `show dmvpn interface Tunnel1`, `show crypto ipsec sa peer X`).
_SCOPE_WORDS = ("tunnel", "interface", "vrf", "peer", "ipv4", "ipv6", "local", "remote",
                "static", "dynamic", "incomplete", "address", "all")


@dataclass(frozen=True)
class CommandSpec:
    """One parseable show command.

    ``words`` are (keyword, shortest accepted abbreviation) pairs as IOS accepts them.
    ``empty_ok`` is True when IOS prints nothing at all for an empty table.
    """

    name: str
    words: tuple[tuple[str, int], ...]
    template: str
    detail: bool = False
    scoped: bool = False
    empty_ok: bool = False


def _w(*pairs: str) -> tuple[tuple[str, int], ...]:
    """'sh:show' style pairs -> ((word, min_len), ...)."""
    out = []
    for pair in pairs:
        short, word = pair.split(":")
        out.append((word, len(short)))
    return tuple(out)


_SHOW = "sh:show"
COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("show dmvpn", _w(_SHOW, "dm:dmvpn"), "cisco_ios_show_dmvpn.textfsm", scoped=True),
    CommandSpec("show dmvpn detail", _w(_SHOW, "dm:dmvpn"), "cisco_ios_show_dmvpn.textfsm",
                detail=True, scoped=True),
    CommandSpec("show ip nhrp nhs", _w(_SHOW, "ip:ip", "nh:nhrp", "nhs:nhs"),
                "cisco_ios_show_ip_nhrp_nhs.textfsm", scoped=True, empty_ok=True),
    CommandSpec("show ip nhrp nhs detail", _w(_SHOW, "ip:ip", "nh:nhrp", "nhs:nhs"),
                "cisco_ios_show_ip_nhrp_nhs.textfsm", detail=True, scoped=True, empty_ok=True),
    CommandSpec("show ip nhrp", _w(_SHOW, "ip:ip", "nh:nhrp"), "cisco_ios_show_ip_nhrp.textfsm",
                scoped=True, empty_ok=True),
    CommandSpec("show ip nhrp detail", _w(_SHOW, "ip:ip", "nh:nhrp"), "cisco_ios_show_ip_nhrp.textfsm",
                detail=True, scoped=True, empty_ok=True),
    CommandSpec("show crypto isakmp sa", _w(_SHOW, "cry:crypto", "isa:isakmp", "sa:sa"),
                "cisco_ios_show_crypto_isakmp_sa.textfsm"),
    CommandSpec("show crypto ikev2 sa", _w(_SHOW, "cry:crypto", "ikev2:ikev2", "sa:sa"),
                "cisco_ios_show_crypto_ikev2_sa.textfsm"),
    CommandSpec("show crypto ipsec sa", _w(_SHOW, "cry:crypto", "ip:ipsec", "sa:sa"),
                "cisco_ios_show_crypto_ipsec_sa.textfsm", scoped=True, empty_ok=True),
    CommandSpec("show crypto ipsec sa detail", _w(_SHOW, "cry:crypto", "ip:ipsec", "sa:sa"),
                "cisco_ios_show_crypto_ipsec_sa.textfsm", detail=True, scoped=True, empty_ok=True),
    CommandSpec("show crypto session", _w(_SHOW, "cry:crypto", "ses:session"),
                "cisco_ios_show_crypto_session.textfsm", scoped=True),
    CommandSpec("show crypto session detail", _w(_SHOW, "cry:crypto", "ses:session"),
                "cisco_ios_show_crypto_session.textfsm", detail=True, scoped=True),
    CommandSpec("show ip eigrp neighbors", _w(_SHOW, "ip:ip", "ei:eigrp", "nei:neighbors"),
                "cisco_ios_show_ip_eigrp_neighbors.textfsm"),
    CommandSpec("show ip ospf neighbor", _w(_SHOW, "ip:ip", "os:ospf", "nei:neighbor"),
                "cisco_ios_show_ip_ospf_neighbor.textfsm", empty_ok=True),
    CommandSpec("show ip bgp summary", _w(_SHOW, "ip:ip", "bg:bgp", "su:summary"),
                "cisco_ios_show_ip_bgp_summary.textfsm"),
    CommandSpec("show ip interface brief", _w(_SHOW, "ip:ip", "int:interface", "br:brief"),
                "cisco_ios_show_ip_interface_brief.textfsm"),
)

SUPPORTED_COMMANDS: list[str] = [spec.name for spec in COMMANDS]
_BY_NAME = {spec.name: spec for spec in COMMANDS}
# `show bgp ipv4 unicast summary` prints the same table as `show ip bgp summary`.
_ALIASES = {"show bgp ipv4 unicast summary": "show ip bgp summary",
            "show ip ospf neighbors": "show ip ospf neighbor",
            "show ip eigrp neighbor": "show ip eigrp neighbors"}


def _abbreviates(token: str, word: str, min_len: int) -> bool:
    return len(token) >= min_len and word.startswith(token)


def _tail_ok(spec: CommandSpec, tail: list[str]) -> bool:
    """Decide whether the words after the command proper fit this spec (scope, `detail`)."""
    if spec.detail:
        if not tail or not _abbreviates(tail[-1], "detail", 1):
            return False
        tail = tail[:-1]
    elif tail and _abbreviates(tail[-1], "detail", 1):
        return False
    if not tail:
        return True
    return spec.scoped and any(_abbreviates(tail[0], word, 2) for word in _SCOPE_WORDS)


def resolve_command(command: str) -> CommandSpec | None:
    """Map what an operator typed (`sh dmvpn`, `show  ip nhrp nhs tunnel 100`) to a spec.

    Args:
        command: the show command, abbreviated or not, any whitespace, any case.

    Returns:
        The matching CommandSpec, or None when the command is not supported.
    """
    tokens = command.lower().split()
    joined = " ".join(tokens)
    if joined in _ALIASES:
        return _BY_NAME[_ALIASES[joined]]
    if joined in _BY_NAME:
        return _BY_NAME[joined]
    for spec in sorted(COMMANDS, key=lambda s: -len(s.words)):
        words = spec.words
        if len(tokens) < len(words):
            continue
        if all(_abbreviates(tok, word, n) for tok, (word, n) in zip(tokens, words)) and _tail_ok(
                spec, tokens[len(words):]):
            return spec
    return None
