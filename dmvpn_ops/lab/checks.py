"""Semantic checks IOS makes after a line parses: masks, references to objects, in-use deletions, VRF moves.

The grammar (:mod:`dmvpn_ops.lab.syntax_config`) decides what a line *says*; this module decides whether
IOS *accepts* it given the rest of the running config, and what else the line does (``vrf forwarding``
drops the interface's addresses). Each rule names its source; where no capture of IOS's exact text was
found, the rule says so and the text follows IOS's wording for the neighbouring objects.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from dmvpn_ops.lab import config
from dmvpn_ops.lab.config import Line

# --- objects: how a definition looks in the running config, and what IOS says when it is missing ---
# kind -> (definition prefixes (the name follows), IOS's message for a reference to a missing one)
_VRF_DEFS = (("vrf", "definition"), ("ip", "vrf"))
# Cisco's pyATS SDK, CiscoTestAutomation/genielibs pkgs/sdk-pkg/src/genie/libs/sdk/apis/iosxe/ike/configure.py,
# lists the texts IOS-XE answers IKEv2 configuration with (error_pattern of configure_ikev2_policy,
# configure_ikev2_profile, unconfigure_ikev2_proposal): quoted below as "genielibs ike/configure.py".
OBJECTS: dict[str, tuple[tuple[tuple[str, ...], ...], str]] = {
    # "% VRF X not configured." — IOS answer to `ip vrf forwarding X` (netman's real-device test
    # fixtures, internap/netman), and `vrf forwarding X`. UNSOURCED: `tunnel vrf X`, `router ospf N vrf X`,
    # `crypto keyring K vrf X` and the ISAKMP profile's `vrf X` / `match identity address A M X` have no capture
    # of their own and reuse this text by analogy (for `tunnel vrf` the IOS-XE YANG model,
    # Cisco-IOS-XE-tunnel.yang vrf-common, does require the VRF: must ... "VRF is not configured").
    "vrf": (_VRF_DEFS, "% VRF {name} not configured."),
    # "% fvrf X not configured" — `match fvrf X` in an IKEv2 policy (genielibs ike/configure.py,
    # configure_ikev2_policy); `match fvrf` in an IKEv2 profile has no capture of its own and uses the same
    # IKEv2 text by analogy (Cisco-IOS-XE-crypto.yang requires that VRF too: must ... "Create first")
    "fvrf": (_VRF_DEFS, "% fvrf {name} not configured"),
    # "% vrf X not configured" — `ivrf X` in an IKEv2 profile (genielibs ike/configure.py,
    # configure_ikev2_profile_advanced: the line `ivrf {ivrf}` and the error_pattern "% vrf {ivrf} not configured")
    "ivrf": (_VRF_DEFS, "% vrf {name} not configured"),
    # "%IP routing table X does not exist. Create first" — `ip route vrf X` (Net::Telnet::Cisco's list
    # of IOS configuration warnings)
    "vrf-table": (_VRF_DEFS, "%IP routing table {name} does not exist. Create first"),
    # 'ERROR: transform set with tag "X" does not exist.' — `set transform-set` of a missing set
    # (Cisco IOS Security Command Reference, set transform-set; the same text for crypto maps)
    "transform-set": ((("crypto", "ipsec", "transform-set"),), 'ERROR: transform set with tag "{name}" does not exist.'),
    # "% Invalid keyring X" — `keyring local X` in an IKEv2 profile (genielibs ike/configure.py,
    # configure_ikev2_profile; Cisco-IOS-XE-crypto.yang: keyring local name is a leafref to the keyrings)
    "ikev2-keyring": ((("crypto", "ikev2", "keyring"),), "% Invalid keyring {name}"),
    # "% No Proposal exists with the specified name X" — `proposal X` in an IKEv2 policy (genielibs
    # ike/configure.py, configure_ikev2_policy)
    "ikev2-proposal": ((("crypto", "ikev2", "proposal"),), "% No Proposal exists with the specified name {name}"),
    # UNSOURCED: no capture or Cisco document gives IOS's text for `tunnel protection ipsec profile X`,
    # `set ikev2-profile X`, `set isakmp-profile X` (IPsec profile) or `keyring X` (ISAKMP profile) naming a
    # missing object. That IOS-XE requires each object is sourced (Cisco-IOS-XE-crypto.yang must statements:
    # "It seems IPSec profile doesn't exist ...", "It seems IKEv2 profile doesn't exist ...", "It seems ISAKMP
    # profile doesn't exist ...", "keyring must be created first and deleted last"; those are the NETCONF
    # answers, not the CLI's), so the lines are refused with a "does not exist" text of the lab's wording.
    "ipsec-profile": ((("crypto", "ipsec", "profile"),), "% IPsec profile {name} does not exist"),
    "ikev2-profile": ((("crypto", "ikev2", "profile"),), "% IKEv2 profile {name} does not exist"),
    "isakmp-profile": ((("crypto", "isakmp", "profile"),), "% ISAKMP profile {name} does not exist"),
    "keyring": ((("crypto", "keyring"),), "% Keyring {name} does not exist"),
}
_VRF_KINDS = {"vrf", "fvrf", "ivrf", "vrf-table"}  # one object (a VRF), several answers
LABELS = {"ipsec-profile": "IPsec profile", "transform-set": "Transform set", "ikev2-profile": "IKEv2 profile",
          "ikev2-keyring": "IKEv2 keyring", "ikev2-proposal": "IKEv2 proposal", "isakmp-profile": "ISAKMP profile",
          "keyring": "Keyring"}


@dataclass(frozen=True)
class Use:
    """A line that names an object: in ``mode``, words ``prefix`` (``*`` = any word), then the name(s)."""

    kind: str
    mode: str
    prefix: tuple[str, ...]
    many: bool = False  # every word after the prefix is a name (set transform-set A B C)


USES = (
    Use("vrf", "config-if", ("vrf", "forwarding")), Use("vrf", "config-if", ("ip", "vrf", "forwarding")),
    Use("vrf", "config-if", ("tunnel", "vrf")), Use("vrf-table", "config", ("ip", "route", "vrf")),
    Use("vrf", "config", ("crypto", "keyring", "*", "vrf")), Use("vrf", "config", ("router", "ospf", "*", "vrf")),
    Use("fvrf", "config-ikev2-policy", ("match", "fvrf")), Use("fvrf", "config-ikev2-profile", ("match", "fvrf")),
    Use("ivrf", "config-ikev2-profile", ("ivrf",)),
    Use("vrf", "conf-isa-prof", ("vrf",)),
    Use("ipsec-profile", "config-if", ("tunnel", "protection", "ipsec", "profile")),
    Use("transform-set", "ipsec-profile", ("set", "transform-set"), many=True),
    Use("ikev2-profile", "ipsec-profile", ("set", "ikev2-profile")),
    Use("isakmp-profile", "ipsec-profile", ("set", "isakmp-profile")),
    Use("ikev2-keyring", "config-ikev2-profile", ("keyring", "local")),
    Use("ikev2-proposal", "config-ikev2-policy", ("proposal",)),
    Use("keyring", "conf-isa-prof", ("keyring",)),
)
_NOT_NAMES = {"any", "shared"}


def _names(use: Use, words: list[str]) -> list[str]:
    n = len(use.prefix)
    if len(words) <= n or any(p != "*" and p != w for p, w in zip(use.prefix, words)):
        return []
    names = words[n:] if use.many else words[n:n + 1]
    return [w for w in names if w not in _NOT_NAMES]


def _isakmp_match_vrf(mode: str, words: list[str]) -> list[str]:
    """`match identity address A [M] [VRF]` in an ISAKMP profile: a last word that is no address is a VRF."""
    if mode != "conf-isa-prof" or words[:3] != ["match", "identity", "address"] or len(words) < 5:
        return []
    return [] if _is_ip(words[-1]) else [words[-1]]


def references(mode: str, words: list[str]) -> list[tuple[str, str]]:
    """(kind, name) of every object the line names."""
    out = [(u.kind, name) for u in USES if u.mode == mode for name in _names(u, words)]
    return out + [("vrf", name) for name in _isakmp_match_vrf(mode, words)]


def exists(root: list[Line], kind: str, name: str) -> bool:
    prefixes = OBJECTS[kind][0]
    return any(ln.text.split()[:len(p) + 1] == [*p, name] for ln in root for p in prefixes)


def missing(root: list[Line], mode: str, words: list[str]) -> str | None:
    """IOS's refusal when the line names an object the config does not hold, else None."""
    for kind, name in references(mode, words):
        if not exists(root, kind, name):
            return OBJECTS[kind][1].format(name=name)
    return None


