"""Each injected fault shows its effect; the clock moves uptimes and expires entries."""
from __future__ import annotations

import os
from typing import Any

import pytest
from ntc_templates.parse import parse_output


def hub_peers(lab: Any, hub: str = "hub1") -> dict[str, dict[str, str]]:
    rows = parse_output(platform="cisco_ios", command="show dmvpn", data=lab.run(hub, "show dmvpn"))
    return {r["peer_tunnel"]: r for r in rows}


REKEY = 3600     # the IPsec SA lifetime of the rendered profiles (IOS default): child SAs re-key, no AUTH
REAUTH = 86400   # the IKE SA lifetime (IKEv2 profile / ISAKMP policy default): when a changed key is checked


def test_wrong_psk(lab: Any) -> None:
    lab.cloud.inject("wrong-psk", "spoke1")
    assert "READY" in lab.run("spoke1", "show crypto ikev2 sa")   # the established SA carries on
    assert hub_peers(lab)["172.16.100.11"]["state"] == "UP"
    lab.cloud.clock.advance(REKEY)                                # the child SA re-keys inside the IKE SA
    assert "READY" in lab.run("spoke1", "show crypto ikev2 sa")
    lab.cloud.clock.advance(REAUTH - REKEY)                       # the IKE SA authenticates anew: it fails
    sa = lab.run("spoke1", "show crypto ikev2 sa")
    assert "READY" not in sa and "IN-NEG" in sa
    assert "DOWN-NEGOTIATING" in lab.run("spoke1", "show crypto session detail")
    assert "172.16.100.11" in hub_peers(lab)          # the hub entry ages out, it does not vanish
    lab.cloud.clock.advance(301)
    assert "172.16.100.11" not in hub_peers(lab)
    assert " E  NBMA Address: 198.51.100.1" in lab.run("spoke1", "show ip nhrp nhs")
    assert "172.16.100.1   IKE " in lab.run("spoke1", "show dmvpn")
    lab.cloud.clear("spoke1")
    assert "172.16.100.11" in hub_peers(lab)


def test_wrong_psk_ikev1(make: Any) -> None:
    lab = make(crypto={"type": "ikev1", "psk": "env:DMVPN_PSK"})
    assert "QM_IDLE" in lab.run("spoke1", "show crypto isakmp sa")
    lab.cloud.inject("wrong-psk", "spoke1")
    assert "QM_IDLE" in lab.run("spoke1", "show crypto isakmp sa")
    lab.cloud.clock.advance(REKEY)                                # Quick Mode re-key under the ISAKMP SA
    assert "QM_IDLE" in lab.run("spoke1", "show crypto isakmp sa")
    lab.cloud.clock.advance(REAUTH - REKEY)                       # a new Main Mode authenticates: it fails
    sa = lab.run("spoke1", "show crypto isakmp sa")
    assert "QM_IDLE" not in sa and "MM_NO_STATE" in sa


def test_ikev1_wrong_key_bites_at_the_first_ipsec_rekey_after_the_isakmp_sa_expired(make: Any) -> None:
    """ISAKMP lifetime 5000 s, IPsec 3600 s: the ISAKMP SA expires at 5000 s, its IPsec SA runs on until
    its re-key at 7200 s, which needs a new (authenticated) Main Mode."""
    lab = make(crypto={"type": "ikev1", "psk": "env:DMVPN_PSK", "lifetime": 5000})
    assert " lifetime 5000" in lab.configs["spoke1"]
    lab.cloud.inject("wrong-psk", "spoke1")
    lab.cloud.clock.advance(7199)
    assert "QM_IDLE" in lab.run("spoke1", "show crypto isakmp sa")
    lab.cloud.clock.advance(1)
    assert "QM_IDLE" not in lab.run("spoke1", "show crypto isakmp sa")


@pytest.mark.parametrize("steps", [(REAUTH, 301), (REAUTH + 301,), (43200, 43200, 150, 151)])
def test_a_failed_rekey_ages_the_hub_entry_out_on_the_lab_clock_alone(make: Any, steps: tuple[int, ...]) -> None:
    """Several advances with no show between them end where one advance of their sum ends: the IKE SA's
    new authentication fails at its own time and the hub's entry (hold time 300 s) expires 300 s after it,
    shown or not."""
    lab = make()
    lab.cloud.inject("wrong-psk", "spoke1")
    for seconds in steps:
        lab.cloud.clock.advance(seconds)
    assert "172.16.100.11" not in hub_peers(lab)
    assert "READY" not in lab.run("spoke1", "show crypto ikev2 sa")


def test_the_hub_entry_holds_until_300_s_after_the_failed_rekey_without_a_show(make: Any) -> None:
    lab = make()
    lab.cloud.inject("wrong-psk", "spoke1")
    lab.cloud.clock.advance(REAUTH)
    lab.cloud.clock.advance(290)
    assert hub_peers(lab)["172.16.100.11"]["state"] == "UP"      # still cached: 10 s of hold time left


