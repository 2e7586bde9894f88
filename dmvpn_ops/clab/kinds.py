"""containerlab kind profiles as data: images, interface naming, management, credentials, startup configs."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

StartupMode = Literal["partial", "frr"]


def _iol_data(index: int) -> str:
    """IOL: Ethernet0/0 is management, data from Ethernet0/1 in slots of four (0/1-0/3, 1/0-1/3, ...)."""
    slot, port = divmod(index + 1, 4)
    return f"Ethernet{slot}/{port}"


def _c8000v_data(index: int) -> str:
    """c8000v (vrnetlab): GigabitEthernet1 is management, data from GigabitEthernet2."""
    return f"GigabitEthernet{index + 2}"


def _linux_data(index: int) -> str:
    return f"eth{index + 1}"


@dataclass(frozen=True)
class KindProfile:
    """What the generator needs to know about one containerlab kind."""

    name: str                     # our option value (--kind / --spoke-kind)
    kind: str                     # containerlab kind
    image: str                    # default image; override with --image
    platform: str                 # netmiko platform in the lab inventory
    mgmt_interface: str
    data_interface: Callable[[int], str]
    interface_pattern: str        # regex every data interface name must match
    max_data_interfaces: int
    default_username: str         # the kind's built-in login (containerlab docs)
    startup: StartupMode
    startup_suffix: str           # IOL appends a config whose name contains ".partial" to its default
    needs_kvm: bool = False
    license_reload: bool = False  # c8000v: license boot level + one reload before crypto appears
    boot_minutes: int = 2

    def data_interfaces(self, count: int) -> list[str]:
        return [self.data_interface(i) for i in range(count)]


KINDS: dict[str, KindProfile] = {
    "cisco_iol": KindProfile(
        name="cisco_iol", kind="cisco_iol", image="vrnetlab/cisco_iol:17.12.01", platform="cisco_ios",
        mgmt_interface="Ethernet0/0", data_interface=_iol_data,
        interface_pattern=r"^Ethernet([0-9]|1[0-5])/[0-3]$", max_data_interfaces=63,
        default_username="admin", startup="partial", startup_suffix=".partial.cfg", boot_minutes=1,
    ),
    "cisco_c8000v": KindProfile(
        name="cisco_c8000v", kind="cisco_c8000v", image="vrnetlab/cisco_c8000v:17.13.01a",
        platform="cisco_ios", mgmt_interface="GigabitEthernet1", data_interface=_c8000v_data,
        interface_pattern=r"^GigabitEthernet([2-9]|[1-9][0-9])$", max_data_interfaces=25,
        default_username="admin", startup="partial", startup_suffix=".partial.cfg",
        needs_kvm=True, license_reload=True, boot_minutes=8,
    ),
}

SPOKE_KINDS: dict[str, KindProfile] = {
    "frr": KindProfile(
        name="frr", kind="linux", image="dmvpn-ops/frr-strongswan:10.2.1", platform="linux",
        mgmt_interface="eth0", data_interface=_linux_data, interface_pattern=r"^eth[1-9][0-9]*$",
        max_data_interfaces=32, default_username="root", startup="frr", startup_suffix="",
    ),
}

# Helper nodes: the "internet" between NBMA interfaces, NAT/DHCP edges, LAN hosts.
HELPER = KindProfile(
    name="linux", kind="linux", image="ghcr.io/srl-labs/network-multitool:latest", platform="linux",
    mgmt_interface="eth0", data_interface=_linux_data, interface_pattern=r"^eth[1-9][0-9]*$",
    max_data_interfaces=64, default_username="root", startup="frr", startup_suffix="",
)


def profile(name: str) -> KindProfile:
    """The profile of a router kind or spoke kind by option value."""
    found = KINDS.get(name) or SPOKE_KINDS.get(name)
    if found is None:
        raise KeyError(name)
    return found
