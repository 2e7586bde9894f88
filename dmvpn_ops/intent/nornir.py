"""Nornir objects for the deploy/collect stages: one explicit target, host-key policy, secrets in memory only."""
from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.configuration import Config
from nornir.core.inventory import ConnectionOptions

from dmvpn_ops.errors import InputError
from dmvpn_ops.intent.model import Design

__all__ = ["load_nornir", "load_nornir_config", "connect_nornir", "ConnectSettings", "Target", "resolve_target", "settings_of", "HOST_KEY_POLICIES",
           "TARGETS"]

HOST_KEY_POLICIES = ("tofu", "strict", "off")
TARGETS = ("lab", "devices")
SETTINGS_KEY = "dmvpn_ops.connect"  # where load_nornir leaves the ConnectSettings in nornir.config.user_defined


@dataclass(frozen=True)
class Target:
    """Where the connections go: the running lab of the inventory, or the devices of hosts.yaml."""

    kind: str                      # "lab" or "devices"
    inventory: str
    ports: Mapping[str, int] = field(default_factory=dict)
    pid: int | None = None
    started: float | None = None

    def describe(self) -> str:
        """``lab emulator demo (pid 1234, up 3m)`` or ``devices from inventory/hosts.yaml``."""
        if self.kind == "devices":  # a Nornir config file (--nornir-config) or a SimpleInventory folder
            source = Path(self.inventory)
            return f"devices from {source if source.is_file() else source / 'hosts.yaml'}"
        up = f", up {_age(time.time() - self.started)}" if self.started else ""
        pid = f"pid {self.pid}" if self.pid else "in-process"
        return f"lab emulator {Path(self.inventory).name} ({pid}{up})"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "description": self.describe(), "inventory": self.inventory,
                "pid": self.pid}


def _age(seconds: float) -> str:
    seconds = max(0, int(seconds))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def resolve_target(inventory: str | Path, wanted: str | None = None) -> Target:
    """The one target of this run; a lab state file whose lab does not answer is an error.

    Args:
        inventory: the inventory directory.
        wanted: ``lab``, ``devices`` or None (the lab when one was started for the inventory).

    Raises:
        InputError: unknown ``wanted``; ``lab`` asked but none runs; a dead lab's state file (exit 2:
            never a silent fallback to the inventory's real addresses).
    """
    from dmvpn_ops.lab.runtime import answering, recorded_state

    directory = Path(inventory)
    if wanted is not None and wanted not in TARGETS:
        raise InputError(f"unknown target {wanted!r}; use lab or devices", field="--target")
    if wanted == "devices":
        return Target("devices", str(directory))
    state = recorded_state(directory)
    if state is None:
        if wanted == "lab":
            raise InputError(f"no lab is running for {directory}", field="--target",
                             hint="`dmvpn-ops lab up` first, or `--target devices`")
        return Target("devices", str(directory))
    if not answering(state):
        raise InputError("the lab for this inventory is not running; `dmvpn-ops lab down` to clear it "
                         "or `--target devices`", file=str(state.get("state_file") or _state_file(directory)))
    ports = {str(k): int(v) for k, v in dict(state.get("ports") or {}).items()}
    return Target("lab", str(directory), ports, int(state["pid"]), float(state.get("started") or 0) or None)


def _state_file(directory: Path) -> Path:
    from dmvpn_ops.lab.runtime import state_dir

    return state_dir(directory) / "state.json"


