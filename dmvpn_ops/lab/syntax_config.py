"""Configuration-mode grammar as data: one table per IOS config mode, with IOS-XE 17's value ranges.

Meta keys: ``enter`` (sub-mode entered), ``neg`` (a default-on feature: only its ``no`` form is stored),
``secret`` (hash the value like IOS type 9), ``action`` (``exit``: leave the sub-mode), ``rename`` (the
words NVGEN prints for the first typed words: ``encr``, ``line con``),
``check`` (a semantic check of :mod:`dmvpn_ops.lab.checks`: masks, references, side effects).

Every range names its source next to it. ``YANG`` means the IOS-XE 17.12.1 native model in
YangModels/yang ``vendor/cisco/xe/17121/Cisco-IOS-XE-<file>.yang``; ``CR`` means the Cisco IOS / IOS-XE
command reference of that feature (the ``<low-high>`` IOS's own ``?`` help prints).
Internal mode names carry the protocol (``config-router-eigrp``); :data:`PROMPT` gives the prompt IOS shows.
"""
from __future__ import annotations

from functools import cache
from typing import Any

from dmvpn_ops.lab.grammar import Grammar

Table = list[tuple[str, dict[str, Any]]]

# ip route: distance 1-255, tag 1-4294967295, track 1-1000 (YANG native: ip route ... distance uint8
# 1..255, tag uint32, track uint16 1..1000)
_ROUTE_OPTS = "*[<num:1-255>|name <word>|permanent|tag <num:1-4294967295>|track <num:1-1000>]"
# transform set keywords (YANG crypto: crypto ipsec transform-set esp / esp-hmac enumerations)
_TRANSFORM = ("(esp-aes [(128|192|256)]|esp-gcm [(128|256)]|esp-gmac [(128|256)]|esp-3des|esp-des|esp-null) "
              "[(esp-sha-hmac|esp-sha256-hmac|esp-sha384-hmac|esp-sha512-hmac|esp-md5-hmac)]")
# redistribute: process numbers as in `router X <n>` (YANG eigrp/ospf/bgp as/process-id ranges)
_REDIST = ("redistribute (connected|static|eigrp <num:1-65535>|ospf <num:1-65535>|bgp <num:1-4294967295>)"
           " *[subnets|metric <line>|route-map <word>]")
# line vty: 0-1869 on IOS-XE 17 (CR: line vty <0-1869> on Catalyst 8000V / CSR1000v)
_LINE = "line (vty <num:0-1869> [<num:0-1869>]|aux <num:0-0>)"
# the console keyword is `console` (CR: line [aux | console | tty | vty] line-number, Cisco IOS Configuration
# Fundamentals command reference; unicon's IOS/IOS-XE connection init types `line console 0`), abbreviable to
# `con`, and NVGEN prints it `line con 0` (real show running-config captures)
_LINE_CON = "line console <num:0-0>"

