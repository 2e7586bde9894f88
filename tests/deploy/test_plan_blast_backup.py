"""Pure parts: rollout waves, blast radius, backups, gate parsing."""
from __future__ import annotations

import stat

from dmvpn_ops.deploy.backup import list_backups, save_backup
from dmvpn_ops.deploy.blast import classify
from dmvpn_ops.deploy.confirm import expectations, hub_gate, spoke_gate
from dmvpn_ops.deploy.plan import plan_waves, spoke_blocked
from dmvpn_ops.deploy.remediation import remediate
from dmvpn_ops.render import render_config
from tests.deploy.helpers import apply, design, router


def test_waves_hubs_one_per_cloud_then_canary_then_batches() -> None:
    d = design("demo")
    waves = plan_waves(d, d.hosts, batch_size=2)
    assert [(w.kind, w.hosts) for w in waves] == [
        ("hubs", ("hub1",)), ("hubs", ("hub2",)), ("canary", ("spoke1",)),
        ("batch", ("spoke2", "spoke3")), ("batch", ("spoke4",))]
    assert not waves[0].stops_rollout and waves[2].stops_rollout


def test_limit_keeps_only_selected() -> None:
    d = design("demo")
    assert [w.hosts for w in plan_waves(d, ["spoke3", "hub2"])] == [("hub2",), ("spoke3",)]


def test_spoke_blocked_only_when_every_hub_failed() -> None:
    d = design("demo")
    assert spoke_blocked(d, "spoke1", d.hosts, {"hub1"}) is None
    assert spoke_blocked(d, "spoke1", d.hosts, {"hub1", "hub2"}) == "DMVPN1"
    assert spoke_blocked(d, "spoke1", ["spoke1"], {"hub1", "hub2"}) is None  # hubs not in this run


def _deployed(name: str, host: str):
    d = design(name)
    r = router(d, host)
    apply(r, remediate(r.running_config(), render_config(d, host, reveal_secrets=True)).commands)
    return d, r.running_config()


def test_fresh_deploy_is_not_disruptive() -> None:
    d = design("demo")
    rem = remediate(router(d, "hub1").running_config(), render_config(d, "hub1", reveal_secrets=True))
    assert classify(d, "hub1", rem) == []


def test_tunnel_key_change_on_hub_hits_the_cloud() -> None:
    d, running = _deployed("demo", "hub1")
    intended = render_config(d, "hub1", reveal_secrets=True).replace("tunnel key 100", "tunnel key 101")
    found = classify(d, "hub1", remediate(running, intended))
    assert found and all(x.scope == "cloud" for x in found)
    assert set(found[0].affected) == {"hub1", "hub2", "spoke1", "spoke2", "spoke3", "spoke4"}


def test_spoke_mtu_change_is_harmless_and_psk_change_is_local() -> None:
    d, running = _deployed("demo", "spoke2")
    intended = render_config(d, "spoke2", reveal_secrets=True)
    assert classify(d, "spoke2", remediate(running, intended.replace("ip mtu 1400", "ip mtu 1380"))) == []
    psk = d.hosts["spoke2"].tunnels[0]
    found = classify(d, "spoke2", remediate(running, intended.replace("Psk-9d41be0c", "Other-psk-1")))
    assert found and found[0].affected == ("spoke2",) and "Other-psk-1" not in found[0].line
    assert psk is not None


def test_backups_are_private_and_rotated(tmp_path) -> None:
    for i in range(4):
        path = save_backup(tmp_path, "hub1", f"config {i}\n", keep=3)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    kept = list_backups(tmp_path, "hub1")
    assert [p.read_text() for p in kept] == ["config 1\n", "config 2\n", "config 3\n"]
    assert stat.S_IMODE(kept[0].parent.stat().st_mode) == 0o700


HUB = """Interface: Tunnel100, IPv4 NHRP Details
Type:Hub, NHRP Peers:1,

 # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb
 ----- --------------- --------------- ----- -------- -----
     1 203.0.113.11      172.16.100.11    UP 00:00:01     D
"""


def test_gates() -> None:
    d = design("demo")
    wanted = expectations(d, ["spoke1", "spoke2"], {"hub1"})
    assert [(e.hub, e.tunnel_ip) for e in wanted] == [("hub1", "172.16.100.11"), ("hub1", "172.16.100.12")]
    assert [e.spoke for e in hub_gate(HUB, wanted)] == ["spoke2"]
    assert "no NHS responding" in (spoke_gate(d, "spoke1", "") or "")


def _change(name: str, host: str, old: str, new: str):
    d, running = _deployed(name, host)
    intended = render_config(d, host, reveal_secrets=True)
    assert old in intended, old
    return d, classify(d, host, remediate(running, intended.replace(old, new)))


def test_local_crypto_timers_are_not_disruptive() -> None:
    """IKEv2 dpd/lifetime, IPsec SA lifetime, IKEv1 keepalive: used from the next SA on, no peer must agree."""
    dpd = " dpd 10 3 on-demand\n"
    for old, new in ((dpd, " dpd 30 5 periodic\n"), (dpd, ""), (dpd, dpd + " lifetime 3600\n"),
                     (" set transform-set", " set security-association lifetime seconds 1800\n set transform-set")):
        d, found = _change("demo", "hub1", old, new)
        assert found == [], (old, new, found)
    _, found = _change("ikev1-phase2-ospf", "hub1", "crypto isakmp keepalive 10 3", "crypto isakmp keepalive 30 5")
    assert found == []


def test_crypto_changes_peers_must_agree_on_stay_disruptive() -> None:
    """Transform set redefined, PSK, IKEv1 policy lifetime, tunnel protection: the next re-key with a peer that
    lacks the change fails (or IPsec is re-applied at once)."""
    _, found = _change("demo", "hub1", "esp-aes 256 esp-sha256-hmac", "esp-aes 128 esp-sha256-hmac")
    assert [f.why for f in found] and all("transform set" in f.why for f in found), found
    assert set(found[0].affected) == {"hub1", "hub2", "spoke1", "spoke2", "spoke3", "spoke4"}
    _, found = _change("demo", "hub1", "Psk-9d41be0c", "Other-psk-1")
    assert found and "Other-psk-1" not in found[0].line
    _, found = _change("ikev1-phase2-ospf", "hub1", " authentication pre-share\n",
                       " authentication pre-share\n lifetime 3600\n")
    assert [f.line for f in found] == ["crypto isakmp policy 10 / lifetime 3600"], found
    _, found = _change("demo", "hub1", " tunnel protection ipsec profile DMVPN1-IPSEC",
                       " tunnel protection ipsec profile DMVPN1-IPSEC shared")
    assert found and "tunnel protection" in found[0].why
