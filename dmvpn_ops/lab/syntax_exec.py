"""EXEC-mode grammar: local commands (``do``: handler name) and the cloud model's show/ping/clear commands."""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from dmvpn_ops.lab.grammar import Grammar, expand

_URL = "(system:running-config|system:/running-config|nvram:startup-config|nvram:/startup-config|<file>)"
# (pattern, handler, lowest privilege level that may run it)
LOCAL = [
    ("enable [<num>]", "enable", 1), ("disable", "disable", 1), ("exit", "exit", 1),
    ("logout", "exit", 1), ("quit", "exit", 1),
    ("terminal length <num>", "terminal", 1), ("terminal width <num>", "terminal", 1),
    ("terminal (monitor|no monitor)", "terminal", 1),
    ("show version", "version", 1), ("show clock [detail]", "clock", 1),
    ("show users [all]", "users", 1), ("show privilege", "privilege", 1),
    ("show running-config [(all|interface <intf>)]", "running", 15),
    ("show startup-config", "startup", 15), ("show archive", "show_archive", 15),
    ("show (flash:|bootflash:)", "dir", 15), ("dir [(flash:|bootflash:|<file>)]", "dir", 15),
    ("more <file>", "more", 15), ("delete [/force] <file>", "delete", 15), ("verify /md5 <file>", "verify", 15),
    ("show file systems", "file_systems", 15), ("show boot", "show_boot", 15), ("show banner motd", "banner_motd", 1),
    # show access-lists [NAME] / show ip access-lists [NAME] (Cisco IOS Security Command Reference)
    ("show access-lists [<word>]", "access_lists", 1), ("show ip access-lists [<word>]", "access_lists", 1),
    # Configuration Replace and Rollback guide: differences [URL [URL]] [ignorecase], incremental-diffs URL
    (f"show archive config differences [{_URL} [{_URL}]] [ignorecase]", "differences", 15),
    (f"show archive config incremental-diffs {_URL} [ignorecase]", "incremental", 15),
    ("copy null: <file>", "copy_flash", 15), ("copy <file> <file>", "copy_flash", 15),
    ("configure terminal [revert timer <num>]", "configure", 15), ("configure confirm", "confirm", 15),
    # configure replace URL [list] [force] [ignorecase] [revert trigger [error] [timer 1-120] | time 1-120]
    ("configure replace <file> [list] [force] [ignorecase] [(revert trigger [error] [timer <num:1-120>]|"
     "time <num:1-120>)]", "replace", 15),
    ("configure revert (now|timer <num>)", "revert", 15),
    ("show archive config rollback timer", "rollback_timer", 15),
    ("copy running-config startup-config", "save", 15), ("copy running-config <file>", "copy_file", 15),
    ("copy startup-config running-config", "copy_startup", 15),
    ("copy <file> (running-config|startup-config)", "copy_in", 15),
    ("write [memory]", "write", 15), ("write terminal", "running", 15),
    ("archive config", "archive_config", 15), ("reload", "reload", 15),
]