GLOBAL: Table = [
    ("hostname ; <word>", {}),
    ("enable secret ; [(0|5|8|9)] <word>", {"secret": "enable"}),
    ("enable password ; [(0|7)] <word>", {}),
    # username privilege 0-15 (CR: username privilege <0-15>)
    ("username <word> ; [privilege <num:0-15>] (secret [(0|5|8|9)] <word>|password [(0|7)] <word>)",
     {"secret": "username"}),
    ("ip domain name ; <word>", {}), ("ip domain-name ; <word>", {}), ("ip domain lookup", {"neg": True}),
    ("ip name-server <line>", {}), ("ip cef", {}), ("ip forward-protocol nd", {}), ("ip routing", {"neg": True}),
    # ip ssh: version 1|2, time-out 1-120, authentication-retries 0-5 (CR: ip ssh)
    ("ip ssh version ; <num:1|2>", {}), ("ip ssh time-out ; <num:1-120>", {}),
    ("ip ssh authentication-retries ; <num:0-5>", {}), ("ip http server", {}), ("ip http secure-server", {}),
    # file prompt [alert|noisy|quiet] (CR: file prompt); ip scp server enable (Security CR: ip scp server enable)
    ("file prompt ; [(alert|noisy|quiet)]", {}), ("ip scp server enable", {}),
    (f"ip route <ip> <mask> (<ip>|<intf> [<ip>]) {_ROUTE_OPTS}", {"check": "route"}),
    (f"ip route vrf <word> <ip> <mask> (<ip>|<intf> [<ip>]) {_ROUTE_OPTS}", {"check": "route"}),
    ("ip access-list extended <word>", {"enter": "config-ext-nacl"}),
    ("ip access-list standard <word>", {"enter": "config-std-nacl"}),
    # numbered ACLs 1-199, 1300-2699 (CR: access-list)
    ("access-list <num:1-2699> <line>", {}), ("ipv6 unicast-routing", {}),
    ("service <line>", {}), ("platform <line>", {}), ("version ; <word>", {}), ("license <line>", {}),
    ("boot-start-marker", {}), ("boot-end-marker", {}), ("aaa new-model", {"neg": True}),
    # logging buffered 4096-2147483647 bytes (CR: logging buffered)
    ("logging buffered ; [<num:4096-2147483647>] [<word>]", {}), ("logging host <host>", {}),
    # console logging is on by default: `no logging console` (unicon's connection init types it) is printed as
    # such (real running configs: ASR1000 IOS-XE 15.1 b2bred2 `logging buffered 777777777` / `no logging
    # console` / `enable secret 5 ...`; IOS 15.2 SW3), a level is printed with the line (CR: logging console)
    ("logging console", {"neg": True}), ("logging console ; <word>", {}),
    ("logging source-interface ; <intf>", {}),
    ("clock timezone ; <word> <word> [<num:0-59>]", {}), ("ntp server <host> [prefer]", {}),
    ("snmp-server community <word> [(ro|rw)]", {}), ("banner (motd|login|exec) ; <line>", {}),
    ("interface <intf>", {"enter": "config-if"}),
    # router eigrp <1-65535> | WORD (named mode), router ospf <1-65535>, router bgp <1-4294967295>
    # (YANG eigrp: id uint16 1..65535; YANG ospf: id uint16 1..65535; YANG bgp: id as-number 1..4294967295)
    ("router eigrp <num:1-65535>", {"enter": "config-router-eigrp"}),
    ("router eigrp <name>", {"enter": "config-router-eigrp-named"}),
    ("router ospf <num:1-65535>", {"enter": "config-router-ospf"}),
    ("router ospf <num:1-65535> vrf <word>", {"enter": "config-router-ospf", "check": "ref"}),
    ("router bgp <num:1-4294967295>", {"enter": "config-router-bgp"}),
    ("vrf definition <word>", {"enter": "config-vrf"}), ("ip vrf <word>", {"enter": "config-vrf"}),
    ("crypto keyring <word> ; [vrf <word>]", {"enter": "conf-keyring", "check": "ref"}),
    # crypto isakmp policy <1-10000> (YANG crypto: isakmp policy number uint16 1..10000)
    ("crypto isakmp policy <num:1-10000>", {"enter": "config-isakmp"}),
    ("crypto isakmp profile <word>", {"enter": "conf-isa-prof"}),
    # crypto isakmp key [0|6] KEY address A (CR: crypto isakmp key; 6 = encrypted, Encrypted Preshared Key guide)
    ("crypto isakmp key [(0|6)] <word> address <ip> [<mask>] [no-xauth]", {}),
    # type 6 password encryption: `key config-key password-encrypt KEY` (the master key, never shown) and
    # `password encryption aes` (CR: key config-key password-encrypt, password encryption aes; lab.pwcrypt)
    ("key config-key ; password-encrypt <word>", {}), ("password encryption aes", {}),
    # isakmp keepalive 10-3600 retry 2-60 (YANG crypto: isakmp keepalive uint16 10..3600, retry 2..60)
    ("crypto isakmp keepalive ; <num:10-3600> [<num:2-60>] [(periodic|on-demand)]", {}),
    # NAT keepalive 5-3600 s (YANG crypto: isakmp nat keepalive / ikev2 nat keepalive uint16 5..3600)
    ("crypto isakmp nat keepalive ; <num:5-3600>", {}), ("crypto isakmp invalid-spi-recovery", {}),
    ("crypto ikev2 proposal <word>", {"enter": "config-ikev2-proposal"}),
    ("crypto ikev2 policy <word>", {"enter": "config-ikev2-policy"}),
    ("crypto ikev2 keyring <word>", {"enter": "config-ikev2-keyring"}),
    ("crypto ikev2 profile <word>", {"enter": "config-ikev2-profile"}),
    # ikev2 dpd interval 10-3600, retry 2-60 (YANG crypto: ikev2 dpd interval 10..3600 retry 2..60)
    ("crypto ikev2 dpd ; <num:10-3600> <num:2-60> (on-demand|periodic)", {}),
    ("crypto ikev2 nat keepalive ; <num:5-3600>", {}),
    (f"crypto ipsec transform-set <word> ; {_TRANSFORM}", {"enter": "cfg-crypto-trans"}),
    ("crypto ipsec profile <word>", {"enter": "ipsec-profile"}),
    # replay window 64|128|256|512|1024 (YANG crypto: security-association replay window-size enum)
    ("crypto ipsec security-association replay window-size ; <num:64|128|256|512|1024>", {}),
    # SA lifetime seconds 120-2592000, kilobytes 2560-4294967295 (YANG crypto: ipsec sa lifetime)
    ("crypto ipsec security-association lifetime seconds ; <num:120-2592000>", {}),
    ("crypto ipsec security-association lifetime kilobytes ; <num:2560-4294967295>", {}),
    ("crypto ipsec df-bit clear", {}), ("crypto ipsec nat-transparency udp-encapsulation", {"neg": True}),
    ("policy-map <word>", {"enter": "config-pmap"}),
    ("class-map [(match-any|match-all)] <word>", {"enter": "config-cmap"}),
    (_LINE, {"enter": "config-line"}),
    (_LINE_CON, {"enter": "config-line", "rename": "line con"}),
    ("archive", {"enter": "config-archive"}),
    ("event manager applet <word> <line>", {"enter": "config-applet"}),
]

