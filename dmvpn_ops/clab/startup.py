"""Startup configs: the IOS base config on the kind's interface names, and FRR nhrpd/strongSwan spokes."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from dmvpn_ops.clab.kinds import KindProfile
from dmvpn_ops.clab.plan import rename
from dmvpn_ops.intent.model import Design, Host, Tunnel
from dmvpn_ops.render import render_bootstrap
from dmvpn_ops.render.context import tunnel_view

_TEMPLATES = Path(__file__).resolve().parent.parent / "render" / "templates"
# IOS transform-set words -> strongSwan proposal keywords (what FRR spokes must offer to match the hub).
_ESP = {"esp-aes 256": "aes256", "esp-aes 192": "aes192", "esp-aes": "aes128", "esp-gcm 256": "aes256gcm16",
        "esp-sha256-hmac": "sha256", "esp-sha-hmac": "sha1", "esp-sha384-hmac": "sha384"}
_IKE_ENC = {"aes-cbc-256": "aes256", "aes-cbc-192": "aes192", "aes-cbc-128": "aes128", "aes-gcm-256": "aes256gcm16"}
_DH = {2: "modp1024", 5: "modp1536", 14: "modp2048", 15: "modp3072", 16: "modp4096", 19: "ecp256",
       20: "ecp384", 21: "ecp521", 24: "modp2048s256"}


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)), trim_blocks=True,
                              lstrip_blocks=True, keep_trailing_newline=True,
                              undefined=jinja2.StrictUndefined, autoescape=False)


def mapped_design(design: Design, interfaces: dict[str, dict[str, str]], *,
                  keep_credentials: bool = True) -> Design:
    """The design with every host's interfaces renamed to its kind's (and, optionally, no credentials)."""
    hosts: dict[str, Host] = {}
    for name, host in design.hosts.items():
        mapping = interfaces[name]
        update: dict[str, Any] = {
            "underlay": tuple(u.model_copy(update={"interface": rename(u.interface, mapping)})
                              for u in host.underlay),
            "lan": tuple(lan.model_copy(update={"interface": rename(lan.interface, mapping)})
                         for lan in host.lan),
            "tunnels": tuple(t.model_copy(update={"source": rename(t.source, mapping)}) for t in host.tunnels),
        }
        if not keep_credentials:
            update.update(username=None, password=None, enable_secret=None)
        hosts[name] = host.model_copy(update=update)
    return design.model_copy(update={"hosts": hosts})


def ios_startup(design: Design, host: str, kind: KindProfile) -> str:
    """Base config (hostname, SSH, underlay/LAN addressing) on kind names; never a secret.

    ``design`` is the mapped design without credentials: the login stays the kind's default.
    """
    base = render_bootstrap(design, host, reveal_secrets=False).rstrip("\n")
    if base.endswith("\nend"):
        base = base[: -len("\nend")]
    return _env().get_template("clab/ios_startup.j2").render(host=host, kind=kind, base=base)


@dataclass
class FrrTunnel:
    cloud: str
    ifname: str
    source: str
    spec: Any
    nhs: list[dict[str, str]]
    shortcut: bool
    nat: bool
    ospf_network: str
    ospf_priority: int
    ike_proposal: str
    esp_proposal: str


def _proposals(tunnel: Tunnel) -> tuple[str, str]:
    crypto = tunnel.spec.crypto
    dh = _DH.get(crypto.dh_group, "modp2048")
    ike = f"{_IKE_ENC.get(crypto.ike_encryption, 'aes256')}-{crypto.ike_integrity}-{dh}"
    words = crypto.transform
    enc = next((v for k, v in sorted(_ESP.items(), key=lambda kv: -len(kv[0])) if words.startswith(k)), "aes256")
    integ = next((v for k, v in _ESP.items() if k.endswith("hmac") and k in words), "sha256")
    return ike, f"{enc}-{integ}" if "gcm" not in enc else enc


def frr_files(design: Design, host: Host) -> dict[str, str]:
    """``frr.conf``, ``daemons`` and ``swanctl.conf`` for an FRR spoke (``design`` already mapped)."""
    tunnels = []
    for index, tunnel in enumerate(host.tunnels):
        view = tunnel_view(design, host, tunnel)
        ike, esp = _proposals(tunnel)
        tunnels.append(FrrTunnel(
            cloud=tunnel.cloud, ifname=f"gre{index + 1}", source=tunnel.source, spec=tunnel.spec,
            nhs=view.nhs, shortcut=view.shortcut, nat=tunnel.behind_nat, ospf_network=view.ospf_network,
            ospf_priority=view.ospf_priority, ike_proposal=ike, esp_proposal=esp))
    routing: dict[str, dict[str, Any]] = {}
    for t in tunnels:
        r = t.spec.routing
        block = routing.setdefault(r.protocol, {"protocol": r.protocol, "tunnels": [], "peers": [],
                                                "asn": host.bgp_as or (r.spoke_as if r.mode == "ebgp" else r.as_number),
                                                "remote_as": r.as_number})
        block["tunnels"].append(t)
        block["peers"] += [n["tunnel_ip"] for n in t.nhs]
    lans = [str(lan.address.network) for lan in host.lan]
    frr = _env().get_template("clab/frr.conf.j2").render(host=host, tunnels=tunnels,
                                                          routing=list(routing.values()), lans=lans)
    daemons = {"zebra", "staticd", "nhrpd"} | {f"{p}d" for p in routing}
    daemons_text = "".join(f"{d}=yes\n" for d in sorted(daemons)) + "vtysh_enable=yes\n"
    swan = _env().get_template("clab/swanctl.conf.j2").render(host=host, tunnels=tunnels)
    return {"frr.conf": frr, "daemons": daemons_text, "swanctl.conf": swan}


def frr_exec(design: Design, host: Host, routes: list[str]) -> list[str]:
    """Boot commands of an FRR spoke: addressing, mGRE devices, secrets from the environment."""
    cmds: list[str] = []
    for up in host.underlay:
        if up.dynamic:
            cmds.append(f"udhcpc -i {up.interface} -b -q")
        else:
            cmds.append(f"ip addr add {up.address} dev {up.interface}")
        cmds.append(f"ip link set {up.interface} up")
        if up.gateway is not None:
            cmds += [f"ip route replace {r} via {up.gateway} dev {up.interface}" for r in routes]
    for lan in host.lan:
        if lan.interface.startswith("Loopback"):
            cmds.append(f"ip addr add {lan.address} dev lo")
        else:
            cmds += [f"ip addr add {lan.address} dev {lan.interface}", f"ip link set {lan.interface} up"]
    for index, tunnel in enumerate(host.tunnels):
        ifname = f"gre{index + 1}"
        key = f" key {tunnel.spec.tunnel_key}" if tunnel.spec.tunnel_key is not None else ""
        cmds += [f"ip tunnel add {ifname} mode gre{key} ttl 64 dev {tunnel.source}",
                 f"ip addr add {tunnel.tunnel_ip}/32 dev {ifname}",
                 f"ip link set {ifname} up mtu {tunnel.spec.mtu or 1400}"]
        if tunnel.spec.nhrp_auth is not None:
            cmds.append("sh -c 'vtysh -c \"conf t\" -c \"interface " + ifname
                        + "\" -c \"ip nhrp authentication $" + tunnel.spec.nhrp_auth.env_name + "\"'")
    psks = sorted({t.spec.crypto.psk.env_name for t in host.tunnels if t.spec.crypto.psk is not None})
    for name in psks:
        # The PSK reaches the node as an environment variable (containerlab expands ${NAME} in the
        # topology at deploy time); it is written inside the container only, never in the lab files.
        cmds.append("sh -c 'mkdir -p /etc/swanctl/conf.d && printf \"secrets {\\n ike-" + name.lower()
                    + " {\\n  secret = \\\"%s\\\"\\n }\\n}\\n\" \"$" + name
                    + "\" > /etc/swanctl/conf.d/secrets.conf'")
    if psks:
        cmds += ["sh -c 'pgrep charon >/dev/null || /usr/sbin/ipsec start || /usr/lib/strongswan/charon &'",
                 "sh -c 'sleep 2; swanctl --load-all'"]
    return cmds


def frr_env(host: Host) -> dict[str, str]:
    names = {t.spec.crypto.psk.env_name for t in host.tunnels if t.spec.crypto.psk is not None}
    names |= {t.spec.nhrp_auth.env_name for t in host.tunnels if t.spec.nhrp_auth is not None}
    return {name: "${" + name + "}" for name in sorted(names)}
