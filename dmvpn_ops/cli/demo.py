"""`dmvpn-ops demo`: emulator up, deploy, verify with probes, report, emulator down."""
from __future__ import annotations

import os
import secrets as random_secrets
import string
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.panel import Panel
from rich.status import Status

from dmvpn_ops.cli._common import DEFAULT_INVENTORY, InventoryOption, NornirConfigOption, console, exit_with
from dmvpn_ops.cli._load import design_for, intent_source
from dmvpn_ops.data import DEMO_INVENTORY
from dmvpn_ops.intent import IntentSource
from dmvpn_ops.secrets import register as register_secret

_NEXT_STEPS = """\
[bold]What to try next[/]
  dmvpn-ops init inventory               your own copy to edit (./inventory is every command's default)
  dmvpn-ops lint                         design rules (init x --example broken/dmv101-... breaks one)
  dmvpn-ops render --out out/            the IOS configs (secrets masked)
  dmvpn-ops lab up                       keep the emulator running in the background, then:
  dmvpn-ops deploy --dry-run             what would change, masked diff per host
  dmvpn-ops deploy && dmvpn-ops verify --mode full --probe
  dmvpn-ops lab fault wrong-psk spoke2   break something, then verify again
  dmvpn-ops lab clock 1h                 let the SA re-key (the wrong key bites then) and NHRP timers run
  dmvpn-ops lab down"""


def throwaway_secrets(inventory: Path | IntentSource) -> list[str]:
    """Set random values for every ``env:`` secret the inventory (folder or Nornir config) uses that is not set.

    Eight letters and digits: short enough for NHRP authentication (IOS caps it at 8).
    """
    source = inventory if isinstance(inventory, IntentSource) else IntentSource(inventory)
    alphabet = string.ascii_letters + string.digits
    generated = []
    for name in source.secret_references():
        if name not in os.environ:
            os.environ[name] = "".join(random_secrets.choice(alphabet) for _ in range(8))
            register_secret(os.environ[name])
            generated.append(name)
    return generated


def demo_inventory(inventory: Path) -> Path:
    """The inventory the demo runs: the one asked for, or, when the default ``./inventory`` is absent (a plain
    install in any directory), the demo cloud shipped with the package."""
    if inventory == DEFAULT_INVENTORY and not inventory.exists():
        console.print(f"[dim]no ./inventory here: using the demo cloud shipped with dmvpn-ops ({DEMO_INVENTORY}); "
                      "`dmvpn-ops init DIR` writes a copy to edit[/]", highlight=False)
        return DEMO_INVENTORY
    return inventory


def _step(status: Status, stage: str) -> None:
    console.print(f"[bold cyan]>[/] {stage}")
    status.update(f"{stage}...")


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        inventory: InventoryOption = DEFAULT_INVENTORY,
        nornir_config: NornirConfigOption = None,
        probe: Annotated[bool, typer.Option("--probe/--no-probe", help="Spoke-to-spoke probes.")] = True,
        state_dir: Annotated[Path, typer.Option("--state-dir", help="Backups of the demo routers.")] = Path(
            ".dmvpn-ops/demo"),
    ) -> None:
        """Run the whole product on the embedded lab: emulator, deploy, verify, report.

        Without -i and without ./inventory (a plain pip install), the demo cloud shipped in the package runs;
        -i DIR or --nornir-config FILE rehearse that intent on the embedded lab instead (its hosts without
        DMVPN intent are left out; nothing but 127.0.0.1 is contacted, whatever addresses the inventory has).
        """
        from dmvpn_ops.intent.nornir import ConnectSettings, Target
        from dmvpn_ops.lab.api import Lab
        from dmvpn_ops.pipeline import run_pipeline
        from dmvpn_ops.report import print_verify
        from dmvpn_ops.report.deploy import summary_table
        from dmvpn_ops.report.findings import findings_table

        started = time.monotonic()
        source = intent_source(demo_inventory(inventory) if nornir_config is None else inventory, nornir_config)
        generated = throwaway_secrets(source)
        if generated:
            console.print(f"[dim]generated throwaway lab secrets for {', '.join(generated)}[/]")
        design = design_for(source)
        console.print("[bold cyan]>[/] lab emulator")
        with console.status("starting the lab emulator..."):
            lab = Lab(design, ports="free").start()
        try:
            console.print(f"lab: {len(design.hosts)} emulated IOS routers on 127.0.0.1 "
                          f"(ports {min(lab.ports().values())}-{max(lab.ports().values())})")
            with console.status("deploying...") as status, tempfile.TemporaryDirectory() as keys:
                # a throwaway known_hosts: this lab's key is new, the next demo's will be too (tofu, per run).
                # The lab target carries the ports: every host is then reached on 127.0.0.1, never at the
                # inventory's own address (passing ports= as well would keep those addresses).
                connect = ConnectSettings.build(target=Target("lab", str(source.location), lab.ports()),
                                                state_dir=state_dir, known_hosts=Path(keys) / "known_hosts")
                result = run_pipeline(source, design, state_dir=state_dir, probe=probe,
                                      settle=lambda: lab.advance(60),
                                      step=lambda s: _step(status, s), connect=connect)
        finally:
            lab.stop()
        if result.lint_errors:
            console.print(findings_table(result.lint, title="Lint"))
        if result.deploy is not None:
            console.print(summary_table(result.deploy))
        if result.verify is not None:
            print_verify(result.verify, console)
        console.print(f"[dim]demo finished in {time.monotonic() - started:.1f}s; lab stopped[/]")
        console.print(Panel(_NEXT_STEPS, expand=False))
        exit_with(result.exit_code)