# NHRP ranges: YANG nhrp (holdtime uint16 1..65535, network-id uint32 1..4294967295, redirect timeout
# uint8 2..30, nhs priority uint8 0..255, nhs cluster uint8 0..10, registration timeout uint16 1..65535,
# max-send pkt-count 1..65535 every 10..65535, interest acl 1..199, nhs fallback 0..60)
_NHS_OPTS = "*[nbma <host>|multicast|priority <num:0-255>|cluster <num:0-10>]"
INTERFACE: Table = [
    ("description ; <line>", {}),
    # bandwidth 1-100000000 kbps, delay 1-16777215 tens of us (YANG interfaces: bandwidth kilobits
    # uint32 1..100000000; delay uint32 1..16777215)
    ("bandwidth ; <num:1-100000000>", {}), ("delay ; <num:1-16777215>", {}),
    ("vrf forwarding ; <word>", {"check": "vrf-forwarding"}),
    ("ip vrf forwarding ; <word>", {"check": "vrf-forwarding"}),
    # encapsulation dot1Q <1-4094> [native] on a sub-interface (YANG interfaces: container encapsulation /
    # dot1Q, leaf vlan-id uint16 range "1..4094", leaf native type empty; a real router-on-a-stick IOS session
    # types `encapsulation dot1Q 3` / `encapsulation dot1Q 8 native`, and bare `encapsulation dot1Q` answers
    # `% Incomplete command.`)
    ("encapsulation dot1Q ; <num:1-4094> [native]", {}),
    # on a LAN sub-interface IOS refuses `ip address` until the encapsulation is set (checks.subinterface_ip)
    ("ip address ; <ip> <mask>", {"check": "ifaddr"}), ("ip address <ip> <mask> secondary", {"check": "ifaddr"}),
    ("ip address ; dhcp [client-id <intf>]", {}),
    ("ip redirects", {"neg": True}), ("ip unreachables", {"neg": True}), ("ip proxy-arp", {"neg": True}),
    # ip mtu 68-65535 (YANG native: ip mtu uint16 68..65535; IPv4 minimum 68, RFC 791)
    ("ip mtu ; <num:68-65535>", {}),
    # ip tcp adjust-mss 500-1460 (YANG native: ip tcp adjust-mss uint16 500..1460)
    ("ip tcp adjust-mss ; <num:500-1460>", {}), ("ip nat (inside|outside)", {}),
    ("ip nhrp authentication ; <word>", {}), ("ip nhrp network-id ; <num:1-4294967295>", {}),
    ("ip nhrp holdtime ; <num:1-65535>", {}), ("ip nhrp group ; <word>", {}),
    (f"ip nhrp nhs <ip> ; {_NHS_OPTS}", {}),
    ("ip nhrp nhs dynamic ; nbma <host> [multicast]", {}),
    ("ip nhrp nhs cluster <num:0-10> max-connections ; <num:0-255>", {}),
    ("ip nhrp nhs fallback ; <num:0-60>", {}),
    ("ip nhrp map <ip> ; <ip>", {}), ("ip nhrp map multicast dynamic", {}),
    ("ip nhrp map multicast <ip>", {}),
    ("ip nhrp map group <word> ; service-policy output <word>", {}),
    ("ip nhrp redirect ; [timeout <num:2-30>]", {}), ("ip nhrp shortcut", {}),
    ("ip nhrp registration timeout ; <num:1-65535>", {}), ("ip nhrp registration no-unique", {}),
    ("ip nhrp interest ; <num:1-199>", {}),
    ("ip nhrp max-send ; <num:1-65535> every <num:10-65535>", {}),
    # EIGRP interface commands: AS 1-65535, hello/hold 1-65535 s, bandwidth-percent 1-999999
    # (YANG eigrp: interface hello-interval / hold-time uint16 1..65535; CR: ip bandwidth-percent eigrp)
    ("ip split-horizon eigrp <num:1-65535>", {"neg": True}), ("ip split-horizon", {"neg": True}),
    ("ip next-hop-self eigrp <num:1-65535>", {"neg": True}),
    ("ip summary-address eigrp <num:1-65535> <ip> <mask>", {"check": "netmask"}),
    ("ip hello-interval eigrp <num:1-65535> ; <num:1-65535>", {}),
    ("ip hold-time eigrp <num:1-65535> ; <num:1-65535>", {}),
    ("ip bandwidth-percent eigrp <num:1-65535> ; <num:1-999999>", {}),
    # OSPF interface commands: priority 0-255, cost 1-65535, hello/dead 1-65535 s, process 1-65535
    # (YANG ospf: interface priority uint8, cost uint16 1..65535, hello/dead-interval uint16 1..65535)
    ("ip ospf network ; (broadcast|non-broadcast|point-to-multipoint [non-broadcast]|point-to-point)", {}),
    ("ip ospf priority ; <num:0-255>", {}), ("ip ospf cost ; <num:1-65535>", {}),
    ("ip ospf hello-interval ; <num:1-65535>", {}), ("ip ospf dead-interval ; <num:1-65535>", {}),
    ("ip ospf <num:1-65535> area ; <area>", {}),
    ("shutdown", {}), ("negotiation auto", {}),
    # load-interval 30-600 s, mtu 64-9216, keepalive 0-32767 s / 1-255 retries (YANG interfaces)
    ("load-interval ; <num:30-600>", {}), ("mtu ; <num:64-9216>", {}),
    ("keepalive ; [<num:0-32767> [<num:1-255>]]", {}), ("cdp enable", {"neg": True}),
    ("tunnel source ; (<intf>|<ip>)", {}), ("tunnel destination ; <host>", {}),
    ("tunnel mode ; (gre (multipoint|ip)|ipsec ipv4)", {}),
    # tunnel key 0-4294967295 (YANG tunnel: key uint32 0..4294967295)
    ("tunnel key ; <num:0-4294967295>", {}),
    ("tunnel vrf ; <word>", {"check": "ref"}),
    ("tunnel protection ; ipsec profile <word> [shared]", {"check": "ref"}),
    ("tunnel path-mtu-discovery", {}),
    ("service-policy output ; <word>", {}), ("service-policy input ; <word>", {}),
]

