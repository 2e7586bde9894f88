"""The strictness table: for every command the renderer emits, a good line, an out-of-range (or out-of-domain)
line and, where the command names an object, a reference to a missing one — each with IOS's answer.

``answer`` forms: ``"^tok"`` = `% Invalid input detected at '^' marker.` with the caret under the last
occurrence of ``tok``; ``INCOMPLETE``; anything else = the exact message IOS prints.
"""
from __future__ import annotations

from typing import NamedTuple

INCOMPLETE = "% Incomplete command."
VRF_MISSING = "% VRF NOVRF not configured."
FVRF_MISSING = "% fvrf NOVRF not configured"  # IKEv2 `match fvrf` (dmvpn_ops/lab/checks.py names the sources)

# Objects every case may refer to (names distinct from the demo's, so it also loads on a demo router).
WORLD = """\
vrf definition INET
 address-family ipv4
 exit-address-family
crypto keyring KR1
 pre-shared-key address 0.0.0.0 0.0.0.0 key k1-secret
crypto isakmp profile ISA
 keyring KR1
 match identity address 0.0.0.0
crypto ikev2 proposal PROP
 encryption aes-cbc-256
 integrity sha256
 group 14
crypto ikev2 policy POL
 proposal PROP
crypto ikev2 keyring KR
 peer ANY
  address 0.0.0.0 0.0.0.0
  pre-shared-key k2-secret
crypto ikev2 profile IKE
 match identity remote address 0.0.0.0
 keyring local KR
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
 mode transport
crypto ipsec profile IPS
 set transform-set TS
 set ikev2-profile IKE
crypto ipsec profile IPS-V1
 set transform-set TS
 set isakmp-profile ISA
policy-map PM
 class class-default
  shape average 10000000
interface GigabitEthernet3
 vrf forwarding INET
 ip address 192.0.2.1 255.255.255.0
interface Tunnel900
 ip address 172.16.200.1 255.255.255.0
 tunnel source GigabitEthernet3
 tunnel protection ipsec profile IPS
router bgp 65000
 neighbor PG peer-group
 neighbor PG remote-as 65000
"""


class Case(NamedTuple):
    enter: tuple[str, ...]     # lines that reach the mode from global config
    good: str                  # a line as the renderer emits it (accepted)
    bad: str                   # out of range / out of domain
    bad_answer: str
    missing: str | None = None  # names an object that does not exist
    missing_answer: str = ""


IF = ("interface Tunnel900",)
IKEV2_PROFILE = ("crypto ikev2 profile IKE",)
ISAKMP = ("crypto isakmp policy 10",)
BGP = ("router bgp 65000",)
BGP_AF = ("router bgp 65000", "address-family ipv4")

