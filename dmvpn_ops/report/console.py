"""Verify result for people: the verdict first, then the problems, then (small cloud or ``--all``) the tree.

At 200 spokes an all-green tree is 400 lines nobody reads; what matters is the verdict and what is broken.
So the order is: one summary line, unreachable devices and findings, the cloud -> hub -> spoke tree (every
edge when the cloud is small or ``show_all``; only the edges that are not up with ``failed_only``), probes,
and a recap line like Ansible's PLAY RECAP. Every line fits the console width: parts and columns drop
before a word is cut (report.fit).
"""
from __future__ import annotations

from collections import defaultdict

from rich.console import Console, Group, RenderableType
from rich.text import Text
from rich.tree import Tree

from dmvpn_ops.report.findings import findings_table
from dmvpn_ops.report.fit import SMALL_CLOUD, FitColumn, FitParts, FitTable
from dmvpn_ops.report.recap import verify_recap
from dmvpn_ops.secrets import mask
from dmvpn_ops.verify.observed import Edge
from dmvpn_ops.verify.result import ProbeResult, VerifyResult

__all__ = ["verify_renderable", "print_verify", "summary_line", "SMALL_CLOUD"]


_MARK = {"up": "[green]✔ up[/]", "degraded": "[yellow]▲ degraded[/]", "down": "[bold red]✘ down[/]",
         "unknown": "[dim]? unknown[/]"}
_HOST = {"ok": "[green]ok[/]", "findings": "[yellow]findings[/]", "unreachable": "[bold red]unreachable[/]",
         "not-collected": "[dim]not asked[/]", "not-selected": "[dim]not selected[/]"}
EdgeKey = tuple[str | None, str | None, str | None]


def _edge_parts(edge: Edge, codes: list[str]) -> FitParts:
    """The spoke and its state always; then its finding codes; then the evidence, most telling first."""
    parts = [f"{edge.spoke} {_MARK[edge.status]}"]
    if codes:
        parts.append("[red]" + ", ".join(sorted(set(codes))) + "[/]")
    hub = edge.hub_side
    if hub is not None and hub.peer is not None:
        nbma = hub.peer.get("peer_nbma")
        claimed = (hub.nhrp or {}).get("claimed_nbma")
        parts.append(f"{edge.intent.spoke_tunnel_ip} @ {nbma}" + (f" (NAT, claims {claimed})" if claimed else ""))
        parts.append(f"{hub.peer.get('state')} {hub.peer.get('updn_time')}")
    else:
        parts.append(f"{edge.intent.spoke_tunnel_ip}")
    side = hub or edge.spoke_side
    if side is not None and side.ike is not None:
        parts.append(f"IKEv{side.ike.version} {side.ike.state}")
    if edge.ipsec is not None:
        parts.append(f"IPsec {edge.ipsec.mode or '?'} {edge.ipsec.pkts_encaps}/{edge.ipsec.pkts_decaps} pkts")
    if side is not None and side.neighbor is not None:
        parts.append(f"{side.neighbor.protocol.upper()} {side.neighbor.state}")
    if edge.spoke_side is not None and edge.spoke_side.nhs is not None:
        parts.append(f"NHS {''.join(edge.spoke_side.nhs.get('flags') or []) or '-'}")
    return FitParts([mask(p) for p in parts], keep=1)


def _tree(result: VerifyResult, *, failed_only: bool) -> Tree:
    root = Tree(f"[bold]DMVPN verify[/] ({result.mode})" + (": edges not up" if failed_only else ""))
    edge_codes: dict[EdgeKey, list[str]] = defaultdict(list)
    for f in result.findings:
        edge_codes[(f.cloud, f.host, f.peer)].append(f.code)
    by_cloud: dict[str, dict[str, list[Edge]]] = defaultdict(lambda: defaultdict(list))
    for edge in result.edges:
        by_cloud[edge.cloud][edge.hub].append(edge)
    for cloud, hubs in by_cloud.items():
        phase = next(iter(hubs.values()))[0].intent.phase
        cnode = root.add(f"[bold cyan]{cloud}[/] phase {phase}")
        for hub, edges in hubs.items():
            status = result.hosts[hub].status if hub in result.hosts else "not-collected"
            up = sum(e.status == "up" for e in edges)
            hub_codes = sorted(set(edge_codes.get((cloud, hub, None), [])))
            if failed_only and up == len(edges) and not hub_codes and status in ("ok", "not-collected"):
                continue
            hnode = cnode.add(FitParts([f"[bold]{hub}[/] {_HOST.get(status, status)}", f"{up}/{len(edges)} spokes up",
                                        f"[red]{', '.join(hub_codes)}[/]" if hub_codes else ""], keep=2))
            for edge in edges:
                codes = edge_codes.get((cloud, edge.spoke, hub), [])
                if failed_only and edge.status == "up" and not codes:
                    continue
                hnode.add(_edge_parts(edge, codes))
    return root