# --- in-use deletions -------------------------------------------------------------------------------
def _walk(lines: list[Line], mode: str, parent: str) -> Iterator[tuple[str, str, Line]]:
    for ln in lines:
        yield mode, parent, ln
        if ln.mode:
            yield from _walk(ln.children, ln.mode, ln.text)


def defined(words: tuple[str, ...]) -> tuple[str, str] | None:
    """(kind, name) when ``no <words>`` deletes an object definition."""
    for kind, (prefixes, _) in OBJECTS.items():
        for p in prefixes:
            if len(words) == len(p) + 1 and tuple(words[:len(p)]) == p and kind not in _VRF_KINDS - {"vrf"}:
                return kind, words[-1]
    return None


def users(root: list[Line], kind: str, name: str) -> list[str]:
    """The blocks (or global lines) that name the object: ``interface Tunnel100``, ..."""
    out = []
    for mode, parent, ln in _walk(root, "config", ""):
        for k, n in references(mode, ln.text.split()):
            if n == name and (k == kind or {k, kind} <= _VRF_KINDS):
                out.append(parent or ln.text)
    return out


def in_use(root: list[Line], words: tuple[str, ...]) -> str | None:
    """IOS's refusal of ``no <words>`` when the object is still referenced, else None.

    A VRF is not refused: IOS deletes it and strips the interfaces (see :func:`drop_vrf`).
    """
    got = defined(words)
    if got is None or got[0] == "vrf":
        return None
    kind, name = got
    found = users(root, kind, name)
    if not found:
        return None
    return IN_USE.get(kind, _UNSOURCED_IN_USE).format(label=LABELS[kind], name=name, user=found[0])