def test_a_dpd_change_shows_on_the_next_sa_even_when_nobody_looked_before(lab: Any) -> None:
    lab.cloud.clock.advance(5)                               # the SAs came up; no show since
    lab.edit("spoke1", lambda text: text.replace(" dpd 10 3 on-demand\n", " dpd 30 5 on-demand\n"))
    to_hub1 = lab.run("spoke1", "show crypto ikev2 sa detail").split("198.51.100.1/500")[1].split("Tunnel-id")[0]
    assert "DPD configured for 10 seconds, retry 3" in to_hub1
    lab.run("spoke1", "clear crypto session")
    to_hub1 = lab.run("spoke1", "show crypto ikev2 sa detail").split("198.51.100.1/500")[1].split("Tunnel-id")[0]
    assert "DPD configured for 30 seconds, retry 5" in to_hub1


def test_hub_down(lab: Any) -> None:
    lab.cloud.inject("hub-down", "hub1")
    assert lab.cloud.is_down("hub1")
    nhs = lab.run("spoke1", "show ip nhrp nhs")
    assert "\n172.16.100.1   E  NBMA" in nhs and "\n172.16.100.2  RE  NBMA" in nhs   # real IOS spacing
    rows = parse_output(platform="cisco_ios", command="show dmvpn", data=lab.run("spoke1", "show dmvpn"))
    # until DPD (10 s + 5 x 3 s) gives up, the SA stands and only NHRP goes unanswered: state NHRP
    assert [r["state"] for r in rows] == ["NHRP", "UP"]
    assert "198.51.100.1/500      none/none            READY" in lab.run("spoke1", "show crypto ikev2 sa")
    assert hub_peers(lab, "hub2")["172.16.100.1"]["state"] == "NHRP"
    lab.cloud.clock.advance(30)
    rows = parse_output(platform="cisco_ios", command="show dmvpn", data=lab.run("spoke1", "show dmvpn"))
    assert [r["state"] for r in rows] == ["IKE", "UP"]
    assert "198.51.100.1/500      none/none            IN-NEG" in lab.run("spoke1", "show crypto ikev2 sa")
    peers = hub_peers(lab, "hub2")          # every spoke up; hub1, mapped statically, not
    assert {p for p, r in peers.items() if r["state"] == "UP"} == {f"172.16.100.1{i}" for i in range(1, 5)}
    assert peers["172.16.100.1"]["attribute"] == "S" and peers["172.16.100.1"]["state"] == "IKE"
    assert "172.16.100.1" not in lab.run("spoke1", "show ip eigrp neighbors")


def test_clear_crypto_session_with_a_wrong_key_does_not_come_back(lab: Any) -> None:
    lab.cloud.inject("wrong-psk", "spoke1")
    assert "READY" in lab.run("spoke1", "show crypto ikev2 sa")          # carried on until the re-key
    lab.run("spoke1", "clear crypto session")                            # ... or until it is cleared
    assert "READY" not in lab.run("spoke1", "show crypto ikev2 sa")
    rows = parse_output(platform="cisco_ios", command="show dmvpn", data=lab.run("spoke1", "show dmvpn"))
    assert [r["state"] for r in rows] == ["IKE", "IKE"]
    assert "203.0.113.11" not in lab.run("hub1", "show crypto session")  # the hub lost it too
    lab.cloud.clear("spoke1")
    assert "READY" in lab.run("spoke1", "show crypto ikev2 sa")


def test_nbma_change(lab: Any) -> None:
    lab.cloud.inject("nbma-change", "spoke2")
    assert hub_peers(lab)["172.16.100.12"]["peer_nbma"] == "203.0.113.12"   # unique: old entry holds
    lab.cloud.clock.advance(301)
    assert hub_peers(lab)["172.16.100.12"]["peer_nbma"] == "203.0.113.112"
    entry = lab.run("hub1", "show ip nhrp").split("172.16.100.12/32")[1].split("/32 via")[0]
    assert "NBMA address: 203.0.113.112" in entry
    assert "Claimed NBMA" not in entry            # renumbered, not NATed: it claims its new address


def test_nbma_change_behind_nat_claims_the_private_address(make: Any) -> None:
    lab = make()
    lab.cloud.inject("nbma-change", "spoke4")                            # behind NAT (192.0.2.44)
    lab.cloud.clock.advance(301)
    entry = lab.run("hub1", "show ip nhrp").split("192.0.2.")[1]
    assert "(Claimed NBMA address: 192.168." in entry                    # the private side is unchanged


def test_sa_survives_the_underlay_until_dpd_while_the_hub_entry_ages_out(lab: Any) -> None:
    assert " dpd 10 3 on-demand" in lab.configs["spoke1"]               # 10 s, then 5 retries 3 s apart
    lab.cloud.inject("link-loss", "spoke1")
    lab.cloud.clock.advance(20)
    assert "READY" in lab.run("spoke1", "show crypto ikev2 sa")          # DPD has not given up yet
    assert "203.0.113.11" in lab.run("hub1", "show crypto session")
    assert "172.16.100.11" in hub_peers(lab)
    lab.cloud.clock.advance(10)                                          # 30 s: DPD declared it dead
    assert "READY" not in lab.run("spoke1", "show crypto ikev2 sa")
    assert "203.0.113.11" not in lab.run("hub1", "show crypto session")
    assert "172.16.100.11" in hub_peers(lab)                             # NHRP hold time is 300 s
    lab.cloud.clock.advance(300)
    assert "172.16.100.11" not in hub_peers(lab)


