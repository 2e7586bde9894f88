"""Brownfield ordering: the remediation in the order IOS needs it, with what IOS removes re-applied.

hier_config knows what differs, not what IOS does while the lines arrive:
- an object must exist before a line references it (``vrf forwarding INET`` before
  ``vrf definition INET`` is refused: "% VRF INET not configured");
- ``vrf forwarding`` (and ``no vrf forwarding``) on an interface removes its IP addresses
  (IOS prints "% Interface Gi1 IPv4 disabled and address(es) removed due to enabling VRF INET";
  Cisco IOS XE "VRF-lite" configuration guide), so the address is re-applied right after it;
- what the intent replaces must go: a global route whose VRF twin the intent now has (the
  underlay moved into a front-door VRF) is left without a connected next hop.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["order_lines", "replaced_by_intent", "foreign_lines"]

# Creation order of top-level blocks: what is referenced first (vrf, then crypto from the inside
# out, QoS), then interfaces (underlay before tunnels), routing, static routes.
_CREATE_ORDER = (
    ("vrf definition ", 0), ("crypto ikev2 proposal", 1), ("crypto ikev2 keyring", 1), ("crypto keyring", 1),
    ("crypto isakmp policy", 1), ("crypto isakmp key", 1), ("crypto ipsec transform-set", 1),
    ("crypto ikev2 policy", 2), ("crypto ikev2 profile", 2), ("crypto isakmp profile", 2),
    ("crypto isakmp keepalive", 2), ("crypto ipsec profile", 3), ("class-map", 3), ("policy-map", 4),
    # Routing before the tunnels: a brownfield tunnel losing `ip ospf 1 area 0` is then already
    # covered by the process's `network` statement (no adjacency flap).
    ("interface Tunnel", 7), ("interface ", 5), ("router ", 6), ("ip route ", 8),
)
# Blocks dmvpn-ops owns whole (its tunnels, its crypto and QoS objects); in every other block it
# owns only the lines it renders, and a brownfield router's own lines stay (NAT on the underlay,
# `default-information originate` in the OSPF process, ...).
_OWNED_WHOLE = re.compile(r"^(interface Tunnel|crypto |policy-map |class-map )")
# Child lines IOS holds once per block: the intended one replaces the running one.
_SINGLE_CHILD = (re.compile(r"^ip address \S+ \S+$"), re.compile(r"^vrf forwarding "),
                 re.compile(r"^description "), re.compile(r"^(eigrp |bgp )?router-id "))
# Single-valued interface commands IOS replaces in place: `no` of the old value first would leave
# the tunnel unprotected (or down) for a moment, so only the new value is sent.
_REPLACED_IN_PLACE = ("tunnel protection ipsec profile ", "tunnel source ", "tunnel key ", "tunnel mode ",
                      "ip nhrp network-id ", "ip nhrp holdtime ", "ip nhrp authentication ", "ip mtu ",
                      "ip tcp adjust-mss ", "bandwidth ")
_VRF_LINE = re.compile(r"^\s*(no )?vrf forwarding\b")
_ADDRESS_LINE = re.compile(r"^\s*(ip|ipv6) address\b")
_GLOBAL_ROUTE = re.compile(r"^ip route (?!vrf )(\S+ \S+ .+)$")


def _rank(top: str) -> int:
    return next((rank for prefix, rank in _CREATE_ORDER if top.startswith(prefix)), 5)


def _blocks(lines: Iterable[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    for line in lines:
        if line[:1].isspace() and blocks:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def _addresses(reference: str, interface: str) -> list[str]:
    """The address lines ``interface`` has in the reference config (what the device must end with)."""
    out: list[str] = []
    inside = False
    for line in reference.splitlines():
        if not line[:1].isspace():
            inside = line.strip() == interface
        elif inside and _ADDRESS_LINE.match(line) and not line.strip().startswith("no "):
            out.append(line.strip())
    return out


def foreign_lines(parent: str, running: list[str], intended: list[str]) -> list[str]:
    """Children of a running block that dmvpn-ops does not own and must keep (brownfield)."""
    if _OWNED_WHOLE.match(parent):
        return []
    replaced = {p.pattern for p in _SINGLE_CHILD for line in intended if p.match(line)}
    return [line for line in running if line not in intended
            and not any(p.pattern in replaced and p.match(line) for p in _SINGLE_CHILD)]


def _replace_in_place(block: list[str]) -> list[str]:
    """Drop ``no <cmd> old`` where the block also sets ``<cmd> new`` (IOS overwrites the value)."""
    setting = {prefix for ln in block[1:] for prefix in _REPLACED_IN_PLACE if ln.strip().startswith(prefix)}
    return [ln for ln in block
            if not (ln.strip().startswith("no ") and any(ln.strip()[3:].startswith(p) for p in setting))]


def _reapply_addresses(block: list[str], reference: str) -> list[str]:
    """``vrf forwarding`` first in its interface block, then every address IOS just removed."""
    vrf = [ln for ln in block[1:] if _VRF_LINE.match(ln)]
    if not vrf or not block[0].startswith("interface "):
        return block
    indent = re.match(r"^\s*", vrf[0]).group(0)  # type: ignore[union-attr]
    rest = [ln for ln in block[1:] if not _VRF_LINE.match(ln) and not _ADDRESS_LINE.match(ln)]
    addresses = [indent + ln for ln in _addresses(reference, block[0])]
    return [block[0], *vrf, *addresses, *rest]


def order_lines(lines: Iterable[str], reference: str) -> tuple[str, ...]:
    """Reorder a flat remediation (indented children under their parents) for IOS.

    Args:
        lines: hier_config's remediation or rollback, whole-object removals already last.
        reference: the config the device must have afterwards (target for a deploy, running for a rollback).

    Returns:
        The same lines by creation rank (stable), with addresses re-applied after VRF moves.
    """
    blocks = _blocks(lines)
    creations = sorted((b for b in blocks if not b[0].startswith("no ")), key=lambda b: _rank(b[0]))
    # Removals after every creation (the VRF route exists before the global one goes), referrers
    # first (routes, then objects in their given order, the VRF they live in last).
    removals = sorted((b for b in blocks if b[0].startswith("no ")), key=_removal_rank)
    out: list[str] = []
    for block in creations + removals:
        out.extend(_keep_admin_state(_reapply_addresses(_replace_in_place(block), reference), reference))
    return tuple(out)


def _removal_rank(block: list[str]) -> int:
    top = block[0]
    return 0 if top.startswith("no ip route ") else 2 if top.startswith("no vrf definition ") else 1


def _keep_admin_state(block: list[str], reference: str) -> list[str]:
    """Never ``shutdown`` an interface the reference config keeps up.

    IOS hides the default ``no shutdown``, so a changed interface block (a VRF move) makes
    hier_config negate the intended ``no shutdown`` in the rollback: that would take the underlay down.
    """
    if not block[0].startswith("interface ") or _has_line(reference, block[0], "shutdown"):
        return block
    return [ln for ln in block if ln.strip() != "shutdown"]


def _has_line(reference: str, parent: str, child: str) -> bool:
    inside = False
    for line in reference.splitlines():
        if not line[:1].isspace():
            inside = line.strip() == parent
        elif inside and line.strip() == child:
            return True
    return False


def replaced_by_intent(running_line: str, intended: Iterable[str]) -> bool:
    """A global static route the intent now has in a VRF (same prefix, mask and next hop)."""
    match = _GLOBAL_ROUTE.match(running_line)
    if match is None:
        return False
    body = match.group(1)
    return any(re.match(rf"^ip route vrf \S+ {re.escape(body)}$", line) for line in intended) \
        and running_line not in intended