CASES: list[Case] = [
    # global
    Case((), "crypto ikev2 keyring KR2", "crypto ikev2 keyring", INCOMPLETE),
    Case((), "crypto ikev2 policy POL2", "crypto ikev2 policy", INCOMPLETE),
    Case((), "crypto ikev2 profile IKE2", "crypto ikev2 profile", INCOMPLETE),
    Case((), "crypto ikev2 proposal PROP2", "crypto ikev2 proposal", INCOMPLETE),
    Case((), "crypto ipsec profile IPS2", "crypto ipsec profile", INCOMPLETE),
    Case((), "crypto ipsec transform-set TS2 esp-aes 256 esp-sha256-hmac",
         "crypto ipsec transform-set TS2 esp-aes 512", "^512"),
    Case((), "crypto isakmp keepalive 10 3", "crypto isakmp keepalive 5 3", "^5"),
    Case((), "crypto isakmp policy 10", "crypto isakmp policy 10001", "^10001"),
    Case((), "crypto isakmp profile ISA2", "crypto isakmp profile", INCOMPLETE),
    Case((), "crypto keyring KR3 vrf INET", "crypto keyring", INCOMPLETE,
         "crypto keyring KR4 vrf NOVRF", VRF_MISSING),
    # archive (bootstrap: the revert timer needs it): `archive` takes no argument, `path <url>` one
    # (Cisco IOS Configuration Fundamentals Command Reference: archive, path (archive configuration))
    Case((), "archive", "archive flash:archive", "^flash:archive"),
    Case(("archive",), "path flash:archive", "path", INCOMPLETE),
    Case((), "enable secret 0 lab-en-secret", "enable secret", INCOMPLETE),
    Case((), "hostname r1", "hostname", INCOMPLETE),
    Case((), "interface Loopback1", "interface Bogus1", "^Bogus1"),
    # interface numbers: Loopback 0-2147483647 (YANG interfaces), Tunnel 0-2147483647 (IOS help
    # `<0-2147483647>  Tunnel interface number`), one number for logical types, physical numbers
    # without leading zeros (YANG interfaces: GigabitEthernet name pattern), a type alone is incomplete
    Case((), "interface Loopback0", "interface Loopback2147483648", "^2147483648"),
    Case((), "interface Loopback0", "interface Loopback0/1", "^/1"),
    Case((), "interface Tunnel100", "interface Tunnel -1", "^-1"),
    Case((), "interface Tunnel100", "interface Tunnel 99999999999", "^99999999999"),
    Case((), "interface Tunnel100", "interface Tunnel99999999999", "^99999999999"),
    Case((), "interface Tunnel100", "interface Tunnel", INCOMPLETE),
    Case((), "interface GigabitEthernet1", "interface GigabitEthernet01", "^01"),
    Case((), "ip domain name dmvpn.lab", "ip domain name", INCOMPLETE),
    Case((), "ip route 0.0.0.0 0.0.0.0 198.51.100.254", "ip route 0.0.0.0 0.0.0.0 198.51.100.254 256", "^256"),
    Case((), "ip route vrf INET 0.0.0.0 0.0.0.0 198.51.100.254", "ip route vrf INET 0.0.0.0 0.0.0.0 198.51.100.254 0",
         "^0", "ip route vrf NOVRF 0.0.0.0 0.0.0.0 198.51.100.254",
         "%IP routing table NOVRF does not exist. Create first"),
    Case((), "line vty 0 4", "line vty 0 1870", "^1870"),
    Case((), "policy-map PM2", "policy-map", INCOMPLETE),
    Case((), "router bgp 65000", "router bgp 4294967296", "^4294967296"),
    Case((), "router eigrp 100", "router eigrp 70000", "^70000"),
    Case((), "router ospf 30", "router ospf 0", "^0"),
    Case((), "username u2 privilege 15 secret 0 lab-pw-2", "username u2 privilege 16 secret 0 lab-pw-2", "^16"),
    Case((), "vrf definition V2", "vrf definition", INCOMPLETE),
    # interface
    Case(IF, "description DMVPN hub", "description", INCOMPLETE),
    Case(IF, "ip address 172.16.200.1 255.255.255.0", "ip address 172.16.200.1 255.0.255.0",
         "Bad mask 0xFF00FF00 for address 172.16.200.1"),
    Case(IF, "ip address dhcp", "ip address dhcp client-id Bogus0", "^Bogus0"),
    Case(IF, "ip mtu 1400", "ip mtu 67", "^67"),
    Case(IF, "no ip next-hop-self eigrp 20", "no ip next-hop-self eigrp 65536", "^65536"),
    Case(IF, "ip nhrp authentication nhrpkey", "ip nhrp authentication", INCOMPLETE),
    Case(IF, "ip nhrp group SMALL", "ip nhrp group", INCOMPLETE),
    Case(IF, "ip nhrp holdtime 300", "ip nhrp holdtime 65536", "^65536"),
    Case(IF, "ip nhrp map 172.16.200.2 198.51.100.2", "ip nhrp map 172.16.200.2 198.51.100.256", "^198.51.100.256"),
    Case(IF, "ip nhrp map group SMALL service-policy output PM", "ip nhrp map group SMALL service-policy input PM",
         "^input"),
    Case(IF, "ip nhrp map multicast 198.51.100.2", "ip nhrp map multicast 198.51.100.256", "^198.51.100.256"),
    Case(IF, "ip nhrp map multicast dynamic", "ip nhrp map multicast dynamic now", "^now"),
    Case(IF, "ip nhrp network-id 100", "ip nhrp network-id 0", "^0"),
    Case(IF, "ip nhrp nhs 172.16.200.1 nbma 198.51.100.1 multicast", "ip nhrp nhs 172.16.200.1 priority 256", "^256"),
    Case(IF, "ip nhrp redirect", "ip nhrp redirect timeout 31", "^31"),
    Case(IF, "ip nhrp registration no-unique", "ip nhrp registration bogus", "^bogus"),
    Case(IF, "ip nhrp shortcut", "ip nhrp shortcut now", "^now"),
    Case(IF, "ip ospf network broadcast", "ip ospf network multipoint", "^multipoint"),
    Case(IF, "ip ospf priority 255", "ip ospf priority 256", "^256"),
    Case(IF, "no ip redirects", "no ip redirects now", "^now"),
    Case(IF, "no ip split-horizon eigrp 100", "no ip split-horizon eigrp 0", "^0"),
    Case(IF, "ip tcp adjust-mss 1360", "ip tcp adjust-mss 1461", "^1461"),
    Case(IF, "no shutdown", "shutdown now", "^now"),
    Case(IF, "tunnel key 100", "tunnel key 4294967296", "^4294967296"),
    Case(IF, "tunnel mode gre multipoint", "tunnel mode gre bogus", "^bogus"),
    Case(IF, "tunnel protection ipsec profile IPS", "tunnel protection ipsec profile IPS bogus", "^bogus",
         "tunnel protection ipsec profile NOPE", "% IPsec profile NOPE does not exist"),
    Case(IF, "tunnel source GigabitEthernet3", "tunnel source 300.1.1.1", "^300.1.1.1"),
    Case(IF, "tunnel source GigabitEthernet3", "tunnel source Loopback2147483648", "^2147483648"),
    Case(IF, "tunnel vrf INET", "tunnel vrf", INCOMPLETE, "tunnel vrf NOVRF", VRF_MISSING),
    Case(IF, "vrf forwarding INET", "vrf forwarding", INCOMPLETE, "vrf forwarding NOVRF", VRF_MISSING),
    # IKEv2 keyring, policy, profile, proposal
    Case(("crypto ikev2 keyring KR",), "peer ANY", "peer", INCOMPLETE),
    Case(("crypto ikev2 keyring KR", "peer ANY"), "address 0.0.0.0 0.0.0.0", "address 0.0.0.256", "^0.0.0.256"),
    Case(("crypto ikev2 keyring KR", "peer ANY"), "pre-shared-key k2-secret", "pre-shared-key", INCOMPLETE),
    Case(("crypto ikev2 policy POL",), "match fvrf INET", "match fvrf", INCOMPLETE, "match fvrf NOVRF", FVRF_MISSING),
    Case(("crypto ikev2 policy POL",), "proposal PROP", "proposal", INCOMPLETE,
         "proposal NOPE", "% No Proposal exists with the specified name NOPE"),
    Case(IKEV2_PROFILE, "authentication remote pre-share", "authentication remote rsa", "^rsa"),
    Case(IKEV2_PROFILE, "dpd 10 3 on-demand", "dpd 9 3 on-demand", "^9"),
    Case(IKEV2_PROFILE, "keyring local KR", "keyring local", INCOMPLETE,
         "keyring local NOSUCH", "% Invalid keyring NOSUCH"),
    Case(IKEV2_PROFILE, "match fvrf INET", "match fvrf", INCOMPLETE, "match fvrf NOVRF", FVRF_MISSING),
    # `ivrf X`: IOS-XE's "% vrf X not configured" (genielibs ike/configure.py, dmvpn_ops/lab/checks.py)
    Case(IKEV2_PROFILE, "ivrf INET", "ivrf", INCOMPLETE, "ivrf NOVRF", "% vrf NOVRF not configured"),
    Case(IKEV2_PROFILE, "match identity remote address 0.0.0.0", "match identity remote address 0.0.0.256",
         "^0.0.0.256"),
    Case(IKEV2_PROFILE, "lifetime 86400", "lifetime 60", "^60"),
    Case(("crypto ikev2 proposal PROP",), "encryption aes-cbc-256", "encryption aes-cbc-512", "^aes-cbc-512"),
    Case(("crypto ikev2 proposal PROP",), "group 14", "group 3", "^3"),
    Case(("crypto ikev2 proposal PROP",), "integrity sha256", "integrity sha7", "^sha7"),
    # IKEv1
    Case(ISAKMP, "authentication pre-share", "authentication psk", "^psk"),
    Case(ISAKMP, "encr aes 256", "encr aes 512", "^512"),
    Case(ISAKMP, "group 14", "group 3", "^3"),
    Case(ISAKMP, "hash sha256", "hash sha1", "^sha1"),
    Case(ISAKMP, "lifetime 86400", "lifetime 59", "^59"),
    Case(("crypto isakmp profile ISA",), "keyring KR1", "keyring", INCOMPLETE,
         "keyring NOSUCH", "% Keyring NOSUCH does not exist"),
    Case(("crypto isakmp profile ISA",), "match identity address 0.0.0.0", "match identity address 0.0.0.256",
         "^0.0.0.256", "match identity address 0.0.0.0 NOVRF", VRF_MISSING),
    Case(("crypto keyring KR1",), "pre-shared-key address 0.0.0.0 0.0.0.0 key k1-secret",
         "pre-shared-key address 0.0.0.0 0.0.0.0 key", INCOMPLETE),
    # IPsec
    Case(("crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac",), "mode transport", "mode bogus", "^bogus"),
    Case(("crypto ipsec profile IPS",), "set ikev2-profile IKE", "set ikev2-profile", INCOMPLETE,
         "set ikev2-profile NOSUCH", "% IKEv2 profile NOSUCH does not exist"),
    Case(("crypto ipsec profile IPS-V1",), "set isakmp-profile ISA", "set isakmp-profile", INCOMPLETE,
         "set isakmp-profile NOSUCH", "% ISAKMP profile NOSUCH does not exist"),
    Case(("crypto ipsec profile IPS",), "set transform-set TS", "set transform-set", INCOMPLETE,
         "set transform-set DOESNOTEXIST", 'ERROR: transform set with tag "DOESNOTEXIST" does not exist.'),
    # line, QoS, VRF
    Case(("line vty 0 4",), "login local", "login remote", "^remote"),
    Case(("line vty 0 4",), "transport input ssh", "transport input rlogin", "^rlogin"),
    Case(("policy-map PM",), "class class-default", "class", INCOMPLETE),
    Case(("policy-map PM", "class class-default"), "shape average 10000000", "shape average 7999", "^7999"),
    Case(("vrf definition INET",), "address-family ipv4", "address-family ipv5", "^ipv5"),
    Case(("vrf definition INET", "address-family ipv4"), "exit-address-family", "exit-address-family now", "^now"),
    # routing
    Case(BGP, "address-family ipv4", "address-family ipv5", "^ipv5"),
    Case(BGP, "bgp listen range 172.16.101.0/24 peer-group PG", "bgp listen range 172.16.101.0/33 peer-group PG",
         "^172.16.101.0/33"),
    Case(BGP, "bgp listen limit 10000", "bgp listen limit 10001", "^10001"),
    Case(BGP, "bgp log-neighbor-changes", "bgp log-neighbor-changes now", "^now"),
    Case(BGP, "neighbor PG2 peer-group", "neighbor PG2 peer-group a b", "^b",
         "neighbor 10.1.1.1 peer-group NOPE", "% Create the peer-group first"),
    Case(BGP, "neighbor PG remote-as 65000", "neighbor PG remote-as 4294967296", "^4294967296"),
    Case(BGP_AF, "neighbor PG activate", "neighbor PG activate now", "^now",
         "neighbor 10.9.9.9 activate", "% Specify remote-as or peer-group commands first"),
    Case(BGP_AF, "neighbor PG route-reflector-client", "neighbor PG route-reflector-client now", "^now",
         "neighbor NOPE route-reflector-client", "% Specify remote-as or peer-group commands first"),
    Case(BGP_AF, "network 10.101.0.0 mask 255.255.255.0", "network 10.101.0.0 mask 255.0.255.0",
         "%Inconsistent address and mask"),
    Case(BGP_AF, "exit-address-family", "exit-address-family now", "^now"),
    Case(("router eigrp 100",), "network 10.0.1.0 0.0.0.255", "network 10.0.1.0 0.0.0.255 area 0", "^area"),
    Case(("router ospf 30",), "network 10.30.0.0 0.0.0.255 area 0", "network 10.30.0.0 0.0.0.255", INCOMPLETE),
    Case(("router ospf 30",), "network 10.30.0.0 0.0.0.255 area 0", "network 10.30.0.0 0.0.0.255 area 4294967296",
         "^4294967296"),
    Case(("router ospf 30",), "network 10.30.0.0 0.0.0.255 area 0.0.0.1", "network 10.30.0.0 0.0.0.255 area x",
         "^x"),
]

