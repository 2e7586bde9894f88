"""`show crypto isakmp sa`, `show crypto ikev2 sa [detail]`, `show crypto session [detail]`."""
from __future__ import annotations

from typing import TYPE_CHECKING

from dmvpn_ops.lab.clock import hms, uptime
from dmvpn_ops.lab.cloud import dpd, eventlog
from dmvpn_ops.lab.cloud.crypto import transform_text
from dmvpn_ops.lab.cloud.sessions import Session, sessions
from dmvpn_ops.lab.cloud.show.ipsec import counters, key_left, show_ipsec_sa, show_ipsec_sa_detail
from dmvpn_ops.lab.cloud.underlay import nbma

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

__all__ = ["show_ipsec_sa", "show_ipsec_sa_detail", "show_isakmp_sa", "show_ikev2_sa", "show_ikev2_sa_detail",
           "show_session", "show_session_detail", "clear_crypto"]

CODES = """Code: C - IKE Configuration mode, D - Dead Peer Detection     
K - Keepalives, N - NAT-traversal, T - cTCP encapsulation     
X - IKE Extended Authentication, F - IKE Fragmentation
R - IKE Auto Reconnect, U - IKE Dynamic Route Update
S - SIP VPN
"""


def _ends(s: Session) -> tuple[str, str]:
    """(dst, src) of the IKE SA: responder and initiator, as both sides print them."""
    return (str(s.remote), str(s.local)) if s.initiator else (str(s.local), str(s.remote))


def show_isakmp_sa(world: World, snap: Snapshot, host: str) -> str:
    lines = ["IPv4 Crypto ISAKMP SA", "dst             src             state          conn-id status"]
    for s in sessions(world, snap, host):
        if s.prot.ike_version != 1 or not (s.up or s.initiator):
            continue
        dst, src = _ends(s)
        state, cid = ("QM_IDLE", s.ike_conn_id) if s.up else ("MM_NO_STATE", s.conn_id)
        lines.append(f"{dst:<15} {src:<15} {state:<13} {cid:>8} ACTIVE")
    lines += ["", "IPv6 Crypto ISAKMP SA", ""]
    return "\n".join(lines) + "\n"


def _encr(s: Session) -> str:
    encr, integ, group = sorted(s.prot.proposals)[0] if s.prot.proposals else ("aes-cbc-256", "sha256", "14")
    algo, _, size = encr.upper().rpartition("-")
    hashname = integ.upper().replace("SHA", "SHA") if integ else "SHA256"
    return (f"      Encr: {algo}, keysize: {size}, PRF: {hashname}, Hash: {hashname}, DH Grp:{group}, "
            f"Auth sign: PSK, Auth verify: PSK")


def _v2_lines(world: World, s: Session, n: int, detail: bool) -> list[str]:
    now = world.clock.now()
    status = "READY" if s.up else "IN-NEG"
    local, remote = f"{s.local}/{s.port}", f"{s.remote}/{s.port}"
    vrf = f"{world.conf(s.host).interfaces[s.tunnel].tunnel_vrf or 'none'}/none"
    lines = [f"{n:<10}{local:<22}{remote:<22}{vrf:<21}{status:<7}", _encr(s),
             f"      Life/Active Time: {s.prot.lifetime}/{int(now - s.ike_start) if s.up else 0} sec"]
    if detail:
        lines += _v2_detail(s, nbma(world, s.host, s.tunnel).nat)
    return lines


def _v2_detail(s: Session, behind_nat: bool) -> list[str]:
    # `inside` on the end behind the NAT, `outside` on its peer (real captures: an IOS-XE router on a private
    # address to GCP, tests/fixtures/parse/show_crypto_ikev2_sa_detail/guide_gcp_nat_inside_1; genieparser
    # ShowCryptoIkev2SaDetail golden outputs of the public end)
    where = "inside" if behind_nat else "outside"
    nat = f"NAT-T is detected {where}" if s.neg.nat else "NAT-T is not detected  "
    return [f"      CE id: {s.conn_id}, Session-id: {s.conn_id - 1000}",
            f"      Status Description: {'Negotiation done' if s.up else 'Initiator waiting for AUTH response'}",
            f"      Local spi: {s.ike_spi(s.host):016X}       Remote spi: {s.ike_spi(s.peer):016X}",
            f"      Local id: {s.local_id}", f"      Remote id: {s.remote_id}",
            "      Local req msg id:  2              Remote req msg id:  0         ",
            "      Local next msg id: 2              Remote next msg id: 0         ",
            "      Local req queued:  2              Remote req queued:  0         ",
            "      Local window:      5              Remote window:      5         ",
            _dpd_line(s), "      Fragmentation not  configured.",
            "      Dynamic Route Update: disabled", "      Extended Authentication not configured.",
            f"      {nat}", "      Cisco Trust Security SGT is disabled",
            f"      Initiator of SA : {'Yes' if s.initiator else 'No'}", ""]


