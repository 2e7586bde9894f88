"""`show crypto ipsec sa` (+ `detail`): one block per IPsec peer under its tunnel interface."""
from __future__ import annotations

from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.crypto import packets, transform_text
from dmvpn_ops.lab.cloud.sessions import Session, sessions

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World


def counters(world: World, s: Session) -> tuple[int, int]:
    """(encapsulated, decapsulated) packets: hellos and registrations over time, plus pings."""
    hold = world.conf(s.host).interfaces[s.tunnel].holdtime
    return (packets(world, s.since, s.host, s.peer, hold), packets(world, s.since, s.peer, s.host, hold))


def key_left(world: World, s: Session) -> tuple[int, int]:
    """(kilobytes, seconds) left of the current IPsec SA: its volume lifetime less what it carried since its
    (re)key (the lab's packets are ~100 bytes, a tenth of a KB), and its lifetime less its age."""
    hold = world.conf(s.host).interfaces[s.tunnel].holdtime
    sent = packets(world, s.child.start, s.host, s.peer, hold) if s.child.start > s.since else counters(world, s)[0]
    return max(0, s.prot.sa_kilobytes - sent // 10), s.child.remaining(world.clock.now())


def _sa(s: Session, spi: int, tag: str, settings: str, left: tuple[int, int], conn: int) -> list[str]:
    """One SA of the current pair; ``left`` counts down from its lifetimes since its (re)key."""
    return [f"      spi: 0x{spi:X}({spi})",
            f"        transform: {transform_text(s.prot)} ,",
            f"        in use settings ={{{settings}, }}",
            f"        conn id: {conn}, flow_id: CSR:{conn - 2000}, sibling_flags FFFFFFFF80000008, "
            f"crypto map: {tag}",
            f"        sa timing: remaining key lifetime (k/sec): ({left[0]}/{left[1]})",
            "        IV size: 16 bytes", "        replay detection support: Y",
            "        Status: ACTIVE(ACTIVE)", ""]


# `detail` replaces the `#send errors, #recv errors` totals with the per-cause drop counters
_DETAIL_ERRORS = ["    #pkts no sa (send) 0, #pkts invalid sa (rcv) 0",
                  "    #pkts encaps failed (send) 0, #pkts decaps failed (rcv) 0",
                  "    #pkts invalid prot (recv) 0, #pkts verify failed: 0",
                  "    #pkts invalid identity (recv) 0, #pkts invalid len (rcv) 0",
                  "    #pkts replay rollover (send): 0, #pkts replay rollover (rcv) 0",
                  "    ##pkts replay failed (rcv): 0",
                  "    #pkts tagged (send): 0, #pkts untagged (rcv): 0",
                  "    #pkts not tagged (send): 0, #pkts not untagged (rcv): 0",
                  "    #pkts internal err (send): 0, #pkts internal err (recv) 0"]


_ICV = {"esp-sha-hmac": 12, "esp-md5-hmac": 12, "esp-sha256-hmac": 16, "esp-sha384-hmac": 24,
        "esp-sha512-hmac": 32}


def plaintext_mtu(s: Session, path_mtu: int = 1500) -> int:
    """The largest packet the SA carries unfragmented, as IOS computes it for a tunnel-protection SA:
    path MTU less outer IP (20), NAT-T UDP (8), ESP header (8), IV and ICV, rounded down to the cipher
    block, less the 2-byte ESP trailer — the same in transport and tunnel mode. Matches real captures:
    1438 for esp-256-aes esp-sha-hmac (genieparser IOS-XE Tunnel0), 1422 for esp-256-aes
    esp-sha256-hmac Transport UDP-Encaps (tests/fixtures/parse/show_crypto_ipsec_sa/nat_spoke_transport)."""
    names = s.prot.transforms[0] if s.prot.transforms else ("esp-aes", "esp-sha-hmac")
    block, iv = (8, 8) if any(n in ("esp-3des", "esp-des") for n in names) else (16, 16)
    if any(n.startswith(("esp-gcm", "esp-gmac")) for n in names):
        block, iv = 4, 8
    icv = next((_ICV[n] for n in names if n in _ICV), 16 if block == 4 else 0)
    room = path_mtu - 20 - (8 if s.neg.nat else 0) - 8 - iv - icv
    return room // block * block - 2


def _peer_block(world: World, s: Session, detail: bool = False) -> list[str]:
    tag = f"{s.tunnel}-head-0"
    enc, dec = counters(world, s) if s.up else (0, 0)
    src = world.conf(s.host).interfaces[s.tunnel].source or ""
    mtu = plaintext_mtu(s)
    lines = ["   protected vrf: (none)",
             f"   local  ident (addr/mask/prot/port): ({s.local}/255.255.255.255/47/0)",
             f"   remote ident (addr/mask/prot/port): ({s.remote}/255.255.255.255/47/0)",
             f"   current_peer {s.remote} port {s.port}", "     PERMIT, flags={origin_is_acl,}",
             f"    #pkts encaps: {enc}, #pkts encrypt: {enc}, #pkts digest: {enc}",
             f"    #pkts decaps: {dec}, #pkts decrypt: {dec}, #pkts verify: {dec}",
             "    #pkts compressed: 0, #pkts decompressed: 0",
             "    #pkts not compressed: 0, #pkts compr. failed: 0",
             "    #pkts not decompressed: 0, #pkts decompress failed: 0",
             *(_DETAIL_ERRORS if detail else ["    #send errors 0, #recv errors 0"]), "",
             f"     local crypto endpt.: {s.local}, remote crypto endpt.: {s.remote}",
             f"     plaintext mtu {mtu if s.up else 1500}, path mtu 1500, ip mtu 1500, ip mtu idb {src}"]
    out_spi, in_spi = s.esp_spi(s.peer), s.esp_spi(s.host)   # the peer picks the SPI we send to
    remaining = key_left(world, s)
    lines += [f"     current outbound spi: 0x{out_spi if s.up else 0:X}({out_spi if s.up else 0})",
              "     PFS (Y/N): N, DH group: none", "", "     inbound esp sas:"]
    if s.up:
        lines += _sa(s, in_spi, tag, s.neg.mode, remaining, 2000 + s.child_conn_id % 1000 * 2 + 1)
    lines += ["     inbound ah sas:", "", "     inbound pcp sas:", "", "     outbound esp sas:"]
    if s.up:
        lines += _sa(s, out_spi, tag, s.neg.mode, remaining, 2000 + s.child_conn_id % 1000 * 2 + 2)
    return lines + ["     outbound ah sas:", "", "     outbound pcp sas:", ""]


def show_ipsec_sa(world: World, snap: Snapshot, host: str, detail: bool = False) -> str:
    lines: list[str] = []
    by_tunnel: dict[str, list[Session]] = {}
    for s in sessions(world, snap, host):
        by_tunnel.setdefault(s.tunnel, []).append(s)
    for tunnel, group in by_tunnel.items():
        lines += [f"interface: {tunnel}",
                  f"    Crypto map tag: {tunnel}-head-0, local addr {group[0].local}", ""]
        for s in group:
            lines += _peer_block(world, s, detail)
    return "\n".join(lines) + "\n"


def show_ipsec_sa_detail(world: World, snap: Snapshot, host: str) -> str:
    return show_ipsec_sa(world, snap, host, True)
