"""Public Nornir tasks: dmvpn-ops stages as ``nr.run(task=...)`` building blocks for your own scripts.

Each task returns a Nornir ``Result`` whose ``changed``, ``diff`` and ``failed`` mean what Nornir users expect
and whose ``result`` is a typed object with a one-line ``repr`` (so ``nornir_utils``' ``print_result`` shows
a readable line per host, not a dump)::

    from nornir.core.filter import F
    from nornir_utils.plugins.functions import print_result
    from dmvpn_ops.intent import load_design
    from dmvpn_ops.intent.nornir import load_nornir
    from dmvpn_ops.nornir_tasks import collect, render

    design = load_design("inventory")
    nr = load_nornir("inventory", design)
    print_result(nr.run(task=render, design=design, out_dir="configs"))   # changed/diff per file
    print_result(nr.filter(F(groups__contains="hubs")).run(task=collect, design=design))  # parsed shows

- ``render``: the host's IOS configuration from the intent (masked). With ``out_dir`` it writes
  ``<out_dir>/<host>.cfg``: ``changed`` says whether the file's content changed, ``diff`` is the unified diff.
  It never talks to the device (``dmvpn-ops render --out`` is the same thing for every host).
- ``collect``: the show commands verify needs for this host (or ``commands``), parsed; ``failed`` when the
  device could not be reached or dropped the session; ``result`` is the ``HostCollection``. Read-only:
  ``changed`` is always False.
- ``view``: the per-host view verify builds (``HostView``: the parsed tables as a ``DeviceView`` and the
  findings this device's own outputs show); ``failed`` when unreachable or an error finding. Edge checks
  (both ends of a tunnel, fast/full cross-checks) need the whole cloud: that is ``dmvpn_ops.verify.verify``.
- ``push``: deploy one host the way ``dmvpn-ops deploy`` does (backup that is proof, owned diff, revert timer,
  the host's own DMVPN gate, confirm + write memory, or rollback); ``dry_run`` (the task argument, or
  Nornir's global dry-run) only diffs. ``changed`` is "pushed" (dry run: "would push"), ``diff`` the masked
  diff of the owned config, ``failed`` any end state that is not unchanged/planned/deployed, ``result`` a
  ``HostPush`` holding the ``HostDeploy`` record. Each host is gated on its own view (a spoke on its NHS,
  a hub on the spokes it had): order the waves yourself (hubs first), or use ``dmvpn_ops.deploy.deploy``
  for the whole hubs-canary-batches rollout::

      hubs = nr.filter(F(groups__contains="hubs"))
      print_result(hubs.run(task=push, design=design, dry_run=True))       # diff, changed per hub
      print_result(hubs.run(task=push, design=design, options=DeployOptions(state_dir=Path("state"))))
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path

from nornir.core.task import Result, Task

from dmvpn_ops.collect.collect import DEFAULT_READ_TIMEOUT, HostCollection, run_commands
from dmvpn_ops.collect.commands import commands_for
from dmvpn_ops.deploy import DeployOptions, HostDeploy, Status, deploy
from dmvpn_ops.errors import InputError
from dmvpn_ops.intent.model import Design
from dmvpn_ops.render import render_config
from dmvpn_ops.results import Finding, Severity
from dmvpn_ops.secrets import mask
from dmvpn_ops.verify import DeviceView, device_view, host_findings

__all__ = ["RenderedConfig", "HostView", "HostPush", "render", "collect", "view", "push"]


@dataclass(frozen=True)
class RenderedConfig:
    """One host's rendered configuration (secrets masked) and where it was written, if anywhere."""

    host: str
    config: str
    path: Path | None = None

    @property
    def lines(self) -> int:
        return len(self.config.splitlines())

    def __repr__(self) -> str:
        where = f", written to {self.path}" if self.path is not None else ""
        return f"RenderedConfig({self.host}: {self.lines} lines{where})"


def _design_host(design: Design, task: Task) -> str:
    name = task.host.name
    if name not in design.hosts:
        raise InputError(f"host {name!r} of the Nornir inventory has no DMVPN intent (data.dmvpn).", host=name)
    return name


