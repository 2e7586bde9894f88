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

- ``render``: the host's IOS configuration from the intent (masked); ``changed`` only ever means "this task
  changed something", as for nornir_utils' ``write_file``. With ``out_dir`` it writes ``<out_dir>/<host>.cfg``:
  ``changed`` says whether the file's content changed (a dry run writes nothing and says whether it would),
  ``diff`` is the unified diff against the file. Without ``out_dir`` nothing is written: ``changed`` is False
  and ``diff`` empty, unless ``compare="running"``: then ``diff`` is the owned config against the device's
  running config (read-only, exactly what ``push`` would change; the device is read, never written) and
  ``failed`` says the device could not be read. Without ``compare`` it never talks to the device
  (``dmvpn-ops render --out`` is the same thing for every host).
- ``collect``: the show commands verify needs for this host (or ``commands``), parsed; ``failed`` when the
  device could not be reached or dropped the session; ``result`` is the ``HostCollection``. Read-only:
  ``changed`` is always False.
- ``view``: the per-host view verify builds (``HostView``: the parsed tables as a ``DeviceView`` and the
  findings this device's own outputs show); ``failed`` when unreachable or an error finding. Edge checks
  (both ends of a tunnel, fast/full cross-checks) need the whole cloud: that is ``dmvpn_ops.verify.verify``.
- ``push``: deploy one host the way ``dmvpn-ops deploy`` does each host of a wave
  (``dmvpn_ops.deploy.deploy_host``: backup that is proof, owned diff, revert timer, the host's own DMVPN
  gate ``deploy.gate_host``, confirm + write memory, or rollback to exactly the backup); ``dry_run`` (the
  task argument, or Nornir's global dry-run) only diffs. ``changed`` is "pushed" (dry run: "would push"),
  ``diff`` the masked diff of the owned config, ``failed`` any end state that is not
  unchanged/planned/deployed, ``result`` a ``HostPush`` holding the ``HostDeploy`` record. Each host is gated
  on its own view (a spoke on its NHS answering, a hub on keeping the spokes it had).
- ``push_waves(nr, design, options)``: not a task but the whole hubs-first rollout of ``dmvpn-ops deploy``
  (hub waves, canary, batches, each spoke's gate also asking its usable hubs to list it UP, spokes whose every
  hub failed refused, a failed canary or batch stopping the rest), returned as Nornir Results (``PushRun``,
  with the ``DeployResult`` as ``.outcome``). This is the safe way to push a whole cloud from a script::

      print_result(push_waves(nr, design, DeployOptions(state_dir=Path("state"))))

  To run the waves yourself, ``waves(nr, design)`` gives them as filtered Nornir objects in order; pass the
  hubs' Results to the spokes' ``push`` (``hubs=``) so a spoke whose hubs failed is refused, not pushed, and
  a spoke's gate also asks its usable hubs to list it UP, as ``deploy`` does::

      done = {}
      for wave, wave_nr in waves(nr, design):
          results = wave_nr.run(task=push, design=design, options=options, hubs=done)
          print_result(results)
          done.update(results)
          if wave.stops_rollout and results.failed:
              break
"""
from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from nornir.core import Nornir
from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Result, Task

from dmvpn_ops.collect.collect import DEFAULT_READ_TIMEOUT, HostCollection, run_commands
from dmvpn_ops.collect.commands import commands_for
from dmvpn_ops.deploy import DeployOptions, DeployResult, HostDeploy, HubWatch, Status, deploy, deploy_host
from dmvpn_ops.deploy.plan import Wave, plan_waves
from dmvpn_ops.errors import InputError
from dmvpn_ops.intent.model import Design
from dmvpn_ops.render import render_config
from dmvpn_ops.results import Finding, Severity
from dmvpn_ops.secrets import mask
from dmvpn_ops.verify import DeviceView, device_view, host_findings

__all__ = ["RenderedConfig", "HostView", "HostPush", "PushRun", "render", "collect", "view", "push", "push_waves",
           "waves"]


@dataclass(frozen=True)
class RenderedConfig:
    """One host's rendered configuration (secrets masked), where it went, and how it compares to the device."""

    host: str
    config: str
    path: Path | None = None
    written: bool = False  # False with a path: a dry run (nothing written)
    running: HostDeploy | None = field(default=None, repr=False)  # compare="running": the read-only dry run

    @property
    def lines(self) -> int:
        return len(self.config.splitlines())

    def __repr__(self) -> str:
        where = ""
        if self.path is not None:
            where = f", written to {self.path}" if self.written else f", dry run: not written to {self.path}"
        if self.running is not None:
            r = self.running
            where += f", vs running config: {r.status}" + (f" ({len(r.commands)} line(s) to push)" if r.ok else
                                                           f": {r.reason}")
        return f"RenderedConfig({self.host}: {self.lines} lines{where})"


def _design_host(design: Design, task: Task) -> str:
    name = task.host.name
    if name not in design.hosts:
        raise InputError(f"host {name!r} of the Nornir inventory has no DMVPN intent (data.dmvpn).", host=name)
    return name


def render(task: Task, design: Design, out_dir: str | Path | None = None, compare: str | None = None,
           dry_run: bool | None = None, options: DeployOptions | None = None) -> Result:
    """Render this host's configuration; with ``out_dir`` write ``<host>.cfg`` (changed = content changed).

    Args:
        task: the Nornir task (its host is the one rendered).
        design: the typed intent (``intent.load_design``).
        out_dir: a directory to write the file to (created if missing); the diff is against the file.
        compare: ``"running"``: the diff is the owned config against the device's running config, read
            only (what ``push`` would change); ``failed`` when no comparison could be made (unreachable,
            running config not proof, a revert timer pending); the ``repr`` names the device's state.
        dry_run: with ``out_dir``, write nothing but say whether it would change (default: Nornir's
            global dry-run).
        options: ``DeployOptions`` for ``compare="running"`` (timeouts, ``prune``, ``rotate_secrets``).

    Returns:
        ``Result(result=RenderedConfig, changed=..., diff=...)``; secrets are ``*****`` everywhere.

    Raises:
        InputError: the host has no DMVPN intent, or ``compare`` is not ``"running"`` (Nornir reports it
            as this host's failure).
    """
    name = _design_host(design, task)
    if compare not in (None, "running"):
        raise InputError(f"compare must be 'running' (the device's running config) or not given, not {compare!r}",
                         host=name, field="compare")
    config = mask(render_config(design, name))
    path = Path(out_dir) / f"{name}.cfg" if out_dir is not None else None
    dry = task.is_dry_run(dry_run)
    changed, diff = _write(path, config, dry) if path is not None else (False, "")
    running: HostDeploy | None = None
    if compare == "running":
        settings = replace(options or DeployOptions(), dry_run=True, limit=None, on_records=None)
        try:
            running = deploy_host(task, design, settings)
        finally:
            task.host.close_connections()
        diff = "\n".join(line.rstrip("\n") for line in running.diff)
    result = RenderedConfig(name, config, path, written=path is not None and not dry, running=running)
    # failed: no comparison could be made (unreachable, running config not proof, a revert timer pending);
    # a host a real deploy would refuse (no archive) still has its diff, and its reason in the repr
    failed = running is not None and not running.ok and not running.diff
    return Result(host=task.host, result=result, changed=changed, diff=mask(diff), failed=failed)


def _write(path: Path, config: str, dry: bool) -> tuple[bool, str]:
    """Write ``config`` to ``path`` unless dry; (whether the content changes, the unified diff)."""
    before = path.read_text(encoding="utf-8") if path.is_file() else ""
    diff = "".join(difflib.unified_diff(before.splitlines(keepends=True), config.splitlines(keepends=True),
                                        fromfile=f"{path} (before)", tofile=str(path)))
    if config != before and not dry:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(config, encoding="utf-8")
    return config != before, diff


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


def _push_result(host: Host, record: HostDeploy, dry: bool, name: str = "push") -> Result:
    """The Nornir view of a host's deploy record (one place, for ``push`` and ``push_waves``)."""
    changed = record.status == (Status.PLANNED if dry else Status.DEPLOYED)
    diff = "\n".join(line.rstrip("\n") for line in record.diff)
    result = Result(host=host, result=HostPush(record, dry), changed=changed, diff=mask(diff), failed=not record.ok)
    result.name = name  # type: ignore[assignment]  # Nornir types name as None until a Task sets it
    return result


def _hub_watch(design: Design, task: Task, hubs: Mapping[str, MultiResult] | None,
               timeout: float) -> HubWatch | None:
    """The hubs' outcome from the Results of an earlier ``push`` wave (a host whose push raised is not usable),
    with their Nornir hosts so the spoke's gate can ask them."""
    records: dict[str, HostDeploy] = {}
    hosts: dict[str, Host] = {}
    for name, multi in (hubs or {}).items():
        pushed = multi[0].result if len(multi) else None
        if isinstance(pushed, HostPush):
            records[name] = pushed.record
        else:  # the task raised (bad input, ...)
            records[name] = HostDeploy(name, "hub", status=Status.FAILED_BEFORE_CHANGE)
        if len(multi) and multi[0].host is not None:
            hosts[name] = multi[0].host
    if not records:
        return None
    return HubWatch(design, records, hosts=hosts, config=task.nornir.config, timeout=timeout)


def push(task: Task, design: Design, dry_run: bool | None = None, options: DeployOptions | None = None,
         hubs: Mapping[str, MultiResult] | None = None) -> Result:
    """Deploy this host with deploy's safety (backup, revert timer, gate, rollback); ``dry_run`` only diffs.

    It is ``dmvpn_ops.deploy.deploy_host`` (the same per-host steps ``dmvpn-ops deploy`` runs in each wave)
    with ``options`` (state dir, timeouts, revert minutes...; ``limit`` and ``batch_size`` do not apply).
    Only this host's own connection is used, and it is closed at the end.

    Args:
        task: the Nornir task (its host is the one deployed).
        design: the typed intent.
        dry_run: only diff (default: Nornir's global dry-run).
        options: ``DeployOptions``.
        hubs: the Results of the hubs' ``push`` wave: a spoke whose every hub of one cloud failed there is
            refused (``skipped``, failed, nothing sent) instead of pushed, and the spoke's gate also asks
            each usable hub to list it UP (as ``deploy`` does; the hubs' sessions are reopened if closed and
            used by one thread at a time; ``nr.close_connections()`` closes them).

    Returns:
        ``Result(result=HostPush, changed=<pushed or would push>, diff=<masked owned diff>,
        failed=<not unchanged/planned/deployed>)``.
    """
    _design_host(design, task)
    dry = task.is_dry_run(dry_run)
    settings = replace(options or DeployOptions(), dry_run=dry, limit=None, on_records=None)
    watch = _hub_watch(design, task, hubs, settings.timeout)
    try:
        record = deploy_host(task, design, settings, watch)
    finally:
        task.host.close_connections()
    return _push_result(task.host, record, dry)


class PushRun(AggregatedResult):
    """``push_waves``' Results (one ``push`` Result per host, plan order) and the whole run's ``DeployResult``."""

    def __init__(self, outcome: DeployResult) -> None:
        super().__init__("push_waves")
        self.outcome = outcome

    @property
    def exit_code(self) -> int:
        """The exit code ``dmvpn-ops deploy`` gives for the same outcome (0, 1, or 3 if unreachable)."""
        return self.outcome.exit_code


def push_waves(nr: Nornir, design: Design, options: DeployOptions | None = None,
               dry_run: bool | None = None) -> PushRun:
    """The whole rollout of ``dmvpn-ops deploy`` over a (possibly filtered) Nornir, as Nornir Results.

    Hubs first (the i-th hub of every cloud per wave), then a canary spoke, then batches; each spoke's gate
    also asks its usable hubs to list it UP; a spoke whose every hub of a cloud failed is skipped with the
    reason; a failed canary or batch stops the rollout. Hosts without DMVPN intent are left alone.

    Args:
        nr: Nornir over the inventory (``load_nornir``/``IntentSource.nornir``); a filter is the selection.
        design: the typed intent.
        options: ``DeployOptions`` (``limit`` also applies).
        dry_run: only diff (default: Nornir's global dry-run).

    Returns:
        ``PushRun``: ``print_result`` shows a line (``HostPush``) and the diff per host; ``.outcome`` is the
        ``DeployResult`` (JSON, exit code).
    """
    dry = nr.data.dry_run if dry_run is None else dry_run
    outcome = deploy(design, nr, replace(options or DeployOptions(), dry_run=dry))
    run = PushRun(outcome)
    for name, record in outcome.hosts.items():
        host = nr.inventory.hosts[name]
        multi = MultiResult("push")
        multi.append(_push_result(host, record, dry))
        run[name] = multi
    return run


def waves(nr: Nornir, design: Design, batch_size: int = 5) -> list[tuple[Wave, Nornir]]:
    """The rollout order of ``deploy`` as filtered Nornir objects, to run ``push`` wave by wave yourself.

    Pass each hub wave's Results to the spokes' ``push`` as ``hubs=`` so a spoke is refused when its hubs
    failed; stopping after a failed canary is then yours (``push_waves`` does all of it).
    """
    names = [h for h in design.hosts if h in nr.inventory.hosts]
    return [(wave, nr.filter(filter_func=lambda host, chosen=frozenset(wave.hosts): host.name in chosen))
            for wave in plan_waves(design, names, batch_size)]