# BGP neighbor commands: remote-as 1-4294967295, timers keepalive/hold 0-65535, ebgp-multihop 1-255,
# allowas-in 1-10 (YANG bgp: neighbor remote-as, timers uint16, ebgp-multihop max-hop 1..255)
_NEIGHBOR: Table = [
    ("neighbor <host> remote-as ; <num:1-4294967295>", {"check": "bgp-neighbor"}),
    ("neighbor <host> peer-group [<word>]", {"check": "bgp-neighbor"}),
    ("neighbor <host> update-source ; <intf>", {"check": "bgp-neighbor"}),
    ("neighbor <host> description ; <line>", {"check": "bgp-neighbor"}),
    ("neighbor <host> timers ; <num:0-65535> <num:0-65535>", {"check": "bgp-neighbor"}),
    ("neighbor <host> password ; <word>", {"check": "bgp-neighbor"}),
    ("neighbor <host> ebgp-multihop ; [<num:1-255>]", {"check": "bgp-neighbor"}),
    ("neighbor <host> shutdown", {"check": "bgp-neighbor"}),
]
_NEIGHBOR_AF: Table = [
    ("neighbor <host> activate", {"check": "bgp-neighbor"}),
    ("neighbor <host> route-reflector-client", {"check": "bgp-neighbor"}),
    ("neighbor <host> next-hop-self [all]", {"check": "bgp-neighbor"}),
    ("neighbor <host> send-community [(both|extended|standard)]", {"check": "bgp-neighbor"}),
    ("neighbor <host> allowas-in ; [<num:1-10>]", {"check": "bgp-neighbor"}),
    # a route-map that does not exist yet is accepted (CR: neighbor route-map; it matches nothing)
    ("neighbor <host> route-map <word> (in|out)", {"check": "bgp-neighbor"}),
]
_EIGRP_OSPF_COMMON: Table = [
    ("passive-interface (default|<intf>)", {}), (_REDIST, {}),
    # maximum-paths 1-32 (YANG eigrp/ospf: maximum-paths uint8 1..32)
    ("maximum-paths ; <num:1-32>", {}), ("default-information originate [always]", {}),
]
ROUTER_EIGRP: Table = _EIGRP_OSPF_COMMON + [
    ("network <ip> [<wildcard>]", {}), ("eigrp router-id ; <ip>", {}),
    ("eigrp stub ; [<line>]", {}), ("auto-summary", {}),
    # variance 1-128 (YANG eigrp: variance uint8 1..128)
    ("variance ; <num:1-128>", {}), ("timers active-time ; <line>", {}), ("metric weights ; <line>", {}),
    ("eigrp log-neighbor-changes", {"neg": True}),
]
ROUTER_EIGRP_NAMED: Table = [
    # named mode: address-family ipv4 [unicast] [vrf X] autonomous-system <1-65535> (YANG eigrp)
    ("address-family ipv4 [unicast] [vrf <word>] autonomous-system <num:1-65535>",
     {"enter": "config-router-af-eigrp"}),
]
# OSPF areas (`<area>`): 0-4294967295 or A.B.C.D (YANG types: ospf-area-type)
ROUTER_OSPF: Table = _EIGRP_OSPF_COMMON + [
    ("network <ip> <wildcard> area <area>", {}), ("router-id ; <ip>", {}),
    ("neighbor <ip> ; [priority <num:0-255>]", {}),
    ("area <area> <line>", {}), ("log-adjacency-changes [detail]", {}),
    # auto-cost reference-bandwidth 1-4294967 Mbps (YANG ospf: auto-cost reference-bandwidth)
    ("auto-cost reference-bandwidth ; <num:1-4294967>", {}), ("timers <line>", {}),
    ("distance ; <num:1-255>", {}),
]
ROUTER_BGP: Table = _NEIGHBOR + _NEIGHBOR_AF + [
    ("network <ip> [mask <mask>]", {"check": "netmask"}), ("bgp router-id ; <ip>", {}),
    ("bgp log-neighbor-changes", {}),
    # the peer-group need not exist yet: IOS's own running config lists the range before `neighbor PG
    # peer-group` and is reloaded in that order (lab.config _BGP_ORDER); the YANG model keys the range by
    # (network-range, peer-group) with peer-group a plain string, no leafref (YANG bgp: listen/range)
    ("bgp listen range <prefix> ; peer-group <word>", {}),
    # bgp listen limit 1-10000, default 100 (YANG bgp: listen limit uint16 range 1..10000)
    ("bgp listen limit ; <num:1-10000>", {}), ("bgp default ipv4-unicast", {"neg": True}),
    (_REDIST, {}), ("maximum-paths ; <num:1-32>", {}), ("timers bgp ; <num:0-65535> <num:0-65535>", {}),
    ("address-family ipv4 [(unicast|vrf <word>)]", {"enter": "config-router-af-bgp"}),
]
ROUTER_AF_BGP: Table = _NEIGHBOR + _NEIGHBOR_AF + [
    ("network <ip> [mask <mask>]", {"check": "netmask"}), (_REDIST, {}),
    ("maximum-paths ; <num:1-32>", {}), ("exit-address-family", {"action": "exit"}),
]
ROUTER_AF_EIGRP: Table = [
    ("network <ip> [<wildcard>]", {}), ("eigrp router-id ; <ip>", {}),
    ("exit-address-family", {"action": "exit"}),
    ("af-interface (default|<intf>)", {"enter": "config-router-af-interface"}),
    ("topology base", {"enter": "config-router-af-topology"}),
]
AF_INTERFACE: Table = [
    ("split-horizon", {"neg": True}), ("next-hop-self", {"neg": True}),
    ("summary-address <ip> <mask>", {"check": "netmask"}),
    ("hello-interval ; <num:1-65535>", {}), ("hold-time ; <num:1-65535>", {}),
    ("passive-interface", {}), ("exit-af-interface", {"action": "exit"}),
]
AF_TOPOLOGY: Table = [("variance ; <num:1-128>", {}), ("maximum-paths ; <num:1-32>", {}), (_REDIST, {}),
                      ("exit-af-topology", {"action": "exit"})]

