"""The public gate: a host's own DMVPN gate (gate_host), the cross-hub half (hubs_gate) and the hubs' outcome
(HubWatch.refusal) that refuses a spoke whose hubs failed. Pure parts; the emulator runs are in
tests/nornir_tasks/test_push_waves.py and every deploy end-to-end test."""
from __future__ import annotations

from dmvpn_ops.deploy import HostDeploy, HubWatch, Status, gate_host
from dmvpn_ops.deploy.confirm import Expect, baseline, gate_command, hubs_gate
from tests.deploy.helpers import design
from tests.deploy.test_plan_blast_backup import HUB  # hub1 lists spoke1 (172.16.100.11) UP on Tunnel100

HUB2_IP = "172.16.100.2"


def test_the_hosts_own_gate() -> None:
    d = design("demo")
    assert gate_command(d, "hub1") == "show dmvpn" and gate_command(d, "spoke1") == "show ip nhrp nhs"
    assert "Tunnel100: no NHS responding" in (gate_host(d, "spoke1", "", []) or "")
    before = baseline("hub1", HUB)
    assert before == [Expect("hub1", "Tunnel100", "", "172.16.100.11")]
    assert gate_host(d, "hub1", HUB, before) is None
    lost = [*before, Expect("hub1", "Tunnel100", "", HUB2_IP)]
    assert gate_host(d, "hub1", HUB, lost) == f"hub1 does not list {HUB2_IP} UP on Tunnel100"
    # a rotation hub by hub breaks the hub-to-hub tunnel until the last hub: the other hubs are not asked
    assert gate_host(d, "hub1", HUB, lost, rotate_secrets=True) is None
    assert gate_host(d, "hub1", "", before) == "hub1 does not list 172.16.100.11 UP on Tunnel100"


def test_the_cross_hub_half_of_a_spokes_gate() -> None:
    d = design("demo")
    shows = {"hub1": HUB, "hub2": ""}  # hub2 cannot be read: it lists nobody
    assert hubs_gate(d, "spoke1", {"hub1"}, shows.__getitem__) is None
    assert hubs_gate(d, "spoke2", {"hub1"}, shows.__getitem__) == "hub1 does not list 172.16.100.12 UP on Tunnel100"
    assert hubs_gate(d, "spoke1", {"hub1", "hub2"}, shows.__getitem__) == \
        "hub2 does not list 172.16.100.11 UP on Tunnel100"
    assert hubs_gate(d, "spoke2", set(), shows.__getitem__) is None  # no usable hub in this run: nothing to ask


def test_a_spoke_is_refused_only_when_every_hub_of_a_cloud_failed() -> None:
    d = design("demo")

    def watch(**statuses: str) -> HubWatch:
        return HubWatch(d, {h: HostDeploy(h, "hub", status=s) for h, s in statuses.items()})

    both = watch(hub1=Status.UNREACHABLE, hub2=Status.ROLLED_BACK)
    assert both.refusal("spoke1") == "every hub of DMVPN1 failed (hub1, hub2); spoke left untouched"
    assert both.refusal("hub1") is None and both.usable == set()
    one = watch(hub1=Status.DEPLOYED, hub2=Status.ROLLED_BACK)
    assert one.refusal("spoke1") is None and one.usable == {"hub1"}
    assert watch(hub2=Status.FAILED_BEFORE_CHANGE).refusal("spoke3") is not None  # hub1 not in this run
    assert one.missing("spoke1") is None  # without a Nornir nobody is asked
