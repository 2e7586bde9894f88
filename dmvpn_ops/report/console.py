"""Verify result for people: a rich tree cloud -> hub -> spoke, then findings, probes and a verdict."""
from __future__ import annotations

from collections import defaultdict

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from dmvpn_ops.report.findings import findings_table
from dmvpn_ops.secrets import mask
from dmvpn_ops.verify.observed import Edge
from dmvpn_ops.verify.result import VerifyResult

__all__ = ["verify_renderable", "print_verify"]

_MARK = {"up": "[green]✔ up[/]", "degraded": "[yellow]▲ degraded[/]", "down": "[bold red]✘ down[/]",
         "unknown": "[dim]? unknown[/]"}
_HOST = {"ok": "[green]ok[/]", "findings": "[yellow]findings[/]", "unreachable": "[bold red]unreachable[/]",
         "not-collected": "[dim]not asked[/]"}


def _edge_line(edge: Edge, codes: list[str]) -> Text:
    parts = [f"{edge.spoke:<12} {_MARK[edge.status]}"]
    hub = edge.hub_side
    if hub is not None and hub.peer is not None:
        nbma = hub.peer.get("peer_nbma")
        claimed = (hub.nhrp or {}).get("claimed_nbma")
        parts.append(f"{edge.intent.spoke_tunnel_ip} @ {nbma}" + (f" (NAT, claims {claimed})" if claimed else "")
                     + f"  {hub.peer.get('state')} {hub.peer.get('updn_time')}")
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
    if codes:
        parts.append("[red]" + ", ".join(sorted(set(codes))) + "[/]")
    return Text.from_markup(mask("  ".join(parts)))


def _tree(result: VerifyResult) -> Tree:
    root = Tree(f"[bold]DMVPN verify[/] ({result.mode})")
    edge_codes: dict[tuple[str | None, str | None, str | None], list[str]] = defaultdict(list)
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
            hnode = cnode.add(Text.from_markup(f"[bold]{hub}[/] {_HOST[status]}  {up}/{len(edges)} spokes up"
                                               + (f"  [red]{', '.join(hub_codes)}[/]" if hub_codes else "")))
            for edge in edges:
                hnode.add(_edge_line(edge, edge_codes.get((cloud, edge.spoke, hub), [])))
    return root


def _probes(result: VerifyResult) -> Table:
    table = Table(title="Probes (spoke to spoke)", title_justify="left")
    for col in ("cloud", "phase", "from", "to", "ping", "direct path", "IPsec pkts", "result"):
        table.add_column(col)
    for p in result.probes:
        direct = "-" if p.shortcut_source is None else (
            f"{'yes' if p.shortcut_source else 'no'}/{'yes' if p.shortcut_target else 'no'}")
        pkts = "-" if p.pkts_before is None else f"{p.pkts_before}->{p.pkts_after}"
        verdict = "[green]pass[/]" if p.ok else "[red]" + ", ".join(f.code for f in p.findings) + "[/]"
        table.add_row(p.cloud, str(p.phase), p.source, p.target,
                      "-" if p.ping_ok is None else ("ok" if p.ping_ok else "[red]fail[/]"), direct, pkts, verdict)
    return table


def verify_renderable(result: VerifyResult) -> Group:
    """Everything ``print_verify`` shows, as one rich renderable (the demo embeds it)."""
    items: list[RenderableType] = [_tree(result)]
    if result.probes:
        items.append(_probes(result))
    if result.findings:
        items.append(findings_table(result.findings, title="Findings"))
    s = result.summary()
    colour = "green" if result.exit_code == 0 else ("red" if s["errors"] else "yellow")
    verdict = "all good" if result.exit_code == 0 else (
        f"{s['hosts_unreachable']} device(s) unreachable" if result.exit_code == 3 else "findings")
    items.append(Text.from_markup(
        f"[{colour}]{verdict}[/]: {s['edges_up']}/{s['edges']} edges up, {s['errors']} error(s), "
        f"{s['warnings']} warning(s), {s['hosts_collected']}/{s['hosts']} devices asked in "
        f"{s['duration']:.1f}s" + (f", {s['probes'] - s['probes_failed']}/{s['probes']} probes passed"
                                   if s["probes"] else "")))
    return Group(*items)


def print_verify(result: VerifyResult, console: Console) -> None:
    console.print(verify_renderable(result))