def _probes(probes: list[ProbeResult], title: str) -> FitTable:
    table = FitTable([FitColumn("cloud", 3), FitColumn("phase", 4), FitColumn("from", no_wrap=True),
                      FitColumn("to", no_wrap=True), FitColumn("ping", 2), FitColumn("direct path", 1),
                      FitColumn("IPsec pkts", 5), FitColumn("result")], title=title)
    for p in probes:
        direct = "-" if p.shortcut_source is None else (
            f"{'yes' if p.shortcut_source else 'no'}/{'yes' if p.shortcut_target else 'no'}")
        pkts = "-" if p.pkts_before is None else f"{p.pkts_before}->{p.pkts_after}"
        verdict = "[green]pass[/]" if p.ok else "[red]" + ", ".join(f.code for f in p.findings) + "[/]"
        table.add_row(p.cloud, str(p.phase), p.source, p.target,
                      "-" if p.ping_ok is None else ("ok" if p.ping_ok else "[red]fail[/]"), direct, pkts, verdict)
    return table


def summary_line(result: VerifyResult) -> Text:
    """The verdict and the counts, first thing on screen (and what the demo prints)."""
    s = result.summary()
    colour = "green" if result.exit_code == 0 else ("red" if s["errors"] or s["hosts_unreachable"] else "yellow")
    verdict = "all good" if result.exit_code == 0 else (
        f"{s['hosts_unreachable']} device(s) unreachable" if result.exit_code == 3 else "findings")
    return Text.from_markup(
        f"[{colour}]{verdict}[/]: {s['edges_up']}/{s['edges']} edges up, {s['errors']} error(s), "
        f"{s['warnings']} warning(s), {s['hosts_collected']}/{s['hosts']} devices asked ({result.mode}) in "
        f"{s['duration']:.1f}s" + (f", {s['probes'] - s['probes_failed']}/{s['probes']} probes passed"
                                   if s["probes"] else ""))


def _unreachable(result: VerifyResult) -> RenderableType | None:
    rows = [(name, s) for name, s in sorted(result.hosts.items()) if s.collected and not s.reachable]
    if not rows:
        return None
    table = FitTable([FitColumn("unreachable", no_wrap=True), FitColumn("role", 2), FitColumn("why")])
    for name, s in rows:
        table.add_row(name, s.role, mask(s.error or s.error_kind or "-"))
    return table


def verify_renderable(result: VerifyResult, *, show_all: bool | None = None,
                      failed_only: bool = False) -> Group:
    """Summary, problems, tree, probes, recap as one rich renderable (the demo and health embed it).

    Args:
        result: the verify run.
        show_all: the full tree even on a big cloud (None: only up to SMALL_CLOUD edges).
        failed_only: the tree and probes show only what is not up / did not pass.
    """
    items: list[RenderableType] = [summary_line(result)]
    unreachable = _unreachable(result)
    if unreachable is not None:
        items.append(unreachable)
    if result.findings:
        items.append(findings_table(result.findings, title="Findings"))
    bad_edges = any(e.status != "up" for e in result.edges)
    if failed_only:
        if bad_edges or unreachable is not None:
            items.append(_tree(result, failed_only=True))
    elif show_all or (show_all is None and len(result.edges) <= SMALL_CLOUD):
        items.append(_tree(result, failed_only=False))
    else:
        items.append(Text(f"{len(result.edges)} edges: the tree is left out on a cloud this size "
                          "(--all shows it, --failed-only shows the edges that are not up)", style="dim"))
    small = show_all or (show_all is None and len(result.probes) <= SMALL_CLOUD)
    probes = result.probes if small and not failed_only else [p for p in result.probes if not p.ok]
    if probes:
        items.append(_probes(probes, "Probes (spoke to spoke)" if probes is result.probes
                             else "Probes that failed (spoke to spoke)"))
    items.append(verify_recap(result))
    return Group(*items)


def print_verify(result: VerifyResult, console: Console, *, show_all: bool | None = None,
                 failed_only: bool = False) -> None:
    console.print(verify_renderable(result, show_all=show_all, failed_only=failed_only))