# IKEv2 proposal algorithms and DH groups as IOS-XE 17 offers them (YANG crypto: ikev2 proposal
# encryption / integrity / prf enumerations, group enumeration 1 2 5 14 15 16 19 20 21 24)
_IKEV2_ENC = "*[aes-cbc-128|aes-cbc-192|aes-cbc-256|aes-gcm-128|aes-gcm-256|3des]"
_IKEV2_INT = "*[sha1|sha256|sha384|sha512|md5]"
_DH = "<num:1|2|5|14|15|16|19|20|21|24>"
CRYPTO: dict[str, Table] = {
    # keyring key [0|6] KEY (CR: pre-shared-key (ISAKMP keyring); 6 = Encrypted Preshared Key guide)
    "conf-keyring": [("pre-shared-key address <ip> [<mask>] ; key [(0|6)] <word>", {}),
                     ("pre-shared-key hostname <word> ; key [(0|6)] <word>", {}),
                     ("local-address ; (<intf>|<ip>)", {}), ("description ; <line>", {})],
    "config-isakmp": [("encryption ; (aes [(128|192|256)]|3des|des)", {"rename": "encr"}),
                      ("encr ; (aes [(128|192|256)]|3des|des)", {}),
                      ("hash ; (sha|sha256|sha384|sha512|md5)", {}),
                      ("authentication ; (pre-share|rsa-sig|rsa-encr)", {}),
                      # isakmp group enum, lifetime 60-86400 s (YANG crypto: isakmp policy group /
                      # lifetime uint32 60..86400)
                      (f"group ; {_DH}", {}), ("lifetime ; <num:60-86400>", {})],
    "conf-isa-prof": [("keyring ; <word>", {"check": "ref"}),
                      ("match identity address <ip> [<mask>] [<word>]", {"check": "ref"}),
                      # isakmp profile keepalive 10-3600 retry 2-60 (YANG crypto)
                      ("keepalive ; <num:10-3600> retry <num:2-60>", {}), ("vrf ; <word>", {"check": "ref"}),
                      ("description ; <line>", {}), ("local-address ; (<intf>|<ip>)", {})],
    "config-ikev2-proposal": [(f"encryption ; {_IKEV2_ENC}", {}), (f"integrity ; {_IKEV2_INT}", {}),
                              (f"group ; {_DH} [{_DH} [{_DH}]]", {}), (f"prf ; {_IKEV2_INT}", {})],
    "config-ikev2-policy": [("proposal <word>", {"check": "ref"}), ("match fvrf ; (any|<word>)", {"check": "ref"}),
                            ("match address local <ip>", {})],
    "config-ikev2-keyring": [("peer <word>", {"enter": "config-ikev2-keyring-peer"})],
    "config-ikev2-keyring-peer": [
        ("address ; <ip> [<mask>]", {}), ("pre-shared-key ; [(0|6)] <word>", {}),
        ("pre-shared-key (local|remote) ; [(0|6)] <word>", {}), ("identity address ; <ip>", {}),
        ("hostname ; <word>", {}), ("description ; <line>", {})],
    "config-ikev2-profile": [
        ("match identity remote address <ip> [<mask>]", {}), ("match identity remote any", {}),
        ("match identity remote fqdn <word>", {}), ("match fvrf ; (any|<word>)", {"check": "ref"}),
        ("identity local address ; <ip>", {}), ("authentication (remote|local) ; pre-share", {}),
        ("keyring local ; <word>", {"check": "ref"}),
        # ivrf VRF: the VRF of the tunnel interfaces the profile builds (Cisco IOS Security Command Reference,
        # ivrf (IKEv2 profile); genielibs ike/configure.py configure_ikev2_profile_advanced sends `ivrf X`)
        ("ivrf ; <word>", {"check": "ref"}),
        # ikev2 profile lifetime 120-86400 s, dpd 10-3600 / 2-60 (YANG crypto: ikev2 profile lifetime
        # uint32 120..86400, dpd interval 10..3600 retry 2..60), nat keepalive 5-3600
        ("lifetime ; <num:120-86400>", {}),
        ("dpd ; <num:10-3600> <num:2-60> (on-demand|periodic)", {}), ("nat keepalive ; <num:5-3600>", {}),
        ("description ; <line>", {})],
    "cfg-crypto-trans": [("mode ; (transport [require]|tunnel)", {})],
    "ipsec-profile": [("set transform-set ; <word> [<word> [<word> [<word>]]]", {"check": "ref"}),
                      ("set ikev2-profile ; <word>", {"check": "ref"}),
                      ("set isakmp-profile ; <word>", {"check": "ref"}),
                      ("set pfs ; [(group1|group2|group5|group14|group15|group16|group19|group20|group21|group24)]",
                       {}),
                      ("set security-association lifetime seconds ; <num:120-2592000>", {}),
                      ("set security-association lifetime kilobytes ; <num:2560-4294967295>", {}),
                      ("description ; <line>", {})],
}
OTHER: dict[str, Table] = {
    "config-vrf": [("rd ; <word>", {}), ("description ; <line>", {}),
                   ("route-target (export|import|both) <word>", {}),
                   ("address-family ipv4 [unicast]", {"enter": "config-vrf-af"})],
    "config-vrf-af": [("route-target (export|import) <word>", {}),
                      ("exit-address-family", {"action": "exit"})],
    # line: exec-timeout 0-35791 min 0-2147483 s, privilege 0-15, length 0-512, width 0-512 (CR: line)
    "config-line": [("login ; [local]", {}), ("transport input ; (ssh [telnet]|telnet [ssh]|none|all)", {}),
                    ("transport output ; (ssh [telnet]|telnet [ssh]|none|all)", {}),
                    ("exec-timeout ; <num:0-35791> [<num:0-2147483>]", {}), ("password ; [(0|7)] <word>", {}),
                    ("privilege level ; <num:0-15>", {}), ("logging synchronous", {}),
                    ("stopbits ; (1|1.5|2)", {}), ("length ; <num:0-512>", {}), ("width ; <num:0-512>", {}),
                    ("access-class <word> in", {})],
    "config-pmap": [("class <word>", {"enter": "config-pmap-c"}), ("description ; <line>", {})],
    # shape average 8000-100000000000 bps (YANG policy: shape average bit-rate uint64 8000..100000000000)
    "config-pmap-c": [("shape average ; <num:8000-100000000000> [<num> [<num>]]", {}),
                      ("bandwidth ; (<num:8-100000000>|percent <num:1-100>|remaining percent <num:1-100>)", {}),
                      ("priority ; [(level <num:1-2>|percent <num:1-100>|<num:8-100000000>)]", {}),
                      ("service-policy ; <word>", {}), ("police ; <line>", {}),
                      ("set dscp ; <word>", {}), ("fair-queue", {})],
    "config-cmap": [("match <line>", {}), ("description ; <line>", {})],
    # archive maximum 1-14, time-period 1-525600 min (CR: archive)
    "config-archive": [("path ; <word>", {}), ("maximum ; <num:1-14>", {}), ("write-memory", {}),
                       ("time-period ; <num:1-525600>", {})],
    "config-ext-nacl": [("[<num:1-2147483647>] (permit|deny) <line>", {}), ("remark <line>", {})],
    "config-std-nacl": [("[<num:1-2147483647>] (permit|deny) <line>", {}), ("remark <line>", {})],
    "config-applet": [("event <line>", {}), ("action <line>", {})],
}