# "% Cannot remove as proposal is in use." — `no crypto ikev2 proposal X` while an IKEv2 policy names it
# (genielibs ike/configure.py, unconfigure_ikev2_proposal error_pattern).
IN_USE = {"ikev2-proposal": "% Cannot remove as proposal is in use."}
# UNSOURCED: no capture or Cisco document gives IOS's answer to deleting an IPsec profile a tunnel uses, a
# transform set, IKEv2 profile or keyring an IPsec / IKEv2 profile uses, an ISAKMP profile or keyring. IOS-XE
# refuses them (Cisco-IOS-XE-crypto.yang must statements: "... or attempting to remove when referred by tunnel
# config", "... attempted to delete when actively referred by IPSec profile", "keyring must be created first
# and deleted last"; the NETCONF answers), and Cisco's FlexVPN/DMVPN guides remove the references first; the
# text names the object and its first user in the lab's own wording.
_UNSOURCED_IN_USE = "% {label} {name} is in use by {user} and cannot be removed"


def proposal_again(policy: Line | None, words: list[str]) -> str | None:
    """`proposal X` in an IKEv2 policy that lists X already: IOS accepts it, nothing changes, and it says
    ``% Policy already has same proposal set`` (an informational message in Cisco's CCP Express
    DeviceCommunicator.js INFO_MESSAGES; a warning of the NSO cisco-ios NED, crypto ikev2 policy * / proposal;
    in public IOSv sessions)."""
    if policy is None or not any(c.text.split() == words for c in policy.children):
        return None
    return "% Policy already has same proposal set"


