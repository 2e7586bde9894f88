"""`parse --fields ntc` / ``parse_ntc`` against ntc-templates' own ``parse_output`` on every shared capture.

Equal wherever ntc reads the capture right; every other capture is listed below with what ntc does wrong,
and the test checks that claim too (ntc raises, or its records are a strict in-order subset of ours).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import textfsm
from ntc_templates.parse import parse_output

from dmvpn_ops.parse import parse_fields, parse_ntc
from dmvpn_ops.parse.ntc import NOT_PRODUCED, NTC_NAMES

from .conftest import FIXTURES

# (command, capture) -> ("raises" | "drops", why ntc is wrong there)
NTC_WRONG: dict[tuple[str, str], tuple[str, str]] = {
    ("show dmvpn", "genieparser_iosxe_1"): ("drops", "drops the # Ent continuation rows (2nd tunnel address, DT1)"),
    ("show dmvpn", "genieparser_iosxe_2"): ("raises", "header without the '#' of '# Ent' (IOS-XE 16)"),
    ("show dmvpn", "genieparser_iosxe_3"): ("drops", "drops rows whose IPv6 NBMA wraps onto the next line"),
    ("show dmvpn", "hub_ipv4_and_ipv6"): ("drops", "drops the IPv6 NHRP block"),
    ("show dmvpn", "ios124_hub_1"): ("raises", "echoed prompt line / IOS 12.4 layout"),
    ("show dmvpn", "ios124_hub_2"): ("raises", "echoed prompt line / IOS 12.4 layout"),
    ("show dmvpn", "ios124_spoke_1"): ("raises", "echoed prompt line / IOS 12.4 layout"),
    ("show dmvpn", "spoke_phase3_shortcuts"): ("drops", "drops the DT2 continuation row of a shortcut"),
    ("show dmvpn", "lab_tab_indented_legend_1"): ("raises", "echoed prompt line"),
    ("show dmvpn", "lab_dual_stack_hub_1"): ("raises", "echoed prompt line (and it drops IPv6 NHRP blocks)"),
    ("show dmvpn", "lab_dual_stack_spoke_1"): ("raises", "echoed prompt line (and it drops IPv6 NHRP blocks)"),
    ("show dmvpn", "lab_phase3_spoke_dt2_dt1_1"): ("drops", "drops the DT1 continuation row of a shortcut"),
    ("show dmvpn", "lab_dual_tunnel_hub_fvrf_1"): ("raises", "echoed config-mode prompt line (`R16(config-if)#do sh dmvpn`)"),
    ("show dmvpn", "lab_hub_unknown_incomplete_1"): ("raises", "echoed prompt line"),
    ("show dmvpn", "lab_spoke_unknown_ent0_1"): ("raises", "echoed prompt line"),
    ("show dmvpn", "lab_ipv6_nbma_intf_1"): ("raises", "echoed config-mode prompt line (`R28(config)#do show dmvpn`)"),
    ("show ip eigrp neighbors", "genieparser_iosxe_1"): ("raises", "echoed prompt line"),
    ("show ip eigrp neighbors", "genieparser_iosxe_2"): ("raises", "echoed prompt line (vrf)"),
    ("show ip eigrp neighbors", "genieparser_iosxe_3"): ("raises", "indented capture"),
    ("show ip eigrp neighbors", "genieparser_iosxe_4"): ("raises", "indented capture"),
    ("show ip eigrp neighbors", "genieparser_iosxe_5"): ("raises", "echoed prompt line"),
    ("show ip eigrp neighbors", "named_mode_hub"): ("raises", "named-mode 'EIGRP-IPv4 VR(...)' header"),
    ("show ip bgp summary", "genieparser_iosxe_2"): ("drops", "IPv6 neighbour address (IPv4-only regex)"),
    ("show ip bgp summary", "hub_listen_range"): ("drops", "'*' bgp listen range neighbours"),
    ("show ip bgp summary", "lab_all_listen_range_vpnv4_1"): ("drops", "'*' bgp listen range neighbours"),
    ("show ip ospf neighbor", "genieparser_iosxe_1"): ("drops", "indented header: reads nothing"),
    ("show ip ospf neighbor", "genieparser_iosxe_2"): ("drops", "indented header: reads nothing"),
    ("show crypto session detail", "azure-docs_csr1000_1"): ("raises", "echoed prompt line"),
    ("show crypto session detail", "genieparser_iosxe_1"): ("raises", "'IKE SA:' line without the IKE version"),
    ("show crypto session detail", "genieparser_iosxe_2"): ("raises", "unindented Session ID / IKEv1 SA lines"),
    ("show crypto session detail", "genieparser_iosxe_4"): ("raises", "flow of a host to a subnet (permit ip host A net/mask)"),
    ("show crypto ipsec sa detail", "genieparser_iosxe_1"): (
        "raises", "IOS-XE 17 lines: 'PFS ..., PQC Key Exchange: ML-KEM-1024', 'crypto map: X, initiator : False', "
                  "'remaining key lifetime (sec): 94'"),
    ("show crypto ipsec sa detail", "genieparser_iosxe_ipv6_detailed_1"): (
        "raises", "IPv6 crypto endpoints split over two lines, 'spi: [Not Available]', 'initiator : False'"),
}

CASES = [(command, raw) for command in NTC_NAMES
         for raw in sorted((FIXTURES / "_".join(command.split())).glob("*.raw"))]


def _ntc(command: str, raw: Path) -> list[dict[str, str]]:
    records: list[dict[str, str]] = parse_output(platform="cisco_ios", command=command, data=raw.read_text())
    skip = set(NOT_PRODUCED.get(command, ()))
    return [{k: v for k, v in r.items() if k not in skip} for r in records]


def _in_order_subset(small: list[dict[str, str]], big: list[dict[str, str]]) -> bool:
    it = iter(big)
    return all(any(item == other for other in it) for item in small)


@pytest.mark.parametrize(("command", "raw"), CASES, ids=[f"{c}/{r.stem}" for c, r in CASES])
def test_equal_to_ntc_where_ntc_is_right(command: str, raw: Path) -> None:
    ours = parse_ntc(command, raw.read_text())
    assert all(isinstance(v, str) for r in ours for v in r.values())
    wrong = NTC_WRONG.get((command, raw.stem))
    if wrong is None:
        assert ours == _ntc(command, raw)
    elif wrong[0] == "raises":
        with pytest.raises(Exception):  # noqa: B017 - ntc raises textfsm's own error types
            _ntc(command, raw)
        assert ours, "we do read the capture ntc refuses"
    else:
        theirs = _ntc(command, raw)
        assert len(theirs) < len(ours) and _in_order_subset(theirs, ours), (wrong[1], theirs, ours)


def test_every_documented_deviation_is_a_real_capture() -> None:
    assert set(NTC_WRONG) <= {(c, r.stem) for c, r in CASES}
    assert len([1 for c, r in CASES if (c, r.stem) not in NTC_WRONG]) >= 20  # enough equal cases


def test_names_are_ntcs_and_default_stays() -> None:
    text = (FIXTURES / "show_ip_eigrp_neighbors" / "ntc-templates_2.raw").read_text()
    ntc = parse_fields("sh ip eigrp nei", text, fields="ntc")
    default = parse_fields("show ip eigrp neighbors", text)
    assert set(ntc[0]) == {"as", "ip_address", "interface", "hold", "uptime", "srtt", "rto", "q_cnt", "seq_num"}
    assert {"as_number", "address", "q_count", "seq"} <= set(default[0]) and isinstance(default[0]["seq"], int)


def test_cli_fields_ntc(cli) -> None:
    raw = FIXTURES / "show_dmvpn" / "hub_nat_dual_cloud.raw"
    result = cli("parse", "show dmvpn", str(raw), "--fields", "ntc")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["fields"] == "ntc" and document["records"] == _ntc("show dmvpn", raw)
    assert set(document["records"][0]) == {"peer_nbma", "peer_tunnel", "state", "uptime", "attribute"}


def test_cli_fields_ntc_without_template_is_exit_2(cli) -> None:
    raw = FIXTURES / "show_ip_nhrp" / sorted(p.name for p in (FIXTURES / "show_ip_nhrp").glob("*.raw"))[0]
    result = cli("parse", "show ip nhrp", str(raw), "--fields", "ntc")
    assert result.code == 2 and "show ip nhrp" in result.err and "--fields" in result.err
    bad = cli("parse", "show dmvpn", str(raw), "--fields", "genie")
    assert bad.code == 2 and "genie" in bad.err and "Traceback" not in bad.err


IPSEC_DETAIL = FIXTURES / "show_crypto_ipsec_sa_detail"


@pytest.mark.parametrize("capture", ["ntc-templates_1", "ntc-templates_2"])
def test_ipsec_sa_detail_api_is_ntcs_per_sa_records(capture: str) -> None:
    raw = IPSEC_DETAIL / f"{capture}.raw"
    ours = parse_fields("sh cry ipsec sa det", raw.read_text(), fields="ntc")
    theirs = _ntc("show crypto ipsec sa detail", raw)
    assert ours == theirs and [list(r) for r in ours] == [list(r) for r in theirs]  # names, values and order
    flows = parse_fields("show crypto ipsec sa detail", raw.read_text())
    assert len(ours) == sum(len(f["inbound_spis"]) + len(f["outbound_spis"]) for f in flows) > len(flows)
    assert ours[1]["current_outbound_spi_dec"] == "305441741" and ours[1]["sa_orientation"] == "outbound"


def test_ipsec_sa_detail_keeps_the_printed_strings() -> None:
    ours = parse_ntc("show crypto ipsec sa detail", (IPSEC_DETAIL / "ntc-templates_2.raw").read_text())
    assert {r["current_outbound_spi_dec"] for r in ours if r["interface"] == "Tunnel2"} == {"0987612345"}
    assert [r["sa_spi_hex"] for r in ours if r["interface"] == "Tunnel2"] == [
        "0x1234DCBA", "0x4321FFFF", "0x4321DCBA", "0x4321AAAA"]
    assert {r["pkts_replay_failed"] for r in ours if r["interface"] == "Tunnel2"} == {"1"}  # no fill-over


def test_ipsec_sa_detail_sa_without_spi_is_kept() -> None:
    """IOS-XE 17 may print `spi: [Not Available]` (ntc raises on this capture): the SA stays, spi ""."""
    ours = parse_ntc("show crypto ipsec sa detailed",
                     (IPSEC_DETAIL / "genieparser_iosxe_ipv6_detailed_1.raw").read_text())
    assert len(ours) == 4 and {r["sa_spi_hex"] for r in ours} == {""}
    assert ours[0]["local_crypto_endpt"] == "4180::56:0:1" and ours[0]["sa_flow_id"] == "ESG:71"
    assert ours[0]["local_ident_addr"] == "4180::56:0:1" and ours[0]["local_ident_port"] == "12346"


@pytest.mark.parametrize("capture", ["ntc-templates_1", "ntc-templates_2"])
def test_cli_fields_ntc_ipsec_sa_detail(cli, capture: str) -> None:
    raw = IPSEC_DETAIL / f"{capture}.raw"
    result = cli("parse", "show crypto ipsec sa detail", str(raw), "--fields", "ntc", "--format", "json")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["fields"] == "ntc" and document["command"] == "show crypto ipsec sa detail"
    assert document["records"] == _ntc("show crypto ipsec sa detail", raw)


def test_cli_fields_ntc_ipsec_sa_detail_filtered_is_exit_2(cli, tmp_path: Path) -> None:
    raw = IPSEC_DETAIL / "ntc-templates_1.raw"
    result = cli("parse", "show crypto ipsec sa detail | include spi", str(raw), "--fields", "ntc")
    assert result.code == 2 and "filter" in result.err and "Traceback" not in result.err
    plain = cli("parse", "show crypto ipsec sa", str(raw), "--fields", "ntc")  # ntc has no template for it
    assert plain.code == 2 and "show crypto ipsec sa" in plain.err and "--fields" in plain.err


def test_ipsec_sa_detail_interface_with_several_flows() -> None:
    """A hub's interface holds one flow per spoke; ntc raises at the second `protected vrf:`. The capture is
    ntc-templates_1 with the `interface: Tunnel2` header removed, so both flows sit under Tunnel1."""
    text = (IPSEC_DETAIL / "ntc-templates_1.raw").read_text()
    hub = text.replace("interface: Tunnel2\n    Crypto map tag: Tunnel2-head-0, local addr 1.2.3.4\n", "")
    assert hub != text
    with pytest.raises(textfsm.TextFSMError, match="protected vrf"):
        parse_output(platform="cisco_ios", command="show crypto ipsec sa detail", data=hub)
    ours = parse_ntc("show crypto ipsec sa detail", hub)
    assert [(r["interface"], r["crypto_map_tag"], r["current_peer"]) for r in ours] == [
        ("Tunnel1", "Tunnel1-head-0", "2.2.2.2")] * 2 + [("Tunnel1", "Tunnel1-head-0", "3.3.3.3")] * 2
    whole = parse_ntc("show crypto ipsec sa detail", text)
    assert [r["sa_spi_hex"] for r in ours] == [r["sa_spi_hex"] for r in whole]
