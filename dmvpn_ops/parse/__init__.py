"""parse stage: TextFSM templates (package data) turning IOS show output into flat typed records.

Public API: ``parse(command, text) -> list[dict]``, ``parse_fields(command, text, fields="ntc")`` /
``parse_ntc`` (ntc-templates' names and string values, see ``parse.ntc``), ``SUPPORTED_COMMANDS``,
``UnparseableOutput`` (a ``ParseError``, exit 1), ``UnsupportedCommand`` (an
``InputError``, exit 2) and ``attribute_codes`` (splits `show dmvpn` Attrb tokens).

Records (absent values are ``None``; counters ``int``; lists are lists):

- ``show dmvpn``: interface, type (Hub|Spoke|Hub/Spoke|Unknown, as IOS prints it), ip_version (4|6, of the NHRP
  table), peer_nbma, peer_tunnel, state, updn_time, attributes (the Attrb token as
  a one-item list, e.g. ["DT1"]; ``attribute_codes`` gives ["D", "T1"]), ent (int).
  ``detail`` adds target_network.
- ``show ip nhrp``: interface, prefix (always with /len), via, nbma, claimed_nbma
  (NAT: the address the peer registered), type (static|dynamic|incomplete), flags
  (list; ``(no-socket)`` becomes "no-socket"), created, expire ("never" when it never
  expires). ``detail`` adds preference, requester, request_id.
- ``show ip nhrp nhs``: interface, nhs, nbma, priority, cluster, flags (list of
  E/R/W/D). ``detail`` adds req_sent, req_failed, repl_recv, last_reply ("00:00:49"
  ago or None), current_request_id.
- ``show crypto isakmp sa``: ip_version, dst, src, state, conn_id, status.
- ``show crypto ikev2 sa``: tunnel_id, ip_version, local, local_port, remote,
  remote_port, fvrf, ivrf, status, encryption, keysize, prf, hash, dh_group,
  auth_sign, auth_verify, lifetime, active_time (seconds), session_id.
- ``show crypto ipsec sa`` (also ``detail``): one record per interface + ident pair:
  interface, crypto_map, local_addr, protected_vrf, local_ident, remote_ident
  ("addr/mask/prot/port"), peer, peer_port, pkts_encaps, pkts_encrypt, pkts_decaps,
  pkts_decrypt, send_errors, recv_errors, local_endpoint, remote_endpoint, path_mtu,
  current_outbound_spi, pfs, inbound_spis, outbound_spis (lists of hex SPIs),
  transform (of the current outbound SA when a rekey shows several), mode (transport|tunnel|None),
  nat_t (UDP-Encaps), status (ACTIVE...). send_errors/recv_errors are None for `detail`, which
  prints per-cause counters instead of the totals.
- ``show crypto session``: interface, profile, uptime, peer, port, fvrf, ivrf,
  session_status, ike_version (IKE|IKEv1|IKEv2), ike_local, ike_remote, ike_status
  ("Active" if any IKE SA is), ike_statuses (list), session_id, ipsec_flows (list of
  "permit ..." strings), active_sas (sum). ``detail`` adds description, phase1_id,
  capabilities, conn_id, lifetime, pkts_decrypted, pkts_encrypted, drops_in,
  drops_out (sums over flows).
- ``show ip eigrp neighbors``: as_number, vrf, handle, address, interface, hold,
  uptime, srtt, rto, q_count, seq.
- ``show ip ospf neighbor``: neighbor_id, priority, state ("FULL/-", "FULL/DR"),
  dead_time, address, interface.
- ``show ip bgp summary``: router_id, local_as, neighbor, version, remote_as,
  msg_rcvd, msg_sent, tbl_ver, in_q, out_q, up_down, state ("Established" or the
  IOS state, e.g. "Idle (Admin)"), prefixes_received (int when established),
  dynamic (bool: created by `bgp listen range`).
- ``show ip interface brief``: interface, ip_address (None if unassigned), ok,
  method, status, protocol.
- ``show ip nhrp brief`` / ``show ipv6 nhrp brief``: interface (as printed, `Tu0`), prefix, via, nbma,
  type (static|dynamic|incomplete), flags (legend letters of the IOS-XE layout, e.g. ["r"]; [] in the
  classic one), claimed_nbma. ``show ipv6 nhrp``: the ``show ip nhrp`` record.
- ``show ip nhrp traffic`` (also ipv6): interface, max_send_limit ("10000Pkts/10Sec"), usage (%),
  sent_total, rcvd_total and per packet type ``sent_<type>`` / ``rcvd_<type>`` (resolution_request,
  resolution_reply, registration_request, registration_reply, purge_request, purge_reply,
  error_indication, traffic_indication, redirect_suppress; None when the release does not print it).
- ``show ip nhrp summary`` (also ipv6): one record: ip_version, entries, bytes, static, dynamic,
  incomplete, remote (+ remote_static/_dynamic/_incomplete), nhop, bfd, default, temporary, route, rib,
  rib_h, rib_nho, bgp, remote_lfib, local (+ local_static/_dynamic/_incomplete), local_lfib.
- ``show dmvpn count status`` (``show dmvpn | count REGEX``): count.
- ``show crypto ikev2 sa detail`` (``detailed``): the ``show crypto ikev2 sa`` record plus
  status_description, local_id, remote_id, local_spi, remote_spi, dpd_interval (s, 0 = off), dpd_retry,
  fragmentation (bool), nat_t ("inside"|"outside"|None), initiator (bool), pushed_ip, remote_subnets,
  peer_type.
- ``show crypto ikev2 session`` (also ``detail``): session_id, status, ike_count, child_count, ip_version,
  the IKE SA's tunnel_id .. active_time (as ``show crypto ikev2 sa``, its status as ike_status),
  local_selectors, remote_selectors ("A - B"), esp_spis_in, esp_spis_out; ``detail`` adds local_id,
  remote_id, dpd_interval, dpd_retry, nat_t.
- ``show crypto isakmp sa detail``: ip_version, conn_id, local, remote, ivrf, status, encryption, hash,
  auth, dh_group, lifetime ("23:47:17"), capabilities (letters, e.g. ["D", "N"]), engine_conn_id.
- ``show crypto session brief``: ivrf, peer, interface, username, phase1_id, uptime, status (codes, "UA").
- ``show crypto ipsec sa count``: total, active, rekeying, unused, invalid.
- ``show interfaces tunnel N``: interface, status, protocol, description, ip_address (addr/len), mtu,
  bandwidth, delay, keepalive, tunnel_source, tunnel_source_interface, tunnel_destination, tunnel_mode
  ("multi-GRE/IP"), tunnel_vrf, tunnel_key (int), tunnel_ttl, tunnel_transport_mtu, tunnel_protection (profile),
  tunnel_protection_shared, input_drops, output_drops, packets_input, bytes_input, input_errors,
  packets_output, bytes_output, output_errors.
- ``show ip route nhrp``: code, prefix (with /len), distance, metric, next_hop, connected (bool), age,
  interface.
- ``show ipv6 eigrp neighbors``: the ``show ip eigrp neighbors`` record (address is the link-local one).
- ``show ipv6 ospf neighbor``: process_id, router_id, neighbor_id, priority, state, dead_time,
  interface_id, interface.

Command forms: scope words share the table of the plain command (`show crypto isakmp sa vrf X`,
`show ip ospf 1 neighbor`, `show bgp ipv6 unicast summary`, ...; see ``commands``). With an output
filter (`| include ...`) the records hold what the filter let through: a field whose line was filtered
out is None. ``parse(..., paste=True)`` (what `dmvpn-ops parse FILE` uses) first undoes paste damage
(see ``normalise``); device output stays strict.

Output cut short or edited is UnparseableOutput, never fewer or half records (``complete``): a
column value that is not the shape IOS prints (half an address or time, a status word cut
short), `show dmvpn` tables holding fewer peers than their `NHRP Peers:` count, a `show crypto
ipsec sa` block without its closing `outbound pcp sas:`, a filter that dropped the lines records
open on, an author's note inside the output. tests/fixtures/parse_rejected holds real examples.

Why our own templates rather than ntc-templates': ntc has no `show ip nhrp`,
`show ip nhrp nhs`, `show crypto isakmp sa`, `show crypto ikev2 sa`, plain
`show crypto ipsec sa`/`show crypto session`; its `show dmvpn` drops the interface
and type (dual-cloud rows cannot be told apart) and raises on IPv6 NHRP blocks;
its OSPF, BGP and interface-brief templates have no catch-all Error rule, so
garbage parses to [] silently; its EIGRP template rejects named-mode headers and
its BGP template misses `bgp listen range` neighbours. Ours keep ntc's naming
(`cisco_ios_<command>.textfsm`) and house rules (catch-all `^. -> Error`).
"""
from __future__ import annotations

from dmvpn_ops.errors import ParseError
from dmvpn_ops.parse.commands import SUPPORTED_COMMANDS, resolve_command
from dmvpn_ops.parse.convert import attribute_codes
from dmvpn_ops.parse.ntc import parse_fields, parse_ntc
from dmvpn_ops.parse.parse import UnparseableOutput, UnsupportedCommand, parse

__all__ = ["parse", "SUPPORTED_COMMANDS", "UnparseableOutput", "UnsupportedCommand", "ParseError",
           "attribute_codes", "resolve_command", "parse_ntc", "parse_fields"]
