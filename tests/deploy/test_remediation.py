"""Remediation round trip (hier_config style) on every example host, quirks, scope and prune."""
from __future__ import annotations

import pytest

from dmvpn_ops.deploy.quirks import clean_running
from dmvpn_ops.deploy.remediation import equivalent, remediate
from dmvpn_ops.render import render_config
from tests.conftest import TEST_SECRETS
from tests.deploy.helpers import INVENTORIES, apply, design, router

CASES = [(inv, host) for inv in INVENTORIES for host in design(inv).hosts]


@pytest.mark.parametrize("inv,host", CASES, ids=[f"{i}-{h}" for i, h in CASES])
def test_round_trip(inv: str, host: str) -> None:
    d = design(inv)
    r = router(d, host)
    before = r.running_config()
    rem = remediate(before, render_config(d, host, reveal_secrets=True))
    assert not rem.empty
    assert apply(r, rem.commands) == []  # every line accepted
    after = r.running_config()
    assert equivalent(after, rem.target)  # running + remediation == intended
    assert remediate(after, render_config(d, host, reveal_secrets=True)).empty  # idempotent
    assert apply(r, rem.rollback) == []
    assert equivalent(r.running_config(), before)  # intended + rollback == running


def test_unmanaged_lines_are_never_touched() -> None:
    d = design("demo")
    rem = remediate(router(d, "hub1").running_config(), render_config(d, "hub1", reveal_secrets=True))
    for line in rem.commands:
        assert not line.startswith(("no username", "no enable", "no line", "no ip http", "no service"))


def test_masked_commands_hide_secrets() -> None:
    d = design("demo")
    rem = remediate(router(d, "spoke1").running_config(), render_config(d, "spoke1", reveal_secrets=True))
    shown = "\n".join(rem.masked() + rem.masked_rollback())
    assert "*****" in shown
    for value in TEST_SECRETS.values():
        assert value not in shown
    assert any(TEST_SECRETS["DMVPN_PSK"] in c for c in rem.commands)  # pushed for real


BASE = """hostname spoke1
interface Tunnel100
 ip address 172.16.100.11 255.255.255.0
 tunnel mode gre multipoint
interface GigabitEthernet1
 ip address 203.0.113.11 255.255.255.0
 negotiation auto
"""


def test_hidden_quirk_lines_are_not_drift() -> None:
    intended = BASE.replace(" tunnel mode", " ip nhrp shortcut\n tunnel mode") + " no shutdown\n"
    intended = intended.replace(" negotiation auto\n", "")
    assert remediate(BASE, intended).empty


def test_hidden_lines_go_with_a_real_change() -> None:
    intended = BASE.replace(" tunnel mode", " ip nhrp shortcut\n ip mtu 1400\n tunnel mode")
    rem = remediate(BASE, intended)
    assert [c.strip() for c in rem.commands] == ["interface Tunnel100", "ip nhrp shortcut", "ip mtu 1400"]


def test_stale_objects_kept_unless_prune() -> None:
    running = BASE + "interface Tunnel200\n ip address 172.16.200.11 255.255.255.0\nrouter eigrp 200\n network 10.0.0.0\n"
    kept = remediate(running, BASE)
    assert kept.empty and kept.stale == ("interface Tunnel200", "router eigrp 200")
    pruned = remediate(running, BASE, prune=True)
    assert list(pruned.commands) == ["no interface Tunnel200", "no router eigrp 200"]


def test_removals_run_referrers_first() -> None:
    running = BASE + "crypto ipsec profile P\n set transform-set T\ninterface Tunnel300\n tunnel protection ipsec profile P\n"
    rem = remediate(running, BASE, prune=True)
    assert list(rem.commands) == ["no interface Tunnel300", "no crypto ipsec profile P"]


def test_ikev1_key_is_replaced_in_place() -> None:
    running = BASE + "crypto isakmp key OldKey-1 address 0.0.0.0\n"
    intended = BASE + "crypto isakmp key NewKey-2 address 0.0.0.0\n"
    rem = remediate(running, intended)
    assert set(rem.commands) == {"no crypto isakmp key OldKey-1 address 0.0.0.0",
                                 "crypto isakmp key NewKey-2 address 0.0.0.0"}


def test_clean_running_drops_volatile_header() -> None:
    text = "Building configuration...\n\nCurrent configuration : 10 bytes\n!\n! Last configuration change at x\nhostname a\nend\n"
    assert clean_running(text).startswith("!\nhostname a")