# `no <object>` while it is referenced: refused; (deletion, IOS's answer, the block that names the object)
IN_USE: list[tuple[str, str, str]] = [
    ("no crypto ipsec profile IPS", "% IPsec profile IPS is in use by interface Tunnel900 and cannot be removed",
     "interface Tunnel900"),
    ("no crypto ipsec transform-set TS",
     "% Transform set TS is in use by crypto ipsec profile IPS and cannot be removed", "crypto ipsec profile IPS"),
    ("no crypto ikev2 profile IKE", "% IKEv2 profile IKE is in use by crypto ipsec profile IPS and cannot be removed",
     "crypto ipsec profile IPS"),
    ("no crypto ikev2 keyring KR", "% IKEv2 keyring KR is in use by crypto ikev2 profile IKE and cannot be removed",
     "crypto ikev2 profile IKE"),
    ("no crypto ikev2 proposal PROP", "% Cannot remove as proposal is in use.", "crypto ikev2 policy POL"),
    ("no crypto isakmp profile ISA",
     "% ISAKMP profile ISA is in use by crypto ipsec profile IPS-V1 and cannot be removed",
     "crypto ipsec profile IPS-V1"),
    ("no crypto keyring KR1", "% Keyring KR1 is in use by crypto isakmp profile ISA and cannot be removed",
     "crypto isakmp profile ISA"),
]
