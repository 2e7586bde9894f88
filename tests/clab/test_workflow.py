"""The containerlab CI workflow: valid YAML, the required steps in order, the lab always destroyed."""
from __future__ import annotations

import yaml

from .conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "containerlab.yml"


def _steps() -> list[dict]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and "jobs" in data
    (job,) = data["jobs"].values()
    assert "self-hosted" in job["runs-on"]
    return job["steps"]


def _index(steps: list[dict], needle: str) -> int:
    hits = [i for i, s in enumerate(steps) if needle in (s.get("run") or "") + (s.get("uses") or "")]
    assert hits, f"no step runs {needle!r}"
    return hits[0]


def test_steps_in_order() -> None:
    steps = _steps()
    order = [_index(steps, n) for n in ("clab generate", "containerlab validate -t", "containerlab deploy",
                                         "dmvpn-ops deploy", "dmvpn-ops verify", "junit-report",
                                         "containerlab destroy")]
    assert order == sorted(order), order
    verify = steps[_index(steps, "dmvpn-ops verify")]["run"]
    assert "--format junit" in verify


def test_publish_and_destroy_always_run() -> None:
    steps = _steps()
    for needle in ("junit-report", "containerlab destroy"):
        assert steps[_index(steps, needle)].get("if") == "always()"
    assert _index(steps, "containerlab destroy") == len(steps) - 1


def test_no_secret_literals() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for name, value in data["env"].items():
        if name.startswith(("CLAB_SSH", "CLAB_ENABLE", "DMVPN_")):
            assert value.startswith("${{ secrets."), name
