"""Regenerate tests/fixtures/verify/<scenario>/<host>/<command>.txt from the lab's cloud model.

The outputs are the emulator's IOS-format text for each scenario (faults injected, clock moved),
saved once so that the verify unit tests run without SSH. Run: ``python tests/verify/make_fixtures.py``
(every command of ``verify --mode full``). ``--add-missing`` writes only the outputs a scenario lacks (a
command new to the table), from the same scenario rebuilt, and leaves the saved ones as they are.
Hand-written scenarios (``*_manual``) are not touched.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.conftest import TEST_SECRETS  # noqa: E402

for _k, _v in TEST_SECRETS.items():
    os.environ.setdefault(_k, _v)

from dmvpn_ops.collect.collect import command_filename  # noqa: E402
from dmvpn_ops.collect.commands import commands_for  # noqa: E402
from dmvpn_ops.intent import load_design  # noqa: E402
from dmvpn_ops.lab.cloud.cloud import Cloud  # noqa: E402
from dmvpn_ops.render.render import render_config  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "verify"

# name: (inventory, [(fault, host)], clock advance seconds, hosts left out (unreachable))
SCENARIOS = {
    "demo_clean": ("inventory", [], 60, []),
    "demo_wrong_psk_spoke2": ("inventory", [("wrong-psk", "spoke2")], 60, []),
    "demo_link_loss_spoke1": ("inventory", [("link-loss", "spoke1")], 400, []),
    "demo_nbma_change_spoke3": ("inventory", [("nbma-change", "spoke3")], 400, []),
    "demo_rogue_hub1": ("inventory", [("rogue-spoke", "hub1")], 60, []),
    "demo_hub1_down": ("inventory", [("hub-down", "hub1")], 400, ["hub1"]),
    "ikev1_ospf_clean": ("inventory/examples/ikev1-phase2-ospf", [], 60, []),
    "bgp_dual_cloud_clean": ("inventory/examples/phase3-bgp-dual-cloud", [], 60, []),
    "phase1_ospf_clean": ("inventory/examples/phase1-ospf-single-hub", [], 60, []),
}


def generate(name: str, inventory: str, faults: list[tuple[str, str]], advance: float,
             skip: list[str], add_missing: bool = False) -> None:
    design = load_design(ROOT / inventory)
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    cloud = Cloud(design, lambda h: configs[h])
    cloud.snapshot()
    cloud.clock.advance(5)
    for kind, host in faults:
        cloud.inject(kind, host)
        cloud.snapshot()  # settle at the fault's time (see the report: inject does not recompute)
    cloud.clock.advance(advance)
    target = OUT / name
    if not add_missing:
        shutil.rmtree(target, ignore_errors=True)
    for host_name, host in design.hosts.items():
        if host_name in skip:
            continue
        folder = target / host_name
        folder.mkdir(parents=True, exist_ok=add_missing)
        for command in commands_for(host, full=True):
            path = folder / command_filename(command)
            if not (add_missing and path.exists()):
                path.write_text(cloud.execute(host_name, command) or "")
    if add_missing:
        return
    (target / "README").write_text(f"inventory: {inventory}\nfaults: {faults}\nclock advanced: "
                                   f"{advance}s\nnot collected (unreachable): {skip}\n")


if __name__ == "__main__":
    for scenario, args in SCENARIOS.items():
        generate(scenario, *args, add_missing="--add-missing" in sys.argv[1:])
        print("wrote", scenario)
