"""Configuration-mode grammar: the commands each IOS config mode accepts (renderer lines + operator staples).

Meta keys: ``enter`` (sub-mode entered), ``neg`` (a default-on feature: only its ``no`` form is stored),
``secret`` (hash the value like IOS type 9), ``action`` (``exit``: leave the sub-mode), ``rename``.
"""
from __future__ import annotations

from functools import cache
from typing import Any

from dmvpn_ops.lab.grammar import Grammar

_ROUTE_OPTS = "*[<num>|name <word>|permanent|tag <num>|track <num>]"
_TRANSFORM = ("(esp-aes [(128|192|256)]|esp-gcm [(128|256)]|esp-gmac [(128|256)]|esp-3des|esp-des|esp-null) "
              "[(esp-sha-hmac|esp-sha256-hmac|esp-sha384-hmac|esp-sha512-hmac|esp-md5-hmac)]")
_REDIST = "redistribute (connected|static|eigrp <num>|ospf <num>|bgp <num>) *[subnets|metric <line>]"

GLOBAL: Table = [
    ("hostname ; <word>", {}),
    ("enable secret ; [(0|5|8|9)] <word>", {"secret": "enable"}),
    ("enable password ; [(0|7)] <word>", {}),
    ("username <word> ; [privilege <num>] (secret [(0|5|8|9)] <word>|password [(0|7)] <word>)",
     {"secret": "username"}),
    ("ip domain name ; <word>", {}), ("ip domain-name ; <word>", {}), ("ip domain lookup", {"neg": True}),
    ("ip name-server <line>", {}), ("ip cef", {}), ("ip forward-protocol nd", {}),
    ("ip ssh version ; <num>", {}), ("ip ssh time-out ; <num>", {}),
    ("ip ssh authentication-retries ; <num>", {}), ("ip http server", {}), ("ip http secure-server", {}),
    (f"ip route [vrf <word>] <ip> <mask> (<ip>|<intf> [<ip>]) {_ROUTE_OPTS}", {}),
    ("ip access-list extended <word>", {"enter": "config-ext-nacl"}),
    ("ip access-list standard <word>", {"enter": "config-std-nacl"}),
    ("access-list <num> <line>", {}), ("ipv6 unicast-routing", {}),
    ("service <line>", {}), ("platform <line>", {}), ("version ; <word>", {}),
    ("boot-start-marker", {}), ("boot-end-marker", {}), ("aaa new-model", {"neg": True}),
    ("logging buffered ; [<num>] [<word>]", {}), ("logging host <host>", {}),
    ("logging console ; [<word>]", {}), ("logging source-interface ; <intf>", {}),
    ("clock timezone ; <word> <num> [<num>]", {}), ("ntp server <host> [prefer]", {}),
    ("snmp-server community <word> [(ro|rw)]", {}), ("banner (motd|login|exec) ; <line>", {}),
    ("interface <intf>", {"enter": "config-if"}),
    ("router (eigrp|ospf|bgp) <num>", {"enter": "config-router"}),
    ("router eigrp <word>", {"enter": "config-router"}),
    ("router ospf <num> vrf <word>", {"enter": "config-router"}),
    ("vrf definition <word>", {"enter": "config-vrf"}),
    ("crypto keyring <word> ; [vrf <word>]", {"enter": "conf-keyring"}),
    ("crypto isakmp policy <num>", {"enter": "config-isakmp"}),
    ("crypto isakmp profile <word>", {"enter": "conf-isa-prof"}),
    ("crypto isakmp key <word> address <ip> [<mask>] [no-xauth]", {}),
    ("crypto isakmp keepalive ; <num> [<num>] [(periodic|on-demand)]", {}),
    ("crypto isakmp nat keepalive ; <num>", {}), ("crypto isakmp invalid-spi-recovery", {}),
    ("crypto ikev2 proposal <word>", {"enter": "config-ikev2-proposal"}),
    ("crypto ikev2 policy <word>", {"enter": "config-ikev2-policy"}),
    ("crypto ikev2 keyring <word>", {"enter": "config-ikev2-keyring"}),
    ("crypto ikev2 profile <word>", {"enter": "config-ikev2-profile"}),
    ("crypto ikev2 dpd ; <num> <num> (on-demand|periodic)", {}),
    ("crypto ikev2 nat keepalive ; <num>", {}),
    (f"crypto ipsec transform-set <word> ; {_TRANSFORM}", {"enter": "cfg-crypto-trans"}),
    ("crypto ipsec profile <word>", {"enter": "ipsec-profile"}),
    ("crypto ipsec security-association replay window-size ; <num>", {}),
    ("crypto ipsec df-bit clear", {}), ("crypto ipsec nat-transparency udp-encapsulation", {"neg": True}),
    ("policy-map <word>", {"enter": "config-pmap"}),
    ("class-map [(match-any|match-all)] <word>", {"enter": "config-cmap"}),
    ("line (con|vty|aux) <num> [<num>]", {"enter": "config-line"}),
    ("archive", {"enter": "config-archive"}),
]

