"""The closing recap line of a run, like Ansible's PLAY RECAP: ok / changed / unreachable / failed / skipped.

One line per run (not per host: at 200 hosts the per-host recap is the table again), always the same keys
in the same order so that a log grep or a CI summary can read it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from dmvpn_ops.deploy.model import DeployResult
    from dmvpn_ops.verify.result import VerifyResult

__all__ = ["RECAP_KEYS", "recap_text", "verify_counts", "verify_recap", "deploy_counts", "deploy_recap"]

RECAP_KEYS = ("ok", "changed", "unreachable", "failed", "skipped")
_STYLE = {"ok": "green", "changed": "yellow", "unreachable": "bold red", "failed": "red", "skipped": "cyan"}


def recap_text(verb: str, counts: dict[str, int]) -> Text:
    """``RECAP verify: ok=5 changed=0 unreachable=1 failed=0 skipped=0`` (non-zero counts coloured)."""
    text = Text(f"RECAP {verb}:", style="bold")
    for key in RECAP_KEYS:
        n = counts.get(key, 0)
        text.append(f" {key}={n}", style=_STYLE[key] if n else "")
    return text


def verify_counts(result: VerifyResult) -> dict[str, int]:
    """Hosts of a verify run: ok, with findings (failed), unreachable, not asked or not selected (skipped)."""
    status = [s.status for s in result.hosts.values()]
    return {"ok": status.count("ok"), "changed": 0, "unreachable": status.count("unreachable"),
            "failed": status.count("findings"),
            "skipped": sum(s in ("not-collected", "not-selected") for s in status)}


def verify_recap(result: VerifyResult) -> Text:
    return recap_text("verify", verify_counts(result))


def deploy_counts(result: DeployResult) -> dict[str, int]:
    """Hosts of a deploy: unchanged (ok), deployed or planned (changed), unreachable, skipped or untouched
    (skipped), every other end state (rolled back, blocked, pending revert, ...) failed."""
    from dmvpn_ops.deploy.model import Status

    counts = dict.fromkeys(RECAP_KEYS, 0)
    for host in result.hosts.values():
        if host.status == Status.UNCHANGED:
            key = "ok"
        elif host.status in (Status.DEPLOYED, Status.PLANNED):
            key = "changed"
        elif host.status in (Status.UNREACHABLE, Status.UNRESPONSIVE):
            key = "unreachable"
        elif host.status in (Status.SKIPPED, "untouched"):
            key = "skipped"
        else:
            key = "failed"
        counts[key] += 1
    return counts


def deploy_recap(result: DeployResult) -> Text:
    return recap_text("deploy (dry-run)" if result.dry_run else "deploy", deploy_counts(result))
