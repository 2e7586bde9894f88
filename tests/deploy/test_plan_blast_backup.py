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
