"""Where a run reads its intent: a SimpleInventory folder (``-i DIR``) or a Nornir config (``--nornir-config``).

One object gives both the typed design and the Nornir object the stages connect through, so the CLI
verbs and the tasks/ playbooks read the intent the same way, whatever the inventory plugin.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nornir.core import Nornir
from nornir.plugins.runners import ThreadedRunner

from dmvpn_ops.intent.files import RawInventory, read_inventory, references_in
from dmvpn_ops.intent.inventory import dmvpn_raw_inventory
from dmvpn_ops.intent.load import design_from_nornir, load_design
from dmvpn_ops.intent.model import Design
from dmvpn_ops.intent.nornir import ConnectSettings, connect_nornir, load_nornir, load_nornir_config

__all__ = ["IntentSource"]


@dataclass
class IntentSource:
    """``-i DIR`` or ``--nornir-config FILE`` (which wins when given): the design and its Nornir object.

    With a Nornir config the inventory plugin is the config's (SimpleInventory, nornir-ansible's
    AnsibleInventory, NetBox...); Nornir is initialised once and reused for the connections.
    """

    inventory: Path = Path("inventory")
    nornir_config: Path | None = None
    _nornir: Nornir | None = field(default=None, init=False, repr=False)

    @property
    def location(self) -> Path:
        """What names this intent: the config file, else the inventory folder (lab state is keyed by it)."""
        return self.nornir_config if self.nornir_config is not None else self.inventory

    def design(self, environ: Mapping[str, str] | None = None, *, require_secrets: bool = True) -> Design:
        """The validated design (``load_design`` or ``design_from_nornir``).

        Raises:
            InputError: bad config, inventory or intent (exit 2, naming file, host and field).
        """
        if self.nornir_config is None:
            return load_design(self.inventory, environ, require_secrets=require_secrets)
        return design_from_nornir(self._initialised(), environ, require_secrets=require_secrets)

    def raw_inventory(self) -> RawInventory:
        """The intent as SimpleInventory's files hold it: the folder's, or the config's DMVPN hosts and groups.

        Raises:
            InputError: bad folder or config (exit 2, naming the file).
        """
        if self.nornir_config is None:
            return read_inventory(self.inventory)
        return dmvpn_raw_inventory(self._initialised().inventory, self.nornir_config.parent)

    def secret_references(self) -> list[str]:
        """Every ``env:NAME`` the intent refers to (the demo makes up the unset ones before ``design()``)."""
        raw = self.raw_inventory()
        return references_in(raw.hosts, raw.groups, raw.defaults)

    def nornir(self, design: Design, *, num_workers: int = 20, ports: Mapping[str, int] | None = None,
               extras: Mapping[str, Any] | None = None, connect: ConnectSettings | None = None) -> Nornir:
        """The Nornir object over the design's hosts, credentials and connection policy applied."""
        if self.nornir_config is None:
            return load_nornir(self.inventory, design, num_workers=num_workers, ports=ports, extras=extras,
                               connect=connect)
        nr = self._initialised().with_runner(ThreadedRunner(num_workers=num_workers))
        return connect_nornir(nr, design, ports=ports, extras=extras, connect=connect)

    def _initialised(self) -> Nornir:
        if self._nornir is None:
            assert self.nornir_config is not None
            self._nornir = load_nornir_config(self.nornir_config)
        return self._nornir