# What IOS prints on `crypto ikev2 profile X` when X is new: the line is accepted and the profile mode entered
# (real sessions: IOSv 15.x and IOS-XE routers in public DMVPN/FlexVPN lab write-ups, e.g. "Hub-RTR(config)#crypto
# ikev2 profile ike-prof" / "iosv-0(config-ikev2-keyring)#crypto ikev2 profile ike-profile", each followed by these
# three lines, then the config-ikev2-profile prompt). Re-entering an existing profile prints nothing there.
IKEV2_PROFILE_NOTICE = ("IKEv2 profile MUST have:\n"
                        "   1. A local and a remote authentication method.\n"
                        "   2. A match identity or a match certificate or match any statement.")


def new_ikev2_profile(root: list[Line], words: list[str]) -> str | None:
    """`crypto ikev2 profile X` for a profile the config does not hold yet: IOS's reminder, else None."""
    if words[:3] != ["crypto", "ikev2", "profile"] or len(words) != 4 or exists(root, "ikev2-profile", words[3]):
        return None
    return IKEV2_PROFILE_NOTICE


def tunnel_mode_changed(iface: Line, words: list[str]) -> str | None:
    """`tunnel mode M` on a tunnel with `tunnel protection` whose mode was another: IOS accepts the line and
    warns (real IOS capture, a DMVPN fault-injection log: hub Tunnel0 under `tunnel protection ipsec profile`
    moved from `tunnel mode gre multipoint` to `tunnel mode gre ip` answered exactly this). No mode line is
    GRE IP, IOS's default (Cisco IOS Interface and Hardware Component Command Reference, tunnel mode)."""
    if words[:2] != ["tunnel", "mode"] or not any(c.text.startswith("tunnel protection ") for c in iface.children):
        return None
    current = next((c.text.split()[2:] for c in iface.children if c.text.startswith("tunnel mode ")), ["gre", "ip"])
    if current == words[2:]:
        return None
    return ("%WARNING: The tunnel mode has been modified while the tunnel protection is already active. "
            f'It is recommended to run "shutdown" and "no shutdown" on {iface.text.split()[1]} interface to '
            "refresh the config.")


def vrf_without_ipv4(root: list[Line], iface: Line | None) -> str | None:
    """`ip address` on an interface in a `vrf definition` without `address-family ipv4`: IOS refuses it with
    ``<interface> is linked to a VRF. Enable IPv4 on that VRF first`` (ansible/ansible#26725: the interface was
    put in a new VRF without the address family and IOS answered `ip address` so; the same text is a refusal
    in the Cisco NSO cisco-ios NED's error list). The leading ``% `` is UNSOURCED (the issue quotes the text
    without it): it follows IOS's other refusals. An `ip vrf X` VRF is IPv4 by definition."""
    name = _vrf_of(iface) if iface is not None else None
    vrf = config.find(root, ("vrf", "definition", name)) if name is not None else None
    if iface is None or vrf is None or any(c.text.split()[:2] == ["address-family", "ipv4"] for c in vrf.children):
        return None
    return f"% {iface.text.split()[1]} is linked to a VRF. Enable IPv4 on that VRF first"


def drop_vrf(root: list[Line], name: str) -> str | None:
    """`no vrf definition X`: interfaces in X lose `vrf forwarding` and their IPv4 addresses, `ip route
    vrf X` goes (Cisco IOS-XE MPLS Layer 3 VPN configuration guide: deleting a VRF removes its
    interface configuration); IOS prints the removal message only when some interface was in it (text: the
    device answer to `no ip vrf test` in Cisco's genielibs unit-test data, apis/tests/iosxe/vrf/configure/
    delete_ip_vrf/mock_data)."""
    touched = False
    for ln in root:
        if ln.text.startswith("interface ") and _in_vrf(ln, name):
            ln.children[:] = [c for c in ln.children if not _vrf_or_address(c)]
            touched = True
    root[:] = [ln for ln in root if ln.text.split()[:4] != ["ip", "route", "vrf", name]]
    return f"% IPv4 addresses from all interfaces in VRF {name} have been removed" if touched else None


