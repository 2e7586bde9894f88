"""IOS defaults the running config does not print: render a value only when it differs from them.

A default rendered explicitly (``lifetime 86400``) is accepted by IOS and then dropped from
``show running-config``; every re-deploy would see it missing and push it again. Each entry
names the command reference that states the default.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["IosDefault", "IOS_DEFAULTS", "shown"]


@dataclass(frozen=True)
class IosDefault:
    value: object
    source: str


IOS_DEFAULTS: dict[str, IosDefault] = {
    # Cisco IOS Security Command Reference, "lifetime (IKE policy)": default 86,400 seconds (one day).
    "isakmp_lifetime": IosDefault(86400, "Security Command Reference: lifetime (IKE policy)"),
    # Cisco IOS Security Command Reference, "lifetime (IKEv2 profile)": default 86400 seconds.
    "ikev2_lifetime": IosDefault(86400, "Security Command Reference: lifetime (IKEv2 profile)"),
    # "hash (IKE policy)": default SHA-1 (printed as nothing; `hash sha` is hidden).
    "isakmp_hash": IosDefault("sha", "Security Command Reference: hash (IKE policy)"),
    # "group (IKE policy)": default group 1 (768-bit); hidden when configured.
    "isakmp_group": IosDefault(1, "Security Command Reference: group (IKE policy)"),
    # Cisco IOS IP Addressing Command Reference, "ip nhrp holdtime": default 7200 seconds (2 hours).
    "nhrp_holdtime": IosDefault(7200, "IP Addressing Command Reference: ip nhrp holdtime"),
    # "crypto isakmp keepalive ... [periodic | on-demand]": on-demand is the default mode, not printed.
    "isakmp_keepalive_mode": IosDefault("on-demand", "Security Command Reference: crypto isakmp keepalive"),
    # "ip ospf priority": default 1.
    "ospf_priority": IosDefault(1, "IP Routing: OSPF Command Reference: ip ospf priority"),
}


def shown(key: str, value: object) -> bool:
    """True when IOS prints ``value`` for ``key`` (it differs from the hidden default)."""
    return value is not None and IOS_DEFAULTS[key].value != value
