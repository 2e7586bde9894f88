"""Deploy results as a rich summary table, coloured dry-run diffs, or JSON. Computes nothing."""
from __future__ import annotations

import json
from collections.abc import Iterable

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from dmvpn_ops.deploy.model import DeployResult, HostDeploy, Status
from dmvpn_ops.report.fit import SMALL_CLOUD, FitColumn, FitTable
from dmvpn_ops.report.recap import deploy_recap
from dmvpn_ops.secrets import mask, mask_data

__all__ = ["summary_table", "diff_panels", "manual_panels", "disruption_table", "render_deploy", "deploy_json"]

_STYLE = {
    Status.DEPLOYED: "green", Status.UNCHANGED: "dim", Status.PLANNED: "cyan", Status.ROLLED_BACK: "bold red",
    Status.ROLLBACK_FAILED: "bold white on red", Status.UNREACHABLE: "magenta", Status.BLOCKED: "yellow",
    Status.SKIPPED: "yellow", Status.PENDING_REVERT: "bold yellow", Status.FAILED_BEFORE_CHANGE: "red",
    Status.UNTOUCHED: "dim", Status.UNRESPONSIVE: "magenta",
}


def _lines_cell(host: HostDeploy, dry_run: bool) -> str:
    if dry_run or host.status in (Status.BLOCKED, Status.SKIPPED):
        return f"{len(host.commands)} planned" if host.commands else "0"
    return str(host.pushed)


def summary_table(result: DeployResult, *, show_all: bool | None = None) -> FitTable:
    """Host, role, wave, lines pushed, result, reason, backup path (never the backup's content).

    On a narrow console the backup path, revert timer, wave, role and lines columns drop (in that order)
    before a word is folded; on a big run (more than SMALL_CLOUD hosts, unless ``show_all``) the
    unchanged hosts are counted in the title instead of listed (the JSON output lists every host).
    """
    hosts = list(result.hosts.values())
    quiet = [h for h in hosts if h.status == Status.UNCHANGED]
    hide = bool(quiet) and not show_all and (show_all is not None or len(hosts) > SMALL_CLOUD)
    title = "Deploy (dry-run)" if result.dry_run else "Deploy"
    if hide:
        title += f": {len(quiet)} unchanged host(s) not listed"
    table = FitTable([FitColumn("host", no_wrap=True), FitColumn("role", 3), FitColumn("wave", 4),
                      FitColumn("lines", 2), FitColumn("result", no_wrap=True), FitColumn("revert timer", 5),
                      FitColumn("reason / rollback"), FitColumn("backup", 6)], title=title)
    for host in hosts:
        if hide and host.status == Status.UNCHANGED:
            continue
        why = "; ".join(x for x in (host.pending_before, host.reason, host.rollback) if x)
        table.add_row(host.host, host.role, host.wave or "-", _lines_cell(host, result.dry_run),
                      f"[{_STYLE.get(host.status, '')}]{host.status}[/]", _revert_cell(host), mask(why) or "-",
                      str(host.backup) if host.backup else "-")
    return table


def _revert_cell(host: HostDeploy) -> str:
    """armed / confirmed / pending (fires at T) / reverted / none."""
    if host.revert in ("pending", "armed") and host.revert_at:
        return f"{host.revert}, fires {host.revert_at}"
    return host.revert


def manual_panels(result: DeployResult) -> list[Panel]:
    """MANUAL ACTION NEEDED: the exact (masked) diff between the backup and what the host runs now."""
    return [Panel(_unified_text(h.manual_diff), title=f"MANUAL ACTION NEEDED on {h.host}: running config "
                  "differs from its backup", title_align="left", border_style="red")
            for h in result.hosts.values() if h.manual_diff]


def _unified_text(diff: Iterable[str]) -> Text:
    """A ``diff -u`` coloured as terminals do: ``-`` red, ``+`` green, ``@@`` cyan."""
    text = Text()
    for line in diff:
        style = ("bold" if line.startswith(("---", "+++")) else "cyan" if line.startswith("@@")
                 else "red" if line.startswith("-") else "green" if line.startswith("+") else "")
        text.append(mask(line) + "\n", style=style)
    return text


def _commands_text(commands: Iterable[str]) -> Text:
    """The command list as it will be sent (a `no ...` line is a command, not a removed line)."""
    text = Text()
    for line in commands:
        text.append("  " + mask(line) + "\n")
    return text


def diff_panels(result: DeployResult) -> list[Panel]:
    """Per host with something to push: the owned config diff (running -> intended), then the commands."""
    return [Panel(Group(_unified_text(h.diff), Text("commands to send:", style="bold"), _commands_text(h.commands)),
                  title=f"{h.host} ({h.role}): {len(h.commands)} line(s)", title_align="left")
            for h in result.hosts.values() if h.commands]


def disruption_table(result: DeployResult) -> Table | None:
    rows = [d for h in result.hosts.values() for d in h.disruptions]
    if not rows:
        return None
    table = Table(title="Disruptive changes (need --allow-disruptive)", title_justify="left")
    for column in ("host", "scope", "change", "why", "affects"):
        table.add_column(column, overflow="fold")
    for d in rows:
        table.add_row(d.host, d.scope, mask(d.line), d.why, ", ".join(d.affected))
    return table


def render_deploy(result: DeployResult, console: Console, *, show_diff: bool) -> None:
    """Print diffs (dry-run), the disruption table, the summary and a closing line."""
    parts: list[object] = list(diff_panels(result)) if show_diff else []
    stale = [(h.host, s) for h in result.hosts.values() for s in h.stale]
    blast = disruption_table(result)
    if blast is not None:
        parts.append(blast)
    parts += manual_panels(result)
    parts.append(summary_table(result))
    if stale:
        parts.append(Text("Not in the intent, kept (use --prune to remove): "
                          + "; ".join(f"{h}: {mask(s)}" for h, s in stale), style="yellow"))
    if not result.dry_run and result.lines_pushed == 0 and result.ok:
        parts.append(Text("Nothing to push: every host already matches the intent.", style="green"))
    parts.append(deploy_recap(result))  # last line: the counts of the run, like Ansible's PLAY RECAP
    console.print(Group(*parts))  # type: ignore[arg-type]


def deploy_json(result: DeployResult, target: str | None = None) -> str:
    """The JSON document `deploy --format json` prints (masked); ``target`` where it went, when known."""
    from dmvpn_ops.report.json import versioned  # deploy.schema.json

    head = {"target": target} if target is not None else {}
    return json.dumps(mask_data(versioned({**head, **result.to_dict()})), indent=2, sort_keys=False)