def _dpd_line(s: Session) -> str:
    """This end's configured DPD (IKEv2 profile `dpd I R mode`, else `crypto ikev2 dpd`), as IOS-XE prints
    it: `DPD configured for 60 seconds, retry 3`, and `0 seconds, retry 0` without DPD (captures:
    genieparser iosxe ShowCryptoIkev2SaDetail golden_output2 and golden_output7)."""
    interval, retry = s.prot.dpd or (0, 0)
    return f"      DPD configured for {interval} seconds, retry {retry}"


def _ikev2(world: World, snap: Snapshot, host: str, detail: bool) -> str:
    # IOS repeats the column header above every SA, a blank line after each, and prints no header at
    # all without SAs (real captures: azure-docs CSR1000v, tests/fixtures/parse/show_crypto_ikev2_sa)
    lines = [" IPv4 Crypto IKEv2  SA ", ""]
    mine = [s for s in sessions(world, snap, host) if s.prot.ike_version == 2 and (s.up or s.initiator)]
    for n, s in enumerate(mine, 1):
        lines += ["Tunnel-id Local                 Remote                fvrf/ivrf            Status ",
                  *_v2_lines(world, s, n, detail), ""]
    lines += [" IPv6 Crypto IKEv2  SA ", ""]
    return "\n".join(lines) + "\n"


def show_ikev2_sa(world: World, snap: Snapshot, host: str) -> str:
    return _ikev2(world, snap, host, False)


def show_ikev2_sa_detail(world: World, snap: Snapshot, host: str) -> str:
    return _ikev2(world, snap, host, True)


def _status(s: Session) -> str:
    return "UP-ACTIVE" if s.up else "DOWN" if s.neg.reason == "unreachable" else "DOWN-NEGOTIATING"


def _session(world: World, s: Session, detail: bool) -> list[str]:
    now, v = world.clock.now(), f"IKEv{s.prot.ike_version}"
    fvrf = world.conf(s.host).interfaces[s.tunnel].tunnel_vrf or "(none)"
    lines = [f"Interface: {s.tunnel}"]
    if s.prot.ike_profile:
        lines.append(f"Profile: {s.prot.ike_profile}")
    if detail and s.up:
        lines.append(f"Uptime: {uptime(now - s.since)}")
    lines.append(f"Session status: {_status(s)}     ")
    lines.append(f"Peer: {s.remote} port {s.port} " + (f"fvrf: {fvrf} ivrf: (none)" if detail else ""))
    if detail:
        lines += [f"      Phase1_id: {s.remote_id if s.up else '(none)'}", "      Desc: (none)"]
    if s.neg.reason != "unreachable":
        lines += [f"  Session ID: {s.conn_id - 1000 if s.up else 0}  ",
                  f"  {v} SA: local {s.local}/{s.port} remote {s.remote}/{s.port} "
                  f"{'Active' if s.up else 'Inactive'} "]
        if detail:
            caps = "N" if s.neg.nat else "(none)"
            life = _ike_left(world, s)
            lines.append(f"          Capabilities:{caps if s.up else '(none)'} connid:{s.ike_conn_id if s.up else 0} lifetime:{life}")
    lines += [f"  IPSEC FLOW: permit 47 host {s.local} host {s.remote} ",
              f"        Active SAs: {2 if s.up else 0}, origin: crypto map"]
    if detail:
        enc, dec = counters(world, s) if s.up else (0, 0)
        life = _ipsec_left(world, s)
        lines += [f"        Inbound:  #pkts dec'ed {dec} drop 0 life (KB/Sec) {life}",
                  f"        Outbound: #pkts enc'ed {enc} drop 0 life (KB/Sec) {life}"]
    return lines + [""]