def render(task: Task, design: Design, out_dir: str | Path | None = None) -> Result:
    """Render this host's configuration; with ``out_dir`` write ``<host>.cfg`` (changed = content changed).

    Args:
        task: the Nornir task (its host is the one rendered).
        design: the typed intent (``intent.load_design``).
        out_dir: a directory to write the file to (created if missing).

    Returns:
        ``Result(result=RenderedConfig, changed=..., diff=...)``; secrets are ``*****`` everywhere.

    Raises:
        InputError: the host has no DMVPN intent (Nornir reports it as this host's failure).
    """
    name = _design_host(design, task)
    config = mask(render_config(design, name))
    if out_dir is None:
        return Result(host=task.host, result=RenderedConfig(name, config), changed=False)
    path = Path(out_dir) / f"{name}.cfg"
    before = path.read_text(encoding="utf-8") if path.is_file() else ""
    diff = "".join(difflib.unified_diff(before.splitlines(keepends=True), config.splitlines(keepends=True),
                                        fromfile=f"{path} (before)", tofile=str(path)))
    if config != before:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(config, encoding="utf-8")
    return Result(host=task.host, result=RenderedConfig(name, config, path), changed=config != before,
                  diff=mask(diff))


def collect(task: Task, design: Design, commands: list[str] | None = None,
            read_timeout: float = DEFAULT_READ_TIMEOUT) -> Result:
    """Run and parse this host's show commands (default: what verify needs for its role and clouds).

    Returns:
        ``Result(result=HostCollection, failed=<not reachable>, changed=False)``; ``diff`` is empty.
    """
    name = _design_host(design, task)
    wanted = list(commands) if commands is not None else commands_for(design.hosts[name])
    collection: HostCollection = run_commands(task, wanted, read_timeout=read_timeout)
    return Result(host=task.host, result=collection, changed=False, failed=collection.error is not None)


@dataclass(frozen=True)
class HostView:
    """One device as verify sees it: its parsed tables and the findings its own outputs show."""

    host: str
    view: DeviceView
    findings: list[Finding] = field(default_factory=list)
    collection: HostCollection | None = field(default=None, repr=False)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    def __repr__(self) -> str:
        state = "reachable" if self.view.reachable else "unreachable"
        peers = len(self.view.dmvpn or [])
        codes = sorted({f.code for f in self.findings})
        return (f"HostView({self.host}: {state}, {peers} DMVPN peer(s), {len(self.findings)} finding(s)"
                + (f": {', '.join(codes)}" if codes else "") + ")")


def view(task: Task, design: Design, read_timeout: float = DEFAULT_READ_TIMEOUT) -> Result:
    """Collect this host's verify commands and build its view and own findings (read-only).

    Returns:
        ``Result(result=HostView, failed=<unreachable or an error finding>, changed=False)``.
    """
    name = _design_host(design, task)
    collection: HostCollection = run_commands(task, commands_for(design.hosts[name]), read_timeout=read_timeout)
    seen = device_view(collection)
    result = HostView(name, seen, host_findings(design, collection, seen), collection)
    return Result(host=task.host, result=result, changed=False,
                  failed=not seen.reachable or bool(result.errors))


@dataclass(frozen=True)
class HostPush:
    """One host's push: the deploy record (masked) and whether it was a dry run."""

    record: HostDeploy
    dry_run: bool

    def __repr__(self) -> str:
        r = self.record
        why = f": {r.reason}" if r.reason else ""
        mode = ", dry run" if self.dry_run else ""
        return f"HostPush({r.host}: {r.status}, {len(r.commands)} line(s){mode}{why})"


def push(task: Task, design: Design, dry_run: bool | None = None, options: DeployOptions | None = None) -> Result:
    """Deploy this host with deploy's safety (backup, revert timer, gate, rollback); ``dry_run`` only diffs.

    It runs ``dmvpn_ops.deploy.deploy`` on a Nornir holding only this host (so only its own connection is
    used and closed), with ``options`` (state dir, timeouts, revert minutes...; ``limit`` is ignored: the
    host is the limit). Hosts of one ``nr.run`` push in parallel, each gated on its own DMVPN view.

    Returns:
        ``Result(result=HostPush, changed=<pushed or would push>, diff=<masked owned diff>,
        failed=<not unchanged/planned/deployed>)``.
    """
    name = _design_host(design, task)
    dry = task.is_dry_run(dry_run)
    settings = replace(options or DeployOptions(), dry_run=dry, limit=None, on_records=None)
    alone = task.nornir.filter(filter_func=lambda host: host.name == name).with_processors([])
    record = deploy(design, alone, settings).hosts[name]
    changed = record.status == (Status.PLANNED if dry else Status.DEPLOYED)
    diff = "\n".join(line.rstrip("\n") for line in record.diff)
    return Result(host=task.host, result=HostPush(record, dry), changed=changed, diff=mask(diff),
                  failed=not record.ok)