def _in_vrf(iface: Line, name: str) -> bool:
    return any(c.text in (f"vrf forwarding {name}", f"ip vrf forwarding {name}") for c in iface.children)


def _vrf_or_address(line: Line) -> bool:
    w = line.text.split()
    return w[:2] == ["vrf", "forwarding"] or w[:3] == ["ip", "vrf", "forwarding"] or w[:2] == ["ip", "address"]


def move_to_vrf(iface: Line, name: str | None) -> str | None:
    """`vrf forwarding X` / `no vrf forwarding`: IOS removes the interface's IPv4 addresses and says so.

    Text from real captures (IOS-XE on GigabitEthernet1, IOS on GigabitEthernet0/0):
    ``% Interface GigabitEthernet1 IPv4 disabled and address(es) removed due to enabling VRF X``.
    Re-entering the VRF the interface is already in changes nothing.
    """
    current = next((c.text.split()[-1] for c in iface.children if _vrf_or_address(c)
                    and "forwarding" in c.text), None)
    if current == name:
        return None
    before = len(iface.children)
    iface.children[:] = [c for c in iface.children if c.text.split()[:2] != ["ip", "address"]]
    if len(iface.children) == before:
        return None
    ifname = iface.text.split()[1]
    verb = "enabling" if name is not None else "disabling"
    return f"% Interface {ifname} IPv4 disabled and address(es) removed due to {verb} VRF {name or current}"


# --- addresses and masks ------------------------------------------------------------------------------
def _is_ip(tok: str) -> bool:
    try:
        IPv4Address(tok)
    except ValueError:
        return False
    return True


def _prefixlen(mask: str) -> int | None:
    """The prefix length of a contiguous mask, else None."""
    bits = int(IPv4Address(mask))
    inverted = ~bits & 0xFFFFFFFF
    return None if inverted & (inverted + 1) else 32 - inverted.bit_length()


def interface_address(addr: str, mask: str) -> str | None:
    """`ip address A M`: IOS refuses a non-contiguous mask (``Bad mask 0xFF00FF00 for address A``) and the
    network or broadcast address of a subnet (``Bad mask /24 for address A``) (Cisco IOS IP Addressing
    Services Command Reference, ip address; text as IOS prints it)."""
    plen = _prefixlen(mask)
    if plen is None:
        return f"Bad mask 0x{int(IPv4Address(mask)):X} for address {addr}"
    if plen < 31:
        host = int(IPv4Address(addr)) & ~int(IPv4Address(mask)) & 0xFFFFFFFF
        if host in (0, ~int(IPv4Address(mask)) & 0xFFFFFFFF):
            return f"Bad mask /{plen} for address {addr}"
    return None


# IOS's answer to `ip address` on a LAN sub-interface that has no encapsulation yet: three lines, each of the first
# two with a trailing space (a real IOS session, router-on-a-stick lab `R1(config-subif)#ip addr 192.168.3.1
# 255.255.255.0` on `int e0/0.3` before `encapsulation dot1Q 3`; the line is not applied). The IOS-XE 17.12.1
# YANG model states the same rule and text on the primary address (Cisco-IOS-XE-interfaces.yang, ip address
# primary/address must: a name with '.' needs encapsulation/dot1Q/vlan-id unless the interface is ATM, Serial
# or MFR; revision 2017-06-01 "Add dependency for interface ip address to encapsulation/dot1Q"). `ip address
# dhcp` has no such must and is accepted.
SUBIF_NO_ENCAP = ("% Configuring IP routing on a LAN subinterface is only allowed if that \n"
                  "subinterface is already configured as part of an IEEE 802.10, IEEE 802.1Q, \n"
                  "or ISL vLAN.")