def _ike_left(world: World, s: Session) -> str:
    """`lifetime:` of the IKE SA in use: its lifetime less the time since it was negotiated or re-keyed
    (real capture: Uptime 11:12:24 with lifetime:12:47:36 of 24 h, ntc-templates show_crypto_session_detail_ikev2)."""
    if not s.up:
        return "0"
    return hms(max(0.0, s.prot.lifetime - (world.clock.now() - s.ike_start)))


def _ipsec_left(world: World, s: Session) -> str:
    """`life (KB/Sec)`: the current IPsec SA's volume and seconds left, as `show crypto ipsec sa` prints them."""
    if not s.up:
        return "0/0"
    kbytes, secs = key_left(world, s)
    return f"{kbytes}/{secs}"


def show_session(world: World, snap: Snapshot, host: str) -> str:
    lines = ["Crypto session current status", ""]
    for s in sessions(world, snap, host):
        lines += _session(world, s, False)
    return "\n".join(lines) + "\n"


def show_session_detail(world: World, snap: Snapshot, host: str) -> str:
    lines = ["Crypto session current status", "", CODES]
    for s in sessions(world, snap, host):
        lines += _session(world, s, True)
    return "\n".join(lines) + "\n"


def clear_crypto(world: World, host: str) -> None:
    """Tear down and re-negotiate: new SA incarnations (SPIs, uptimes) for every peer of ``host``; an SA
    that was only carried on (a changed key, a silent peer) does not come back."""
    now = world.clock.now()
    eventlog.cleared(world, host)
    dpd.forget(world, host)
    for key, since in world.trackers.items():
        if key[0] == "ike" and host in key and since.ok:
            since.since = now
    for sc in world.shortcuts:
        if host in (sc.owner, sc.peer):
            sc.expire_at = now


def _ike_lines(world: World, s: Session) -> list[str]:
    """`Session ID`, `IKEvN SA: local .. remote ..` and `Capabilities:..` as crypto session detail prints them."""
    life = _ike_left(world, s)
    return [f"  Session ID: {s.conn_id - 1000 if s.up else 0}",
            f"  IKEv{s.prot.ike_version} SA: local {s.local}/{s.port} remote {s.remote}/{s.port} "
            f"{'Active' if s.up else 'Inactive'}",
            f"          Capabilities:{('N' if s.neg.nat else '(none)') if s.up else '(none)'} "
            f"connid:{s.ike_conn_id if s.up else 0} lifetime:{life}"]


def detail_sessions(world: World, snap: Snapshot, host: str) -> list[str]:
    """The "Crypto Session Details" part of `show dmvpn detail`, laid out as IOS-XE 16/17 prints it."""
    lines = ["Crypto Session Details: ", "-" * 80, ""]
    for s in sessions(world, snap, host):
        enc, dec = counters(world, s) if s.up else (0, 0)
        life = _ipsec_left(world, s)
        lines += [f"Interface: {s.tunnel}", f"Session: [0x{s.ident('session'):08X}]"]
        if s.neg.reason != "unreachable":
            lines += _ike_lines(world, s)
        lines += [f"  Crypto Session Status: {_status(s)}",
                  f"  fvrf: {world.conf(s.host).interfaces[s.tunnel].tunnel_vrf or '(none)'}, "
                  f"Phase1_id: {s.remote_id if s.up else '(none)'}",
                  f"  IPSEC FLOW: permit 47 host {s.local} host {s.remote}",
                  f"        Active SAs: {2 if s.up else 0}, origin: crypto map",
                  f"        Inbound:  #pkts dec'ed {dec} drop 0 life (KB/Sec) {life}",
                  f"        Outbound: #pkts enc'ed {enc} drop 0 life (KB/Sec) {life}"]
        if s.up:  # IOS prints the SPI `%8X`: a short one is padded with blanks (`0x 623029E`)
            lines.append(f"   Outbound SPI : 0x{s.esp_spi(s.peer):8X}, transform : {transform_text(s.prot)}")
        lines += [f"    Socket State: {'Open' if s.up else 'Closed'}", ""]
    return lines + ["Pending DMVPN Sessions:", ""]