@dataclass(frozen=True)
class ConnectSettings:
    """How a connecting verb talks to devices: target, host-key policy, known_hosts, session logs."""

    target: Target
    state_dir: Path = Path(".dmvpn-ops")
    host_keys: str = "tofu"
    known_hosts: Path = Path(".dmvpn-ops/known_hosts")
    session_log: Path | None = None

    @classmethod
    def build(cls, *, target: Target, state_dir: Path, host_keys: str = "tofu", known_hosts: Path | None = None,
              session_log: Path | None = None) -> ConnectSettings:
        """Validated settings; ``known_hosts`` defaults to ``<state_dir>/known_hosts``.

        Raises:
            InputError: unknown host-key policy.
        """
        if host_keys not in HOST_KEY_POLICIES:
            raise InputError(f"unknown host-key policy {host_keys!r}; use tofu, strict or off", field="--host-keys")
        path = known_hosts or state_dir / "known_hosts"
        if host_keys != "off" and path.exists() and not (path.is_file() and os.access(path, os.R_OK)):
            raise InputError("the known_hosts file is not a readable regular file", file=str(path),
                             field="--known-hosts")
        if host_keys == "tofu":  # first contacts are recorded there: find out now, not once per host
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(f"cannot create the directory of the known_hosts file: {exc.strerror or exc}",
                                 file=str(path), field="--known-hosts/--state-dir") from None
            if not os.access(path.parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
                raise InputError("the known_hosts file cannot be written (tofu records first contacts)",
                                 file=str(path), field="--known-hosts/--state-dir")
        if session_log is not None:
            try:
                session_log.mkdir(parents=True, exist_ok=True, mode=0o700)
            except OSError as exc:
                raise InputError(f"--session-log takes a directory it can write (one <host>.log per device): "
                                 f"{exc.strerror or exc}", file=str(session_log), field="--session-log") from None
        return cls(target, state_dir, host_keys, path, session_log)

    def netmiko_extras(self) -> dict[str, Any]:
        """netmiko's own host-key checking: reject any key not in our known_hosts (paramiko RejectPolicy).

        The host-key check before login (``collect.connection``) has already recorded a first-contact
        key (tofu) or refused an unknown/changed one, so netmiko loading the same file with
        ``ssh_strict`` is a second line: a key that changed between the check and the login is refused
        by paramiko before any password is sent.
        """
        if self.host_keys == "off":
            return {"ssh_strict": False, "system_host_keys": False, "alt_host_keys": False}
        return {"ssh_strict": True, "system_host_keys": False, "alt_host_keys": True,
                "alt_key_file": str(self.known_hosts)}


def settings_of(config: Config) -> ConnectSettings | None:
    """The ConnectSettings ``load_nornir`` left in ``nornir.config`` (None: library use without them)."""
    value = config.user_defined.get(SETTINGS_KEY)
    return value if isinstance(value, ConnectSettings) else None


def load_nornir(inventory_dir: str | Path, design: Design, *, num_workers: int = 20,
                ports: Mapping[str, int] | None = None,
                extras: Mapping[str, Any] | None = None,
                connect: ConnectSettings | None = None) -> Nornir:
    """InitNornir over the inventory; credentials come from the validated design.

    ``ports`` overrides SSH ports per host (a lab started on free ports); ``extras`` are
    netmiko connection arguments for every host (timeouts, ``fast_cli``...). ``connect`` fixes the
    target and host-key policy (the CLI's common options); without it the target is resolved here
    (the running lab of the inventory, else its devices; a dead lab is an error) and host keys are
    not checked.

    ``design`` has already resolved and checked every secret, so a missing variable was
    reported (exit 2) before any connection is attempted.

    Raises:
        InputError: the inventory's lab state file names a lab that is not running.
    """
    directory = Path(inventory_dir)
    if connect is None and ports is None:
        connect = ConnectSettings(resolve_target(directory), host_keys="off")
    options: dict[str, Any] = {"host_file": str(directory / "hosts.yaml")}
    for key, name in (("group_file", "groups.yaml"), ("defaults_file", "defaults.yaml")):
        if (directory / name).exists():
            options[key] = str(directory / name)
    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": num_workers}},
        inventory={"plugin": "SimpleInventory", "options": options},
        logging={"enabled": False},
    )
    return connect_nornir(nr, design, ports=ports, extras=extras, connect=connect)


def load_nornir_config(config_file: str | Path) -> Nornir:
    """``InitNornir(config_file=...)``: any inventory plugin; a bad file is exit 2 naming it, not a traceback.

    Raises:
        InputError: the file is missing, or Nornir (or its inventory plugin) refuses it.
    """
    path = Path(config_file)
    if not path.is_file():
        raise InputError("Nornir config file not found", file=str(path), field="--nornir-config")
    try:
        return InitNornir(config_file=str(path))
    except Exception as exc:  # plugins raise anything (KeyError, their own errors): all are bad input here
        raise InputError(f"Nornir could not load this config: {exc.__class__.__name__}: {exc}"[:400],
                         file=str(path), field="--nornir-config") from None


def connect_nornir(nr: Nornir, design: Design, *, ports: Mapping[str, int] | None = None,
                   extras: Mapping[str, Any] | None = None,
                   connect: ConnectSettings | None = None) -> Nornir:
    """The hosts of ``design`` in ``nr``, with the design's credentials and the connection policy applied.

    Works on a Nornir object from any inventory plugin: hosts without DMVPN intent (a core switch) are
    filtered out, so no stage ever connects to them; each host's address, port, platform, user and resolved
    secrets come from the validated design (secrets in memory only). ``ports``/``extras``/``connect`` mean
    what they mean for ``load_nornir``.
    """
    nr = nr.filter(filter_func=lambda host: host.name in design.hosts)
    if connect is not None:
        nr.config.user_defined[SETTINGS_KEY] = connect
    # A lab target always means loopback, even when the caller brings its own ports: never the
    # inventory's real addresses (a rehearsal must not reach a production router).
    lab = connect is not None and connect.target.kind == "lab"
    if lab and connect is not None and ports is None:
        ports = connect.target.ports
    key_extras = connect.netmiko_extras() if connect is not None else {}
    for name, host in nr.inventory.hosts.items():
        intent = design.hosts[name]
        host.hostname = "127.0.0.1" if lab else intent.hostname
        host.port = (ports or {}).get(name, intent.port)
        host.platform = intent.platform
        host.username = intent.username
        host.password = intent.password.reveal() if intent.password else None
        params = host.get_connection_parameters("netmiko")
        host_extras = {**dict(params.extras or {}), **dict(extras or {}), **key_extras}
        if intent.enable_secret is not None:
            host_extras["secret"] = intent.enable_secret.reveal()
        host.connection_options["netmiko"] = ConnectionOptions(
            hostname=host.hostname, port=host.port, username=params.username,
            password=params.password, platform=params.platform, extras=host_extras)
    return nr