# The cloud's commands and their arguments; any SHOW_COMMANDS entry missing here gets `[<line>]`.
CLOUD = [
    # argument order as in the Cisco command references (Security / DMVPN / NHRP / IP Routing, IOS-XE 17):
    # show dmvpn [interface tunnel N | peer {nbma | tunnel} A.B.C.D] [detail]
    ("show dmvpn [(interface <intf>|peer (nbma|tunnel) <ip>)] [detail]", 1),
    # show ip nhrp [A.B.C.D | interface] [brief | detail]; nhs [interface] [detail]; traffic [interface X]
    ("show ip nhrp [(<ip>|<intf>)] [(brief|detail)]", 1), ("show ip nhrp nhs [<intf>] [detail]", 1),
    ("show ip nhrp shortcut [<intf>]", 1), ("show ip nhrp summary", 1),
    ("show ip nhrp traffic [interface <intf>]", 1),
    ("show crypto isakmp sa [detail]", 15), ("show crypto ikev2 sa [detail]", 15),
    # show crypto ipsec sa [interface X | peer A.B.C.D] [detail]
    ("show crypto ipsec sa [(interface <intf>|peer <ip>)] [detail]", 15),
    ("show crypto session [(detail|brief)]", 15),
    # show ip eigrp neighbors [detail] [interface]; show ip ospf neighbor [interface] [detail];
    # show ip ospf interface [interface] [brief]
    ("show ip eigrp neighbors [detail] [<intf>]", 1), ("show ip eigrp (topology|interfaces)", 1),
    ("show ip ospf neighbor [<intf>] [detail]", 1), ("show ip ospf interface [<intf>] [brief]", 1),
    # show ip ospf [process-id]: the process summary (Cisco IP Routing: OSPF command reference; layout of the
    # IOS-XE capture genieparser iosxe ShowIpOspf golden_output4, tests/fixtures/lab/show_ip_ospf/)
    ("show ip ospf [<num:1-65535>]", 1),
    # Cisco IP Routing: BGP command reference: show ip bgp [ipv4 unicast] [all] summary|neighbors [A.B.C.D]
    # (NAPALM's get_bgp_neighbors_detail sends `show ip bgp all sum`, then `show ip bgp ipv4 unicast neigh X`)
    ("show ip bgp summary", 1), ("show ip bgp [<ip>]", 1), ("show ip bgp neighbors [<ip>]", 1),
    ("show ip bgp all summary", 1), ("show ip bgp ipv4 unicast (summary|neighbors [<ip>])", 1),
    # show ip bgp neighbors A.B.C.D {advertised-routes | received-routes | routes} (same reference)
    ("show ip bgp [ipv4 unicast] neighbors <ip> (advertised-routes|received-routes|routes)", 1),
    ("show bgp (ipv4 unicast|all) summary", 1), ("show bgp ipv4 unicast neighbors [<ip>]", 1),
    ("show ip route [(nhrp|eigrp|ospf|bgp|connected|static|summary|<ip> [<mask>])]", 1),
    # show ip route vrf NAME [A.B.C.D [MASK]] (Cisco IP Routing command reference, show ip route; NAPALM's
    # get_route_to sends `show ip route vrf V P M` for each VRF of `show vrf`)
    ("show ip route vrf <word> [<ip> [<mask>]]", 1), ("show ip protocols", 1),
    ("show ip interface brief", 1), ("show ip interface [<intf>]", 1), ("show interfaces [<intf>]", 1),
    # show interfaces accounting (Cisco IOS Interface and Hardware Component CR; unicon/Genie learn('interface')
    # sends it on IOS-XE)
    ("show interfaces (description|summary|accounting)", 1), ("show ipv6 interface [brief]", 1),
    ("show arp", 1), ("show logging", 15), ("show hosts", 1), ("show inventory", 1),
    ("show memory statistics", 15), ("show processes cpu", 1), ("show vrf [detail]", 1),
    # show snmp chassis (Cisco SNMP command reference; see dmvpn_ops/lab/cloud/show/snmp.py for the answers)
    ("show snmp chassis", 1),
    # show ntp associations (Cisco Basic System Management command reference; answers in cloud/show/ntp.py)
    ("show ntp associations", 1),
    # CDP/LLDP are off on the lab's routers: IOS answers "% CDP is not enabled" / "% LLDP is not enabled"
    ("show cdp [(neighbors [detail]|interface)]", 1), ("show lldp [(neighbors [detail]|interface)]", 1),
    ("ping [vrf <word>] [ip] <host> *[source (<ip>|<intf>)|repeat <num>|size <num>|timeout <num>|df-bit]", 1),
    # `ttl <min> <max>`: the extended traceroute's "Minimum/Maximum Time to Live" as keywords (Cisco IOS
    # command reference, trace/traceroute; NAPALM's ios driver sends `traceroute X ttl 0 255 timeout 2`)
    ("traceroute [vrf <word>] <host> *[source (<ip>|<intf>)|numeric|timeout <num>|probe <num>"
     "|ttl <num:0-255> <num:0-255>]", 1),
    ("clear ip nhrp [<ip>]", 15), ("clear crypto session [(remote|peer) <ip>]", 15),
    ("clear crypto sa [peer <ip>]", 15), ("clear crypto (isakmp|ikev2 sa)", 15),
    ("clear ip bgp <word>", 15), ("clear ip eigrp neighbors", 15),
]


def _keywords(pattern: str) -> str:
    words = []
    for word in pattern.split():
        if not word.isidentifier() and not word.replace("-", "").replace(":", "").isalnum():
            break
        words.append(word)
    return " ".join(words)


@lru_cache(maxsize=8)
def grammar(privileged: bool, cloud_commands: tuple[str, ...] = ()) -> Grammar:
    """EXEC grammar for user (``>``) or privileged (``#``) mode."""
    g = Grammar()
    level = 15 if privileged else 1
    for pattern, handler, priv in LOCAL:
        if priv <= level:
            g.add(pattern, do=handler)
    for pattern, priv in _cloud_patterns(cloud_commands):
        if priv <= level:
            g.add(pattern, cloud=True)
    return g


def _cloud_patterns(extra: Iterable[str]) -> list[tuple[str, int]]:
    # a command some CLOUD pattern already spells out gets no `[<line>]` catch-all (it would accept anything
    # after it and answer with nothing)
    known = {_keywords(p) for p, _ in CLOUD} | {" ".join(seq) for p, _ in CLOUD for seq in expand(p)}
    out = list(CLOUD)
    for command in extra:
        if command not in known and not any(command == _keywords(p) for p, _, _ in LOCAL):
            out.append((f"{command} [<line>]", 1 if command.startswith(("show", "ping", "trace")) else 15))
    return out
