"""The stages in order, read top to bottom: what `dmvpn-ops demo` and the playbooks run."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dmvpn_ops.deploy import DeployOptions, DeployResult, deploy
from dmvpn_ops.intent import Design, IntentSource
from dmvpn_ops.intent.nornir import ConnectSettings
from dmvpn_ops.lint import run_rules
from dmvpn_ops.results import Finding, Severity
from dmvpn_ops.verify import VerifyResult, verify

Step = Callable[[str], None]


@dataclass
class PipelineResult:
    design: Design
    lint: list[Finding]
    deploy: DeployResult | None = None
    verify: VerifyResult | None = None

    @property
    def lint_errors(self) -> list[Finding]:
        return [f for f in self.lint if f.severity is Severity.ERROR]

    @property
    def exit_code(self) -> int:
        if self.lint_errors:
            return 1
        if self.deploy is not None and not self.deploy.ok:
            return self.deploy.exit_code
        return self.verify.exit_code if self.verify is not None else 0


def run_pipeline(inventory: Path | IntentSource, design: Design, *, ports: Mapping[str, int] | None = None,
                 state_dir: Path = Path(".dmvpn-ops"), probe: bool = True,
                 settle: Callable[[], None] | None = None, step: Step = lambda _: None,
                 connect: ConnectSettings | None = None) -> PipelineResult:
    """Lint -> deploy -> verify a loaded design; stops at the first stage that fails.

    ``inventory`` is the folder or an ``IntentSource`` (``--nornir-config``); ``design`` comes from
    ``cli._load.design_for`` (inventory -> typed model, addressing checked); ``connect`` is the target and
    host-key policy (``intent.nornir.ConnectSettings``).
    """
    step("lint")
    result = PipelineResult(design, run_rules(design))                # design rules
    if result.lint_errors:
        return result
    source = inventory if isinstance(inventory, IntentSource) else IntentSource(inventory)
    nornir = source.nornir(design, ports=ports, connect=connect)       # Nornir, secrets in memory
    step("deploy")
    result.deploy = deploy(design, nornir, DeployOptions(state_dir=state_dir))  # backup, push, confirm
    if not result.deploy.ok:
        return result
    if settle is not None:
        settle()                                                      # let timers run (lab clock)
    step("verify")
    result.verify = verify(design, nornir, mode="full", probe=probe)  # observed vs intended
    return result
