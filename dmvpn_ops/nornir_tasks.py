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

Pushing (backup, revert timer, gate, rollback) stays in ``dmvpn_ops.deploy.deploy`` for now.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from nornir.core.task import Result, Task

from dmvpn_ops.collect.collect import DEFAULT_READ_TIMEOUT, HostCollection, run_commands
from dmvpn_ops.collect.commands import commands_for
from dmvpn_ops.errors import InputError
from dmvpn_ops.intent.model import Design
from dmvpn_ops.render import render_config
from dmvpn_ops.secrets import mask

__all__ = ["RenderedConfig", "render", "collect"]


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