TABLES: dict[str, Table] = {
    "config": GLOBAL, "config-if": INTERFACE, "config-router-eigrp": ROUTER_EIGRP,
    "config-router-eigrp-named": ROUTER_EIGRP_NAMED, "config-router-ospf": ROUTER_OSPF,
    "config-router-bgp": ROUTER_BGP, "config-router-af-bgp": ROUTER_AF_BGP,
    "config-router-af-eigrp": ROUTER_AF_EIGRP, "config-router-af-interface": AF_INTERFACE,
    "config-router-af-topology": AF_TOPOLOGY, **CRYPTO, **OTHER}

# the prompt IOS shows for an internal mode (one prompt for every routing protocol)
PROMPT = {"config-router-eigrp": "config-router", "config-router-eigrp-named": "config-router",
          "config-router-ospf": "config-router", "config-router-bgp": "config-router",
          "config-router-af-bgp": "config-router-af", "config-router-af-eigrp": "config-router-af",
          "config-applet": "config-applet"}

# mode -> parent mode (IOS falls back to the parent when a line fails in the sub-mode)
PARENT = {mode: "config" for mode in TABLES if mode != "config"}
PARENT.update({"config-router-af-bgp": "config-router-bgp", "config-router-af-eigrp": "config-router-eigrp-named",
               "config-router-af-interface": "config-router-af-eigrp",
               "config-router-af-topology": "config-router-af-eigrp", "config-vrf-af": "config-vrf",
               "config-ikev2-keyring-peer": "config-ikev2-keyring", "config-pmap-c": "config-pmap"})

# how `show running-config` frames a nested block: (line before it, closing line)
FRAMES = {"config-router-af-bgp": ("!", "exit-address-family"),
          "config-router-af-eigrp": ("!", "exit-address-family"),
          "config-vrf-af": ("!", "exit-address-family"),
          "config-router-af-interface": ("", "exit-af-interface"),
          "config-router-af-topology": ("", "exit-af-topology"),
          "config-ikev2-keyring-peer": ("", "!")}


def prompt(mode: str) -> str:
    """The mode name IOS prints in the prompt, e.g. ``config-router`` for every routing process."""
    return PROMPT.get(mode, mode)


@cache
def grammar(mode: str) -> Grammar:
    """The (shared, lazily built) grammar of one config mode; ``config-router`` is BGP's (tests, tools)."""
    g = Grammar()
    for pattern, meta in TABLES[{"config-router": "config-router-bgp"}.get(mode, mode)]:
        g.add(pattern, **meta)
    return g


def chain(mode: str) -> list[str]:
    """The mode and its ancestors, innermost first."""
    out = [mode]
    while out[-1] in PARENT:
        out.append(PARENT[out[-1]])
    return out
