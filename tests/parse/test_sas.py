"""``parse.sas``: the per-SA reading of `show crypto ipsec sa [detail]` agrees with the flow records.

The SA blocks are a second reading of the same capture (for ``--fields ntc``); every fact both readings
have must be the same, so a drift between the two templates fails here on every golden capture.
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest
import textfsm

import dmvpn_ops.parse.sas
from dmvpn_ops.errors import InputError
from dmvpn_ops.parse import UnparseableOutput, UnsupportedCommand, parse
from dmvpn_ops.parse.sas import parse_sas

from .conftest import FIXTURES

CASES = [(d.replace("_", " "), raw) for d in ("show_crypto_ipsec_sa", "show_crypto_ipsec_sa_detail")
         for raw in sorted((FIXTURES / d).glob("*.raw"))]
TEMPLATE = Path(dmvpn_ops.parse.sas.__file__).parent / "templates" / "sa" / "ipsec_sa_blocks.textfsm"
# flow-record field -> SA field with the same fact (strings as printed; our records type them)
SAME = {"interface": "interface", "crypto_map": "crypto_map", "local_addr": "local_addr",
        "protected_vrf": "protected_vrf", "local_ident": "local_ident", "remote_ident": "remote_ident",
        "peer": "peer", "peer_port": "peer_port", "pkts_encaps": "pkts_encaps", "pkts_encrypt": "pkts_encrypt",
        "pkts_decaps": "pkts_decaps", "pkts_decrypt": "pkts_decrypt", "local_endpoint": "local_endpoint",
        "remote_endpoint": "remote_endpoint", "path_mtu": "path_mtu",
        "current_outbound_spi": "current_outbound_spi", "pfs": "pfs"}


@pytest.mark.parametrize(("command", "raw"), CASES, ids=[f"{c}/{r.stem}" for c, r in CASES])
def test_sas_agree_with_the_flow_records(command: str, raw: Path) -> None:
    text = raw.read_text()
    flows = parse(command, text, paste=True)
    sas = parse_sas(command, text, paste=True)
    assert len(sas) >= sum(len(f["inbound_spis"]) + len(f["outbound_spis"]) for f in flows)
    for index, flow in enumerate(flows):
        mine = [sa.fields for sa in sas if sa.flow == index]
        for direction in ("inbound", "outbound"):
            spis = [sa["spi"] for sa in mine if sa["direction"] == direction and sa["protocol"] in ("esp", "ah")
                    and sa["spi"].startswith("0x")]
            assert spis == flow[f"{direction}_spis"], (index, direction)
        for ours, theirs in SAME.items():
            expected = "" if flow[ours] is None else str(flow[ours])
            assert {sa[theirs] for sa in mine} <= {expected}, (index, ours)


def test_no_value_leaks_from_one_flow_into_the_next() -> None:
    sas = parse_sas("show crypto ipsec sa detail",
                    (FIXTURES / "show_crypto_ipsec_sa_detail" / "ntc-templates_2.raw").read_text())
    replay = {sa.flow: sa.fields["pkts_replay_failed"] for sa in sas}
    assert replay == {0: "0", 1: "1"}
    assert [sa.fields["spi_dec"] for sa in sas if sa.flow == 1] == ["4321567890", "1126301695", "0987612345",
                                                                    "1126279850"]


def test_bad_output_is_refused_as_parse_refuses_it() -> None:
    text = (FIXTURES / "show_crypto_ipsec_sa_detail" / "ntc-templates_1.raw").read_text()
    cut = text[: text.index("outbound esp sas:")]
    with pytest.raises(UnparseableOutput) as flows_error:
        parse("show crypto ipsec sa detail", cut)
    with pytest.raises(UnparseableOutput) as sas_error:
        parse_sas("show crypto ipsec sa detail", cut)
    assert str(sas_error.value) == str(flows_error.value)
    with pytest.raises(UnsupportedCommand):
        parse_sas("show dmvpn", text)
    with pytest.raises(InputError, match="filter"):
        parse_sas("show crypto ipsec sa detail | include spi", text)


def test_template_house_rules() -> None:
    fsm = textfsm.TextFSM(io.StringIO(TEMPLATE.read_text()))
    assert all(name.isupper() for name in fsm.header)
    for state, rules in fsm.states.items():
        assert rules[-1].match.strip() == "^." and rules[-1].line_op == "Error", state