def test_without_dpd_the_sa_outlives_the_underlay_until_its_rekey(lab: Any) -> None:
    lab.edit("spoke1", lambda text: text.replace(" dpd 10 3 on-demand\n", ""))
    lab.edit("hub1", lambda text: text.replace(" dpd 10 3 on-demand\n", ""))
    lab.cloud.inject("link-loss", "spoke1")
    lab.cloud.clock.advance(600)
    assert "READY" in lab.run("spoke1", "show crypto ikev2 sa")          # nothing probes the peer
    lab.cloud.clock.advance(REKEY - 600)                                 # the re-key fails
    assert "READY" not in lab.run("spoke1", "show crypto ikev2 sa")


def test_psk_change_keeps_the_sa_until_the_ike_sa_authenticates_again(lab: Any) -> None:
    key = os.environ["DMVPN_PSK"]
    assert f"pre-shared-key {key}" in lab.configs["spoke1"]
    assert "READY" in lab.run("spoke1", "show crypto ikev2 sa")          # established with the old key
    lab.edit("spoke1", lambda text: text.replace(f"pre-shared-key {key}", "pre-shared-key changed-key-1"))
    assert "READY" in lab.run("spoke1", "show crypto ikev2 sa")
    assert hub_peers(lab)["172.16.100.11"]["state"] == "UP"              # NHRP still rides the old SA
    lab.cloud.clock.advance(REAUTH - 1)                                  # child re-keys need no key
    assert "READY" in lab.run("spoke1", "show crypto ikev2 sa")
    lab.cloud.clock.advance(1)
    assert "READY" not in lab.run("spoke1", "show crypto ikev2 sa")
    lab.edit("spoke1", lambda text: text.replace("pre-shared-key changed-key-1", f"pre-shared-key {key}"))
    assert "READY" in lab.run("spoke1", "show crypto ikev2 sa")          # the right key negotiates again


def test_link_loss(lab: Any) -> None:
    lab.cloud.inject("link-loss", "spoke3")
    brief = lab.run("spoke3", "show ip interface brief")
    assert "Tunnel100              172.16.100.13   YES NVRAM  up                    down" in brief
    assert "RE" not in lab.run("spoke3", "show ip nhrp nhs")
    lab.cloud.clock.advance(400)
    assert "172.16.100.13" not in hub_peers(lab)


def test_rogue_spoke(lab: Any) -> None:
    lab.cloud.inject("rogue-spoke", "hub1")
    peers = hub_peers(lab)
    assert len(peers) == 6 and "172.16.100.254" in peers      # 4 spokes, hub2 (static), the rogue
    assert peers["172.16.100.254"]["peer_nbma"] == "100.66.66.66"
    peers = hub_peers(lab, "hub2")          # the rogue registered to hub1 only; hub2: 4 spokes + hub1
    assert {p for p, r in peers.items() if r["state"] == "UP"} == {"172.16.100.1"} | {
        f"172.16.100.1{i}" for i in range(1, 5)} and len(peers) == 5
    lab.cloud.clear(None)
    assert len(hub_peers(lab)) == 5 or "172.16.100.254" in hub_peers(lab)   # ages out like any spoke


def test_unknown_fault_or_host(lab: Any) -> None:
    with pytest.raises(ValueError):
        lab.cloud.inject("meteor", "hub1")
    with pytest.raises(ValueError):
        lab.cloud.inject("hub-down", "nohost")


def test_clock_moves_uptimes(lab: Any) -> None:
    lab.run("hub1", "show dmvpn")
    lab.cloud.clock.advance(7200)
    assert "UP 02:00:0" in lab.run("hub1", "show dmvpn")
    assert " 01:59:58 " in lab.run("spoke1", "show ip eigrp neighbors")
    lab.cloud.clock.advance(3 * 86400)
    assert "UP    3d02h" in lab.run("hub1", "show dmvpn")
    before = lab.run("spoke1", "show crypto ipsec sa")
    lab.cloud.clock.advance(600)
    assert before != lab.run("spoke1", "show crypto ipsec sa")
    assert lab.cloud.clock.format_clock().startswith("*")


def test_fault_takes_effect_when_injected_not_when_first_shown(lab: Any) -> None:
    assert "172.16.100.11" in hub_peers(lab)
    lab.cloud.inject("link-loss", "spoke1")
    lab.cloud.clock.advance(400)                      # no show command in between
    assert "172.16.100.11" not in hub_peers(lab)      # aged out 300 s after the injection
    lab.cloud.clear("spoke1")
    assert "172.16.100.11" in hub_peers(lab)
