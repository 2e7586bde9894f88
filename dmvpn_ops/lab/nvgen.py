"""What IOS's NVGEN does with default values: the ones it never prints, and the ones it always prints.

`show running-config` is generated from the device's state, not replayed from what was typed: a line
that sets a value back to its default leaves nothing behind (typing it removes the non-default line of
that key, as `no` does), and a few defaults are printed although nobody typed them. NAPALM's
compare_config, Ansible's ios_config and our own deploy diff all read the result, so a lab that kept
the typed default would hide a re-deploy that never converges on a real router.
"""
from __future__ import annotations

import re

# mode -> lines equal to the default, which `show running-config` never prints. Each names its source.
HIDDEN: dict[str, dict[str, str]] = {
    "config-if": {
        # GRE point-to-point is the default tunnel mode (Cisco IOS Interface and Hardware Component CR,
        # tunnel mode: "Default: GRE"); real running configs of point-to-point GRE tunnels carry no
        # `tunnel mode` line (OTUS lab R14, IOS 15.4: `interface Tunnel18` ... `tunnel source` /
        # `tunnel destination` only), and `no tunnel mode` goes back to it.
        "tunnel mode gre ip": "Interface CR: tunnel mode (default GRE)",
        # NHRP holdtime default 7200 s (Cisco IOS IP Addressing CR, ip nhrp holdtime); no published running
        # config in the code corpus prints `ip nhrp holdtime 7200` (the one hit is a typed command), and the
        # renderer's defaults table (render/defaults.py) states the same default.
        "ip nhrp holdtime 7200": "IP Addressing CR: ip nhrp holdtime (default 7200 s)",
        # OSPF interface priority default 1 (IP Routing: OSPF CR, ip ospf priority)
        "ip ospf priority 1": "OSPF CR: ip ospf priority (default 1)",
    },
    "config-isakmp": {
        # IKE policy defaults (Cisco IOS Security CR: hash (IKE policy) SHA-1, group (IKE policy) 1,
        # lifetime (IKE policy) 86,400 s, authentication (IKE policy) rsa-sig, encryption (IKE policy) DES;
        # `show crypto isakmp policy` "Default protection suite" lists the same values); published running
        # configs list only non-default values (zone-based firewall router: `encr aes 256` / `authentication
        # pre-share` / `group 5` / `lifetime 3600`, no hash line). A capture of a typed default being dropped
        # was not found: the rule follows the CR defaults and the renderer's table (render/defaults.py).
        "hash sha": "Security CR: hash (IKE policy)", "group 1": "Security CR: group (IKE policy)",
        "lifetime 86400": "Security CR: lifetime (IKE policy)",
        "authentication rsa-sig": "Security CR: authentication (IKE policy)",
        "encr des": "Security CR: encryption (IKE policy)",
    },
    "config-ikev2-profile": {
        # IKEv2 profile SA lifetime default 86400 s (Security CR: lifetime (IKEv2 profile))
        "lifetime 86400": "Security CR: lifetime (IKEv2 profile)",
    },
}

# (mode, header regex, key, line): defaults printed when the block has no line of that key.
SHOWN: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    # a transform set prints ` mode tunnel` unless another mode is set (real captures: Microsoft's Azure
    # vWAN CSR1000v config `crypto ipsec transform-set az-IPSEC-PROPOSAL-SET esp-aes 256 esp-sha-hmac` /
    # ` mode tunnel`; IOS 15 site-to-site captures the same; Security CR: mode (IPsec): default tunnel)
    ("cfg-crypto-trans", r"crypto ipsec transform-set ", ("mode",), "mode tunnel"),
    # every GigabitEthernet of a CSR1000v / C8000v / ISR4k prints ` negotiation auto` (real captures:
    # CSR1000v 15.5 SPOKE-2 GigabitEthernet1-4, ISR4321 GigabitEthernet0/0/0-1); a sub-interface does not
    # (SPOKE-2 `interface GigabitEthernet1.35`: description, encapsulation, vrf, address only)
    ("config-if", r"interface GigabitEthernet[0-9/]+$", ("negotiation",), "negotiation auto"),
    # an interface without an address prints ` no ip address` (real captures: CSR1000v SPOKE-2
    # `interface GigabitEthernet1` / ` no ip address` / ` negotiation auto`, ISR4321 `interface
    # GigabitEthernet0/0/1` / ` no ip address` / ` shutdown`; after `vrf forwarding` removed it, too)
    ("config-if", r"interface ", ("ip", "address"), "no ip address"),
)


# Lines IOS prints with one trailing space, as (mode of the line, None = global; prefix). Real captures:
# CSR1000v 15.5 SPOKE-2 (`crypto ikev2 proposal AES/CBC/256 `, ` match identity remote address 0.0.0.0 `,
# `crypto ipsec transform-set AES256/SHA/TRANSPORT esp-aes 256 esp-sha-hmac `, ` set transform-set
# AES256/SHA/TRANSPORT `) and Microsoft's Azure vWAN CSR1000v config (`crypto ikev2 proposal az-PROPOSAL `,
# `crypto ikev2 policy az-POLICY `, ` match identity remote address X 255.255.255.255 `, the transform set
# and ` set transform-set az-IPSEC-PROPOSAL-SET `). Tools that compare lines must strip them, as IOS users do.
TRAILING_SPACE: tuple[tuple[str | None, str], ...] = (
    (None, "crypto ikev2 proposal "), (None, "crypto ikev2 policy "), (None, "crypto ipsec transform-set "),
    ("config-ikev2-profile", "match identity remote address "), ("ipsec-profile", "set transform-set "),
)


def trailing(mode: str | None, text: str) -> str:
    """``text`` as IOS prints it in ``mode``: with the trailing space of :data:`TRAILING_SPACE` lines."""
    return text + " " if any(m == mode and text.startswith(p) for m, p in TRAILING_SPACE) else text


def hidden(mode: str, text: str) -> bool:
    """True when IOS stores ``text`` (typed in ``mode``) as "back to the default": nothing is printed."""
    return text in HIDDEN.get(mode, {})


def shown(mode: str, header: str, keys: list[tuple[str, ...]]) -> list[tuple[tuple[str, ...], str]]:
    """The (key, line) defaults IOS prints in the block ``header`` of ``mode`` whose lines (``keys``)
    set none of them."""
    return [(key, line) for m, pattern, key, line in SHOWN
            if m == mode and re.match(pattern, header) and not any(k[:len(key)] == key for k in keys)]
