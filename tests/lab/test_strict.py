"""The emulator refuses what IOS refuses: ranges, missing objects, in-use deletions, VRF moves.

Table-driven (tests/lab/strict_cases.py): every command the renderer emits for every example has a case
with an out-of-range (or out-of-domain) value and, where it names an object, a reference to a missing one.
The cases run through a CLI session of the emulator and, in one lab test, over real SSH with netmiko.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab import checks
from dmvpn_ops.lab.clock import LabClock
from dmvpn_ops.lab.core import LabCore
from dmvpn_ops.lab.editor import INVALID, ConfigEditor
from dmvpn_ops.lab.grammar import Match
from dmvpn_ops.lab.router import Router, load_text
from dmvpn_ops.lab.session import Session
from dmvpn_ops.lab.syntax_config import chain, grammar
from dmvpn_ops.render import render_bootstrap, render_config
from tests.lab.strict_cases import CASES, IN_USE, INCOMPLETE, WORLD, Case

REPO = Path(__file__).resolve().parents[2]
TUNNEL_MODE_WARNING = "%WARNING: The tunnel mode has been modified while the tunnel protection is already active."
EXAMPLES = ["inventory"] + sorted(f"inventory/examples/{p.name}" for p in (REPO / "inventory/examples").iterdir()
                                  if (p / "hosts.yaml").exists())


def _designs() -> Iterator[Design]:
    for inv in EXAMPLES:
        yield load_design(str(REPO / inv))


def _patterns(text: str) -> Iterator[tuple[str, str, list[str]]]:
    """(mode, pattern, words) of every line of a config text, walking the modes as IOS would."""
    router = Router("r", "", LabClock())
    router.running = []
    editor = ConfigEditor(router.running)
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("!") and line != "end":
            negated = line.startswith("no ")
            body = line[3:] if negated else line
            for mode in chain(editor.table):
                got = grammar(mode).parse(body, partial=negated)
                if isinstance(got, Match) and got.entry is not None:
                    yield mode, got.entry.pattern, body.split()
                    break
        editor.feed(raw)


def _mode_of(case: Case) -> str:
    editor = ConfigEditor([])
    for line in case.enter:
        editor.feed(line)
    return editor.table


def _covered() -> set[tuple[str, str]]:
    out = set()
    for case in CASES:
        mode = _mode_of(case)
        for m, pattern, _ in _patterns("\n".join((*case.enter, case.good))):
            if m == mode or not case.enter:
                out.add((m, pattern))
    return out


def test_every_rendered_command_has_a_strict_case() -> None:
    rendered: dict[tuple[str, str], str] = {}
    referencing: dict[tuple[str, str], str] = {}
    for design in _designs():
        for host in design.hosts:
            for text in (render_bootstrap(design, host), render_config(design, host, reveal_secrets=True)):
                for mode, pattern, words in _patterns(text):
                    rendered.setdefault((mode, pattern), " ".join(words))
                    if checks.references(mode, words):
                        referencing.setdefault((mode, pattern), " ".join(words))
    covered = _covered()
    assert len(rendered) > 60
    assert {k: v for k, v in rendered.items() if k not in covered} == {}
    with_missing = set()
    for case in CASES:
        if case.missing is not None:
            with_missing |= {(m, p) for m, p, _ in _patterns("\n".join((*case.enter, case.good)))}
    assert {k: v for k, v in referencing.items() if k not in with_missing} == {}


def _session() -> Session:
    core = LabCore.__new__(LabCore)  # only the session's hooks are used: no cloud, no listeners
    core.cloud, core.cloud_commands = None, ()
    core.config_changed = lambda name, now=False: None  # type: ignore[method-assign]
    router = Router("r1", "username admin privilege 15 secret 0 lab-pw-1\n", LabClock())
    assert load_text(router.running, WORLD) == []
    session = Session(core, router, "admin", "127.0.0.1")
    session.handle("configure terminal")
    return session


def _expect(answer: str, typed: str, prompt: str) -> str:
    if answer.startswith("^"):
        return " " * (len(prompt) + typed.rindex(answer[1:])) + "^\n" + INVALID + "\n"
    return answer + ("\n" if answer == INCOMPLETE else "")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.enter[-1] if c.enter else 'global'}: {c.good}" for c in CASES])
def test_strict_case(case: Case) -> None:
    session = _session()
    for line in case.enter:
        assert session.handle(line).text == "", line
    prompt = session.prompt
    good = session.handle(case.good).text
    # notices of an accepted line: a VRF move's, a proposal the IKEv2 policy lists already, a new IKEv2 profile's
    # reminder, a protected tunnel's mode changed
    assert good == "" or good.startswith(("% Interface ", "% Policy already has same proposal set",
                                          checks.IKEV2_PROFILE_NOTICE, TUNNEL_MODE_WARNING)), good
    for line in case.enter:
        session.handle(line)
    prompt = session.prompt
    assert session.handle(case.bad).text == _expect(case.bad_answer, case.bad, prompt)
    if case.missing is not None:
        before = session.router.body()
        assert session.handle(case.missing).text == case.missing_answer
        assert session.router.body() == before  # refused: nothing changed


@pytest.mark.parametrize("deletion, answer, user", IN_USE)
def test_in_use_deletion_is_refused_until_the_reference_goes(deletion: str, answer: str, user: str) -> None:
    session = _session()
    name = deletion.split()[-1]
    assert session.handle(deletion).text == answer
    assert re.search(rf"^{re.escape(deletion[3:])}( |$)", session.router.body(), re.M)
    for _ in range(3):  # remove each user (the one IOS names, when it names one), then the deletion goes through
        if " is in use by " in answer:
            user = answer.split(" is in use by ")[1].removesuffix(" and cannot be removed")
        referencing = [c.text for c in _block(session.router, user).children if name in c.text.split()]
        session.handle(user)
        for line in referencing:
            assert session.handle(f"no {line}").text == ""
        session.handle("exit")
        answer = session.handle(deletion).text
        if not answer:
            break
    assert answer == ""
    assert not re.search(rf"^{re.escape(deletion[3:])}( |$)", session.router.body(), re.M)


def _block(router: Router, text: str) -> Any:
    return next(line for line in router.running if line.text == text)


def test_vrf_forwarding_drops_the_address_and_says_so() -> None:
    session = _session()
    session.handle("interface Tunnel900")
    assert session.handle("vrf forwarding INET").text == \
        "% Interface Tunnel900 IPv4 disabled and address(es) removed due to enabling VRF INET"
    assert " ip address 172.16.200.1" not in session.router.body()
    session.handle("ip address 172.16.200.1 255.255.255.0")
    assert session.handle("vrf forwarding INET").text == ""  # the same VRF again changes nothing
    assert session.handle("no vrf forwarding").text == \
        "% Interface Tunnel900 IPv4 disabled and address(es) removed due to disabling VRF INET"
    assert "172.16.200.1" not in session.router.body()


def test_deleting_a_vrf_strips_its_interfaces_and_routes() -> None:
    session = _session()
    session.handle("ip route vrf INET 0.0.0.0 0.0.0.0 192.0.2.254")
    assert session.handle("no vrf definition INET").text == \
        "% IPv4 addresses from all interfaces in VRF INET have been removed"
    body = session.router.body()
    assert "vrf forwarding INET" not in body and "192.0.2.1 " not in body and "ip route vrf INET" not in body


def test_a_proposal_the_ikev2_policy_lists_already_is_accepted_with_ios_notice() -> None:
    """IOS answers `% Policy already has same proposal set` and changes nothing; a new proposal is added."""
    session = _session()
    session.handle("crypto ikev2 policy POL")
    before = session.router.body()
    assert session.handle("proposal PROP").text == "% Policy already has same proposal set"
    assert session.router.body() == before
    session.handle("crypto ikev2 proposal PROP9")
    session.handle("encryption aes-cbc-256")
    session.handle("crypto ikev2 policy POL")
    assert session.handle("proposal PROP9").text == ""
    assert "crypto ikev2 policy POL \n proposal PROP\n proposal PROP9\n" in session.router.body()


def test_a_new_ikev2_profile_gets_ios_reminder_and_is_accepted() -> None:
    """IOS prints what an IKEv2 profile must hold when one is created, enters it, and says nothing on re-entry."""
    session = _session()
    assert session.handle("crypto ikev2 profile NEW").text == (
        "IKEv2 profile MUST have:\n"
        "   1. A local and a remote authentication method.\n"
        "   2. A match identity or a match certificate or match any statement.")
    assert session.prompt.endswith("(config-ikev2-profile)#")
    assert session.handle("match identity remote any").text == ""
    session.handle("exit")
    assert session.handle("crypto ikev2 profile NEW").text == ""   # it exists now
    assert session.handle("crypto ikev2 profile IKE").text == ""   # so did this one (WORLD)
    assert "crypto ikev2 profile NEW\n match identity remote any\n" in session.router.body()
    for line in ("crypto ikev2 keyring KR", "peer ANY"):   # typed in a sub-mode, as in the captures
        session.handle(line)
    assert session.handle("crypto ikev2 profile FROM-PEER").text.startswith("IKEv2 profile MUST have:\n")
    assert session.prompt.endswith("(config-ikev2-profile)#")
    router = Router("r2", "", LabClock())
    router.running = []
    assert load_text(router.running, "crypto ikev2 profile P\n match identity remote any\n") == []


def test_changing_a_protected_tunnels_mode_warns_and_applies() -> None:
    """A protected tunnel whose mode changes: IOS applies the mode and warns (real capture); same mode: silent."""
    session = _session()
    session.handle("interface Tunnel900")   # protected, no mode line: GRE IP
    warning = (f'{TUNNEL_MODE_WARNING} It is recommended to run "shutdown" and "no shutdown" on Tunnel900 '
               "interface to refresh the config.")
    assert session.handle("tunnel mode gre multipoint").text == warning
    assert " tunnel mode gre multipoint\n" in session.router.body()
    assert session.handle("tunnel mode gre multipoint").text == ""
    assert session.handle("tunnel mode gre ip").text == warning
    session.handle("interface Tunnel901")   # no tunnel protection: no warning
    assert session.handle("tunnel mode gre multipoint").text == ""


def test_ikev2_profile_ivrf_names_an_existing_vrf() -> None:
    session = _session()
    session.handle("crypto ikev2 profile IKE")
    before = session.router.body()
    assert session.handle("ivrf NOVRF").text == "% vrf NOVRF not configured"
    assert session.router.body() == before
    assert session.handle("ivrf INET").text == ""
    assert "crypto ikev2 profile IKE\n match identity remote address 0.0.0.0 \n keyring local KR\n ivrf INET\n" \
        in session.router.body()


def test_an_address_in_a_vrf_without_ipv4_is_refused() -> None:
    """`ip address` in a `vrf definition` lacking `address-family ipv4` is refused until the family exists."""
    session = _session()
    for line in ("vrf definition NOAF", "interface Loopback900"):
        session.handle(line)
    assert session.handle("vrf forwarding NOAF").text == ""   # accepted: the interface had no address
    before = session.router.body()
    assert session.handle("ip address 10.250.0.1 255.255.255.255").text == \
        "% Loopback900 is linked to a VRF. Enable IPv4 on that VRF first"
    assert session.router.body() == before
    for line in ("vrf definition NOAF", "address-family ipv4", "interface Loopback900"):
        session.handle(line)
    assert session.handle("ip address 10.250.0.1 255.255.255.255").text == ""
    for line in ("ip vrf LEGACY", "interface Loopback901", "ip vrf forwarding LEGACY"):
        session.handle(line)
    assert session.handle("ip address 10.250.0.2 255.255.255.255").text == ""   # `ip vrf` is IPv4 by definition


def test_ambiguous_and_foreign_mode_commands() -> None:
    session = _session()
    session.handle("interface Tunnel900")
    assert session.handle("ip nhrp n 5").text == '% Ambiguous command:  "ip nhrp n 5"'
    session.handle("router eigrp 100")
    assert INVALID in session.handle("network 10.0.0.0 0.0.0.255 area 0").text
    assert INVALID in session.handle("neighbor 10.0.0.1 remote-as 65000").text
    assert "router eigrp 100\n!" in session.router.body()  # nothing of OSPF or BGP got in


@pytest.mark.lab
def test_strict_cases_over_ssh(connect: Callable[..., Any], lab: Any) -> None:
    """The same answers over real SSH (netmiko), caret column included."""
    assert lab.configure("hub1", WORLD) == []
    conn = connect("hub1")
    conn.config_mode()
    for case in CASES:
        conn.send_command("end", expect_string=r"#")
        conn.config_mode()
        for line in case.enter:
            conn.send_command(line, expect_string=r"\)#")
        prompt = conn.find_prompt()
        out = conn.send_command(case.bad, expect_string=r"\)#", strip_prompt=True, strip_command=True)
        want = _expect(case.bad_answer, case.bad, prompt).rstrip("\n")
        assert out.rstrip("\n") == want, (case.bad, out)
        if case.missing is not None:
            out = conn.send_command(case.missing, expect_string=r"\)#", strip_prompt=True, strip_command=True)
            assert out.strip() == case.missing_answer, (case.missing, out)
    conn.send_command("end", expect_string=r"#")


def test_overlapping_address_is_refused_in_the_same_vrf_only() -> None:
    session = _session()
    session.handle("interface Loopback7")
    assert session.handle("ip address 172.16.200.9 255.255.255.0").text == "% 172.16.200.0 overlaps with Tunnel900"
    assert session.handle("ip address 192.0.2.9 255.255.255.0").text == ""   # Gi3's subnet is in VRF INET
    assert session.handle("ip address 192.0.2.9 255.255.255.0").text == ""   # its own address again


def test_a_pasted_config_reports_the_lines_ios_refused() -> None:
    router = Router("r1", "", LabClock())
    router.running = []
    text = ("vrf definition A\ninterface Tunnel0\n ip address 10.0.0.1 255.255.255.0\n vrf forwarding A\n"
            " tunnel protection ipsec profile NOPE\n ip address 10.0.0.1 255.0.255.0\n")
    # the VRF move is a notice, not a refusal; the missing profile and the bad mask are refused
    assert load_text(router.running, text) == [" tunnel protection ipsec profile NOPE",
                                               " ip address 10.0.0.1 255.0.255.0"]


def test_listen_range_before_its_peer_group_is_accepted_and_printed_first() -> None:
    """The renderer's order (range, then `neighbor PG peer-group`) is IOS's own running-config order."""
    session = _session()
    session.handle("router bgp 65000")
    for line in ("neighbor 10.9.9.9 remote-as 65000", "bgp listen range 10.0.0.0/24 peer-group NEW",
                 "neighbor NEW peer-group", "neighbor NEW remote-as 65000"):
        assert session.handle(line).text == "", line
    body = session.router.body().split("router bgp 65000\n")[1].split("!")[0].splitlines()
    assert body == [" bgp listen range 10.0.0.0/24 peer-group NEW", " neighbor PG peer-group",
                    " neighbor PG remote-as 65000", " neighbor 10.9.9.9 remote-as 65000",
                    " neighbor NEW peer-group", " neighbor NEW remote-as 65000"]
