"""The console view at scale: 200 spokes from the emulator, read at 80 columns.

The result is real: the demo cloud grown to 202 routers in the lab, every router's show commands run
in the lab (no SSH: 202 sessions would test the SSH server, not the report) and evaluated by verify.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from rich.console import Console

from dmvpn_ops.collect.collect import HostCollection
from dmvpn_ops.collect.commands import commands_for
from dmvpn_ops.intent import Design, load_design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.lab.scale import grow_inventory
from dmvpn_ops.parse import UnparseableOutput, parse
from dmvpn_ops.render.render import render_config
from dmvpn_ops.report.console import SMALL_CLOUD, verify_renderable
from dmvpn_ops.verify import VerifyResult, evaluate

pytestmark = pytest.mark.lab
SPOKES = 200


def _collect(lab: Lab, design: Design) -> dict[str, HostCollection]:
    out = {}
    for name, host in design.hosts.items():
        coll = HostCollection(name, commands_for(host))
        for command in coll.commands:
            coll.outputs[command] = text = lab.run(name, command)
            try:
                coll.records[command] = parse(command, text, host=name)
            except UnparseableOutput as exc:
                coll.parse_errors[command] = exc.reason
        out[name] = coll
    return out


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[VerifyResult, VerifyResult]]:
    """(all green, three spokes broken) verify results of a 2-hub, 200-spoke cloud."""
    design = load_design(grow_inventory(tmp_path_factory.mktemp("scale"), SPOKES + 2))
    with Lab(design, ports="free", ssh_hosts=[]) as lab:
        rejected = {h: r for h, r in lab.configure_many(
            {n: render_config(design, n, reveal_secrets=True) for n in design.hosts}).items() if r}
        assert not rejected, rejected
        lab.advance(60)
        green = evaluate(design, _collect(lab, design), mode="full")
        for spoke in ("spoke7", "spoke150"):
            lab.fault("link-loss", spoke)
        lab.fault("wrong-psk", "spoke42")
        lab.advance(86500)  # past the IKE SA lifetime (86400 s): an established SA outlives a PSK change until then
        broken = evaluate(design, _collect(lab, design), mode="full")
    assert green.exit_code == 0, [f.to_dict() for f in green.findings][:5]
    assert broken.exit_code == 1
    yield green, broken


def _render(result: VerifyResult, width: int = 80, **kw: bool) -> list[str]:
    console = Console(width=width, record=True, color_system=None)
    console.print(verify_renderable(result, **kw))
    return console.export_text().splitlines()


def test_all_green_200_spokes_is_short_summary_first_recap_last(big) -> None:
    green, _ = big
    lines = _render(green)
    assert len(green.edges) == 2 * SPOKES > SMALL_CLOUD
    assert lines[0].startswith("all good: 400/400 edges up")
    assert len(lines) <= 6, lines  # summary, hint, recap: not a 405-line tree
    assert lines[-1] == f"RECAP verify: ok={SPOKES + 2} changed=0 unreachable=0 failed=0 skipped=0"
    assert not any("spoke1 " in line for line in lines)


def test_all_shows_the_whole_tree(big) -> None:
    green, _ = big
    lines = _render(green, show_all=True)
    assert sum("✔ up" in line for line in lines) == 2 * SPOKES
    assert lines[0].startswith("all good") and lines[-1].startswith("RECAP verify:")


def test_problems_come_before_the_tree_and_failed_only_shows_them(big) -> None:
    _, broken = big
    lines = _render(broken, failed_only=True)
    text = "\n".join(lines)
    assert lines[0].startswith("findings:")
    findings_at = next(i for i, line in enumerate(lines) if "Findings" in line)
    tree_at = next(i for i, line in enumerate(lines) if "DMVPN verify" in line)
    assert findings_at < tree_at
    shown = set(re.findall(r"\bspoke\d+\b", "\n".join(lines[tree_at:])))
    assert shown == {"spoke7", "spoke42", "spoke150"}, shown
    assert "✔ up" not in text
    assert re.search(r"RECAP verify: ok=199 changed=0 unreachable=0 failed=3 skipped=0$", lines[-1])


def _words(lines: list[str]) -> set[str]:
    """The words of a rendering, table borders (box drawing, U+2500-U+257F) removed."""
    return set(re.sub("[\u2500-\u257f]", " ", "\n".join(lines)).split())


def test_80_columns_drop_parts_and_columns_never_words(big) -> None:
    _, broken = big
    for kw in ({"failed_only": True}, {"show_all": True}, {}):
        lines = _render(broken, **kw)
        assert all(len(line) <= 80 for line in lines), max(lines, key=len)
        # a word cut in two would show up as fragments the unbounded rendering never has
        fragments = _words(lines) - _words(_render(broken, width=1000, **kw))
        assert not fragments, sorted(fragments)[:10]
    wide = "\n".join(_render(broken, width=200, failed_only=True))
    narrow = "\n".join(_render(broken, width=80, failed_only=True))
    assert "fix" in wide and "fix" not in narrow.split("Findings", 1)[1].split("\n", 3)[1]