INTERFACE: Table = [
    ("description ; <line>", {}), ("bandwidth ; <num>", {}), ("delay ; <num>", {}),
    ("vrf forwarding ; <word>", {}), ("ip vrf forwarding ; <word>", {}),
    ("ip address ; <ip> <mask>", {}), ("ip address <ip> <mask> secondary", {}),
    ("ip address ; dhcp [client-id <intf>]", {}),
    ("ip redirects", {"neg": True}), ("ip unreachables", {"neg": True}), ("ip proxy-arp", {"neg": True}),
    ("ip mtu ; <num>", {}), ("ip tcp adjust-mss ; <num>", {}), ("ip nat (inside|outside)", {}),
    ("ip nhrp authentication ; <word>", {}), ("ip nhrp network-id ; <num>", {}),
    ("ip nhrp holdtime ; <num>", {}), ("ip nhrp group ; <word>", {}),
    ("ip nhrp nhs <ip> ; *[nbma <host>|multicast|priority <num>|cluster <num>]", {}),
    ("ip nhrp nhs dynamic ; nbma <host> [multicast]", {}),
    ("ip nhrp nhs cluster <num> max-connections ; <num>", {}), ("ip nhrp nhs fallback ; <num>", {}),
    ("ip nhrp map <ip> ; <ip>", {}), ("ip nhrp map multicast dynamic", {}),
    ("ip nhrp map multicast <ip>", {}),
    ("ip nhrp map group <word> ; service-policy output <word>", {}),
    ("ip nhrp redirect ; [timeout <num>]", {}), ("ip nhrp shortcut", {}),
    ("ip nhrp registration timeout ; <num>", {}), ("ip nhrp registration no-unique", {}),
    ("ip nhrp interest ; <word>", {}), ("ip nhrp max-send ; <num> every <num>", {}),
    ("ip split-horizon eigrp <num>", {"neg": True}), ("ip split-horizon", {"neg": True}),
    ("ip next-hop-self eigrp <num>", {"neg": True}),
    ("ip summary-address eigrp <num> <ip> <mask>", {}),
    ("ip hello-interval eigrp <num> ; <num>", {}), ("ip hold-time eigrp <num> ; <num>", {}),
    ("ip bandwidth-percent eigrp <num> ; <num>", {}),
    ("ip ospf network ; (broadcast|non-broadcast|point-to-multipoint [non-broadcast]|point-to-point)", {}),
    ("ip ospf priority ; <num>", {}), ("ip ospf cost ; <num>", {}),
    ("ip ospf hello-interval ; <num>", {}), ("ip ospf dead-interval ; <num>", {}),
    ("ip ospf <num> area ; <word>", {}),
    ("shutdown", {}), ("negotiation auto", {}), ("load-interval ; <num>", {}), ("mtu ; <num>", {}),
    ("keepalive ; [<num> [<num>]]", {}), ("cdp enable", {"neg": True}),
    ("tunnel source ; (<intf>|<ip>)", {}), ("tunnel destination ; <host>", {}),
    ("tunnel mode ; (gre (multipoint|ip)|ipsec ipv4)", {}), ("tunnel key ; <num>", {}),
    ("tunnel vrf ; <word>", {}), ("tunnel protection ; ipsec profile <word> [shared]", {}),
    ("tunnel path-mtu-discovery", {}),
    ("service-policy output ; <word>", {}), ("service-policy input ; <word>", {}),
]

Table = list[tuple[str, dict[str, Any]]]

