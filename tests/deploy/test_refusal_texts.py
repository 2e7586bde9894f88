"""Every answer the strict emulator gives a refused line is an IOS error to deploy, every notice of an accepted
line is not: the texts come from driving the emulator's own config sessions (tests/lab/strict_cases.py), so a
new refusal text that deploy's IOS_ERROR misses, or a notice it mistakes for a refusal, fails here.

The same texts over real SSH with netmiko: tests/deploy/test_push_refusals.py.
"""
from __future__ import annotations

import pytest

from dmvpn_ops.deploy.push import ios_error
from dmvpn_ops.lab.editor import INVALID
from tests.lab.strict_cases import CASES, IN_USE, INCOMPLETE, Case
from tests.lab.test_strict import _session

# lines the emulator refuses beyond the table's: (lines that lead there, the refused line)
MORE_REFUSALS = [
    (("interface Loopback7",), "ip address 172.16.200.9 255.255.255.0"),          # overlaps with Tunnel900
    (("vrf definition NOAF", "interface Loopback8", "vrf forwarding NOAF"),
     "ip address 10.250.0.1 255.255.255.255"),                                    # VRF without IPv4
    (("router bgp 65000",), "neighbor 10.1.1.1 description x"),                   # no remote-as
    ((), "ip route 10.0.0.1 255.255.255.0 192.0.2.254"),                          # host bits set
    (("interface GigabitEthernet3.10",), "ip address 10.251.0.1 255.255.255.0"),  # no encapsulation yet
    (("ip access-list extended DUP", "permit ip any any"), "10 deny ip any any"),  # sequence number in use
]
# lines the emulator accepts with a notice: (lines that lead there, the accepted line, whether it changes the
# running config: a proposal the IKEv2 policy lists already changes nothing)
NOTICES = [
    (("interface Tunnel900",), "vrf forwarding INET", True),                      # address removed
    ((), "no vrf definition INET", True),                                         # VRF's interfaces stripped
    (("crypto ikev2 policy POL",), "proposal PROP", False),                       # proposal listed already
    ((), "crypto ikev2 profile NEW", True),                                       # new profile's reminder
    (("interface Tunnel900",), "tunnel mode gre multipoint", True),               # protected tunnel's mode
]


def _answer(enter: tuple[str, ...], line: str) -> tuple[str, str]:
    session = _session()
    for typed in enter:
        session.handle(typed)
    before = session.router.body()
    return session.handle(line).text, before


@pytest.mark.parametrize("case", CASES, ids=[f"{c.enter[-1] if c.enter else 'global'}: {c.bad}" for c in CASES])
def test_every_refusal_of_the_strict_table_is_an_ios_error(case: Case) -> None:
    answer, _ = _answer(case.enter, case.bad)
    assert answer.strip(), case.bad
    assert ios_error(answer) is not None, answer
    if INVALID not in answer and answer.strip() != INCOMPLETE:   # a message of its own: caught whole
        assert ios_error(answer) == answer.strip()
    if case.missing is not None:
        answer, _ = _answer(case.enter, case.missing)
        assert answer and ios_error(answer) == answer, answer


@pytest.mark.parametrize("deletion", [d for d, _, _ in IN_USE])
def test_every_in_use_refusal_is_an_ios_error(deletion: str) -> None:
    answer, _ = _answer((), deletion)
    assert answer and ios_error(answer) == answer, answer


@pytest.mark.parametrize("enter, line", MORE_REFUSALS)
def test_other_refusals_are_ios_errors(enter: tuple[str, ...], line: str) -> None:
    answer, _ = _answer(enter, line)
    # caught whole (a multi-line refusal too), without the empty lines IOS prints around some of them
    assert answer.strip() and ios_error(answer) == answer.strip(), answer


@pytest.mark.parametrize("enter, line, changes", NOTICES)
def test_notices_of_accepted_lines_are_not_ios_errors(enter: tuple[str, ...], line: str, changes: bool) -> None:
    session = _session()
    for typed in enter:
        session.handle(typed)
    before = session.router.body()
    answer = session.handle(line).text
    assert answer, line                                       # IOS says something ...
    assert (session.router.body() != before) is changes, line  # ... of a line it applied
    assert ios_error(answer) is None, answer                  # ... and deploy does not take it for a refusal
