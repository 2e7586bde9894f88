"""`show dmvpn detail` laid out as real IOS-XE 16/17 prints it (tests/fixtures/parse/show_dmvpn_detail,
lab_spoke_ikev2_i2_1.raw, a real capture): continuation rows repeat the NBMA address, the crypto
session block has the `Session ID` / `IKEv2 SA` / 8-space `Inbound:` lines, the NHS line has no
padding. Lines are compared by shape: addresses, numbers and names replaced by placeholders."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dmvpn_ops.parse import parse

REPO = Path(__file__).resolve().parents[3]
REAL = (REPO / "tests/fixtures/parse/show_dmvpn_detail/lab_spoke_ikev2_i2_1.raw").read_text()
PING = "ping 10.1.2.1 source 10.1.1.1 repeat 5"


def shape(line: str) -> str:
    line = line.rstrip()
    line = re.sub(r"\d+\.\d+\.\d+\.\d+(/\d+)?", "A", line)
    line = re.sub(r"0x ?[0-9A-F]+", "X", line)
    line = re.sub(r"esp-\S+ esp-\S+", "T", line)
    line = re.sub(r"Tunnel\d+", "TunN", line)
    line = re.sub(r"\d+(:\d+)*", "N", line)
    return re.sub(r"A +A", "A A", line)     # column padding depends on the address lengths


def crypto_block(text: str) -> list[str]:
    """The first session of the "Crypto Session Details" block, as shapes."""
    block = text.split("Crypto Session Details:", 1)[1].split("\n\n")[1]
    return [shape(line) for line in block.splitlines()]


def test_crypto_session_block_has_the_real_layout(lab: Any) -> None:
    assert crypto_block(lab.run("spoke1", "show dmvpn detail")) == crypto_block(REAL)
    assert "        Inbound:  #pkts dec'ed " in lab.run("hub1", "show dmvpn detail")


def test_continuation_rows_repeat_the_nbma_address(lab: Any) -> None:
    assert "Success rate is 100 percent" in lab.run("spoke1", PING)
    detail = lab.run("spoke1", "show dmvpn detail")
    assert "      203.0.113.12      172.16.100.12    UP 00:00:00   DT1   172.16.100.12/32" in detail
    real_rows = [ln for ln in REAL.splitlines() if "UP 00:" in ln]
    assert real_rows[1].startswith("      1.1.1.1 ")     # the capture's own continuation row
    plain = lab.run("spoke1", "show dmvpn")                # plain show dmvpn blanks it, as IOS does
    assert "                         172.16.100.12    UP 00:00:00   DT1" in plain
    assert [r["peer_nbma"] for r in parse("show dmvpn detail", detail)] == \
        [r["peer_nbma"] for r in parse("show dmvpn", plain)]


def test_target_network_column_width(lab: Any) -> None:
    real = [ln for ln in REAL.splitlines() if ln.endswith("172.16.123.1/32")][0]
    ours = [ln for ln in lab.run("spoke1", "show dmvpn detail").splitlines() if ln.endswith("172.16.100.1/32")][0]
    assert real.split(" S ", 1)[1] == "   172.16.123.1/32" and ours.split(" S ", 1)[1] == "   172.16.100.1/32"


def test_nhs_line(lab: Any, make: Any) -> None:
    real = REAL.split("IPv4 NHS:\n", 1)[1].splitlines()[0]
    assert real == "172.16.123.1  RE priority = 0 cluster = 0"
    classic = make(nhs_style="classic")     # `ip nhrp nhs X` + `ip nhrp map X Y`, as in the capture
    assert "\n172.16.100.1  RE priority = 0 cluster = 0\n" in classic.run("spoke1", "show dmvpn detail")
    modern = lab.run("spoke1", "show dmvpn detail")     # `ip nhrp nhs X nbma Y`
    assert "\n172.16.100.1  RE NBMA Address: 198.51.100.1 priority = 0 cluster = 0\n" in modern


def test_shut_tunnel_is_admin_down(lab: Any) -> None:
    lab.edit("spoke1", lambda text: text.replace("interface Tunnel100\n", "interface Tunnel100\n shutdown\n"))
    for command in ("show dmvpn", "show dmvpn detail"):
        text = lab.run("spoke1", command)
        assert "\nTunnel100 is admin down\n" in text and "Peer NBMA" not in text and "IPv4 NHS" not in text
        assert parse(command, text) == []