_NEIGHBOR: Table = [
    ("neighbor <host> remote-as ; <num>", {}), ("neighbor <host> peer-group [<word>]", {}),
    ("neighbor <host> update-source ; <intf>", {}), ("neighbor <host> description ; <line>", {}),
    ("neighbor <host> timers ; <num> <num>", {}), ("neighbor <host> password ; <word>", {}),
    ("neighbor <host> ebgp-multihop ; [<num>]", {}), ("neighbor <host> activate", {}),
    ("neighbor <host> route-reflector-client", {}), ("neighbor <host> next-hop-self [all]", {}),
    ("neighbor <host> send-community [(both|extended|standard)]", {}),
    ("neighbor <host> route-map <word> (in|out)", {}), ("neighbor <host> shutdown", {}),
    ("neighbor <host> ; [priority <num>]", {}),
]
ROUTER: Table = _NEIGHBOR + [
    ("network <ip> [<mask>] [area <word>]", {}), ("network <ip> mask <mask>", {}),
    ("eigrp router-id ; <ip>", {}), ("router-id ; <ip>", {}), ("bgp router-id ; <ip>", {}),
    ("bgp log-neighbor-changes", {}), ("bgp listen range <prefix> ; peer-group <word>", {}),
    ("bgp listen limit ; <num>", {}), ("bgp default ipv4-unicast", {"neg": True}),
    ("passive-interface (default|<intf>)", {}), (_REDIST, {}),
    ("default-information originate [always]", {}), ("auto-summary", {}),
    ("maximum-paths ; <num>", {}), ("variance ; <num>", {}), ("timers basic ; <line>", {}),
    ("area <word> <line>", {}), ("log-adjacency-changes [detail]", {}),
    ("address-family ipv4 [(unicast|vrf <word>)] [autonomous-system <num>]",
     {"enter": "config-router-af"}),
]
ROUTER_AF: Table = _NEIGHBOR + [
    ("network <ip> [<mask>]", {}), ("network <ip> mask <mask>", {}), (_REDIST, {}),
    ("maximum-paths ; <num>", {}), ("eigrp router-id ; <ip>", {}),
    ("exit-address-family", {"action": "exit"}),
    ("af-interface (default|<intf>)", {"enter": "config-router-af-interface"}),
    ("topology base", {"enter": "config-router-af-topology"}),
]
AF_INTERFACE: Table = [
    ("split-horizon", {"neg": True}), ("next-hop-self", {"neg": True}),
    ("summary-address <ip> <mask>", {}), ("hello-interval ; <num>", {}), ("hold-time ; <num>", {}),
    ("passive-interface", {}), ("exit-af-interface", {"action": "exit"}),
]
AF_TOPOLOGY: Table = [("variance ; <num>", {}), ("maximum-paths ; <num>", {}), (_REDIST, {}),
               ("exit-af-topology", {"action": "exit"})]