# LAN interface types whose sub-interfaces need an encapsulation (the capture's Ethernet0/0.3; the
# CSR1000v / C8000v / ISR4k sub-interfaces are GigabitEthernet N.M; the YANG must exempts only ATM, Serial, MFR)
_LAN = ("Ethernet", "FastEthernet", "GigabitEthernet", "TenGigabitEthernet", "Port-channel")


def subinterface_ip(iface: Line | None) -> str | None:
    """`ip address` on a LAN sub-interface without `encapsulation dot1Q`: refused with IOS's text."""
    if iface is None or not iface.text.startswith("interface "):
        return None
    name = iface.text.split()[1]
    if "." not in name or not name.startswith(_LAN):
        return None
    if any(c.text.startswith("encapsulation ") for c in iface.children):
        return None
    return f"\n{SUBIF_NO_ENCAP}\n"  # with an empty line before and after it, as the capture shows


def overlap(root: list[Line], iface: Line | None, addr: str, mask: str) -> str | None:
    """`ip address` in a subnet another interface of the same VRF already has: IOS refuses it with
    ``% 10.1.1.0 overlaps with GigabitEthernet1`` (Cisco IOS IP Addressing Services configuration guide,
    "Configuring IPv4 Addresses": no two interfaces in one routing table on one subnet)."""
    if iface is None:
        return None
    mine = IPv4Network(f"{addr}/{mask}", strict=False)
    vrf = _vrf_of(iface)
    for other in root:
        if other is iface or not other.text.startswith("interface ") or _vrf_of(other) != vrf:
            continue
        for child in other.children:
            w = child.text.split()
            if w[:2] == ["ip", "address"] and len(w) >= 4 and _is_ip(w[2]) and _prefixlen(w[3]) is not None:
                theirs = IPv4Network(f"{w[2]}/{w[3]}", strict=False)
                if mine.overlaps(theirs):
                    return f"% {mine.network_address} overlaps with {other.text.split()[1]}"
    return None


def _vrf_of(iface: Line) -> str | None:
    return next((c.text.split()[-1] for c in iface.children
                 if c.text.startswith(("vrf forwarding ", "ip vrf forwarding "))), None)


def network_mask(addr: str, mask: str) -> str | None:
    """`ip route A M` / `network A mask M`: a non-contiguous mask or host bits set in A are refused with
    ``%Inconsistent address and mask`` (Cisco IOS IP Routing: Protocol-Independent Command Reference)."""
    plen = _prefixlen(mask)
    if plen is None or int(IPv4Address(addr)) & ~int(IPv4Address(mask)) & 0xFFFFFFFF:
        return "%Inconsistent address and mask"
    return None


def bgp_neighbor(block: Line | None, words: list[str]) -> str | None:
    """BGP neighbour references inside `router bgp` (Cisco IP Routing: BGP Command Reference; the texts are
    IOS's, kept verbatim by Zebra/Quagga's bgpd): a peer-group must exist before a neighbour joins it
    (``% Create the peer-group first``), and a neighbour must have a remote-as or peer-group before any
    other setting (``% Specify remote-as or peer-group commands first``)."""
    if block is None or len(words) < 3:
        return None
    peer, what = words[1], words[2]
    known = _bgp_known(block)
    if what == "peer-group":
        if len(words) == 3:
            return None if not _is_ip(peer) else "% Invalid peer-group name"
        return None if words[3] in known["groups"] else "% Create the peer-group first"
    if what == "remote-as":
        return None
    return None if peer in known["groups"] or peer in known["peers"] else \
        "% Specify remote-as or peer-group commands first"


def _bgp_known(block: Line) -> dict[str, set[str]]:
    groups, peers = set(), set()
    for ln in block.children:
        w = ln.text.split()
        if w[:1] == ["neighbor"] and w[2:3] == ["peer-group"] and len(w) == 3:
            groups.add(w[1])
        elif w[:1] == ["neighbor"] and w[2:3] in (["remote-as"], ["peer-group"]):
            peers.add(w[1])
    return {"groups": groups, "peers": peers}


def find_block(root: list[Line], key: tuple[str, ...]) -> Line | None:
    return config.find(root, key)