_IKEV2_ENC = "*[aes-cbc-128|aes-cbc-192|aes-cbc-256|aes-gcm-128|aes-gcm-256|3des]"
_IKEV2_INT = "*[sha1|sha256|sha384|sha512|md5]"
CRYPTO: dict[str, Table] = {
    "conf-keyring": [("pre-shared-key address <ip> [<mask>] ; key <word>", {}),
                     ("pre-shared-key hostname <word> ; key <word>", {}),
                     ("local-address ; (<intf>|<ip>)", {}), ("description ; <line>", {})],
    "config-isakmp": [("encryption ; (aes [(128|192|256)]|3des|des)", {"rename": "encr"}),
                      ("encr ; (aes [(128|192|256)]|3des|des)", {}),
                      ("hash ; (sha|sha256|sha384|sha512|md5)", {}),
                      ("authentication ; (pre-share|rsa-sig|rsa-encr)", {}),
                      ("group ; <num>", {}), ("lifetime ; <num>", {})],
    "conf-isa-prof": [("keyring ; <word>", {}), ("match identity address <ip> [<mask>] [<word>]", {}),
                      ("keepalive ; <num> retry <num>", {}), ("vrf ; <word>", {}),
                      ("description ; <line>", {}), ("local-address ; (<intf>|<ip>)", {})],
    "config-ikev2-proposal": [(f"encryption ; {_IKEV2_ENC}", {}), (f"integrity ; {_IKEV2_INT}", {}),
                              ("group ; <num> [<num> [<num>]]", {}), (f"prf ; {_IKEV2_INT}", {})],
    "config-ikev2-policy": [("proposal <word>", {}), ("match fvrf ; (any|<word>)", {}),
                            ("match address local <ip>", {})],
    "config-ikev2-keyring": [("peer <word>", {"enter": "config-ikev2-keyring-peer"})],
    "config-ikev2-keyring-peer": [
        ("address ; <ip> [<mask>]", {}), ("pre-shared-key ; [(0|6)] <word>", {}),
        ("pre-shared-key (local|remote) ; [(0|6)] <word>", {}), ("identity address ; <ip>", {}),
        ("hostname ; <word>", {}), ("description ; <line>", {})],
    "config-ikev2-profile": [
        ("match identity remote address <ip> [<mask>]", {}), ("match identity remote any", {}),
        ("match identity remote fqdn <word>", {}), ("match fvrf ; (any|<word>)", {}),
        ("identity local address ; <ip>", {}), ("authentication (remote|local) ; pre-share", {}),
        ("keyring local ; <word>", {}), ("lifetime ; <num>", {}),
        ("dpd ; <num> <num> (on-demand|periodic)", {}), ("nat keepalive ; <num>", {}),
        ("description ; <line>", {})],
    "cfg-crypto-trans": [("mode ; (transport [require]|tunnel)", {})],
    "ipsec-profile": [("set transform-set ; <word> [<word>]", {}), ("set ikev2-profile ; <word>", {}),
                      ("set isakmp-profile ; <word>", {}), ("set pfs ; [<word>]", {}),
                      ("set security-association lifetime (seconds|kilobytes) ; <num>", {}),
                      ("description ; <line>", {})],
}
OTHER: dict[str, Table] = {
    "config-vrf": [("rd ; <word>", {}), ("description ; <line>", {}),
                   ("route-target (export|import|both) <word>", {}),
                   ("address-family ipv4 [unicast]", {"enter": "config-vrf-af"})],
    "config-vrf-af": [("route-target (export|import) <word>", {}),
                      ("exit-address-family", {"action": "exit"})],
    "config-line": [("login ; [local]", {}), ("transport input ; (ssh [telnet]|telnet [ssh]|none|all)", {}),
                    ("transport output ; (ssh [telnet]|telnet [ssh]|none|all)", {}),
                    ("exec-timeout ; <num> [<num>]", {}), ("password ; [(0|7)] <word>", {}),
                    ("privilege level ; <num>", {}), ("logging synchronous", {}),
                    ("stopbits ; <num>", {}), ("length ; <num>", {}), ("width ; <num>", {}),
                    ("access-class <word> in", {})],
    "config-pmap": [("class <word>", {"enter": "config-pmap-c"}), ("description ; <line>", {})],
    "config-pmap-c": [("shape average ; <num> [<num> [<num>]]", {}),
                      ("bandwidth ; (<num>|percent <num>|remaining percent <num>)", {}),
                      ("priority ; [(level <num>|percent <num>|<num>)]", {}),
                      ("service-policy ; <word>", {}), ("police ; <line>", {}),
                      ("set dscp ; <word>", {}), ("fair-queue", {})],
    "config-cmap": [("match <line>", {}), ("description ; <line>", {})],
    "config-archive": [("path ; <word>", {}), ("maximum ; <num>", {}), ("write-memory", {}),
                       ("time-period ; <num>", {})],
    "config-ext-nacl": [("[<num>] (permit|deny) <line>", {}), ("remark <line>", {})],
    "config-std-nacl": [("[<num>] (permit|deny) <line>", {}), ("remark <line>", {})],
}

TABLES: dict[str, Table] = {"config": GLOBAL, "config-if": INTERFACE, "config-router": ROUTER,
          "config-router-af": ROUTER_AF, "config-router-af-interface": AF_INTERFACE,
          "config-router-af-topology": AF_TOPOLOGY, **CRYPTO, **OTHER}

# mode -> parent mode (IOS falls back to the parent when a line fails in the sub-mode)
PARENT = {mode: "config" for mode in TABLES if mode != "config"}
PARENT.update({"config-router-af": "config-router", "config-router-af-interface": "config-router-af",
               "config-router-af-topology": "config-router-af", "config-vrf-af": "config-vrf",
               "config-ikev2-keyring-peer": "config-ikev2-keyring", "config-pmap-c": "config-pmap"})

# how `show running-config` frames a nested block: (line before it, closing line)
FRAMES = {"config-router-af": ("!", "exit-address-family"), "config-vrf-af": ("!", "exit-address-family"),
          "config-router-af-interface": ("", "exit-af-interface"),
          "config-router-af-topology": ("", "exit-af-topology"),
          "config-ikev2-keyring-peer": ("", "!")}


@cache
def grammar(mode: str) -> Grammar:
    """The (shared, lazily built) grammar of one config mode."""
    g = Grammar()
    for pattern, meta in TABLES[mode]:
        g.add(pattern, **meta)
    return g


def chain(mode: str) -> list[str]:
    """The mode and its ancestors, innermost first."""
    out = [mode]
    while out[-1] in PARENT:
        out.append(PARENT[out[-1]])
    return out
