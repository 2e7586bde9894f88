"""Config tree semantics: idempotent pushes, `no` forms, replacement, sub-mode fallback (no SSH)."""
from __future__ import annotations

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.clock import LabClock
from dmvpn_ops.lab.editor import ConfigEditor
from dmvpn_ops.lab.router import Router, load_text
from dmvpn_ops.render import render_bootstrap, render_config


def _router(design: Design, host: str = "spoke1") -> Router:
    return Router(host, render_bootstrap(design, host), LabClock())


def test_pushing_the_rendered_config_twice_is_idempotent(design: Design) -> None:
    for host in design.hosts:
        router = _router(design, host)
        text = render_config(design, host, reveal_secrets=True)
        assert load_text(router.running, text) == []
        first = router.body()
        assert load_text(router.running, text) == []
        assert router.body() == first


def test_show_run_round_trips(design: Design) -> None:
    router = _router(design, "hub1")
    load_text(router.running, render_config(design, "hub1", reveal_secrets=True))
    again = Router("hub1", "", LabClock())
    again.running = []
    load_text(again.running, router.running_config())
    assert again.body() == router.body()


def test_secrets_are_hashed_like_ios(design: Design) -> None:
    body = _router(design).body()
    assert "enable secret 9 $9$" in body and "username admin privilege 15 secret 9 $9$" in body
    assert design.hosts["spoke1"].enable_secret.reveal() not in body


def _type(router: Router, *lines: str) -> ConfigEditor:
    editor = ConfigEditor(router.running)
    for line in lines:
        assert editor.feed(line).error is None, line
    return editor


def test_no_forms_replacement_and_blocks(design: Design) -> None:
    router = _router(design)
    _type(router, "interface Tunnel100", "ip address 172.16.100.11 255.255.255.0", "tunnel key 100",
          "tunnel key 200", "no ip redirects", "ip nhrp network-id 1", "no ip nhrp network-id")
    body = router.body()
    assert " tunnel key 200" in body and " tunnel key 100" not in body
    assert " no ip redirects" in body and "network-id" not in body
    _type(router, "interface Tunnel100", "ip redirects")
    assert "no ip redirects" not in router.body()
    _type(router, "no interface Tunnel100")
    assert "Tunnel100" not in router.body()


def test_submode_fallback_applies_globally_and_switches_mode(design: Design) -> None:
    router = _router(design)
    editor = _type(router, "interface Tunnel1", "ip route 10.9.0.0 255.255.0.0 Null0")
    assert editor.mode == "config"
    editor = _type(router, "interface Tunnel1", "interface Tunnel2")
    assert editor.mode == "config-if" and editor.stack[-1][1].text == "interface Tunnel2"
    assert "ip route 10.9.0.0 255.255.0.0 Null0" in router.body()


def test_bad_line_reports_the_caret_column(design: Design) -> None:
    editor = ConfigEditor(_router(design).running)
    editor.feed("interface Tunnel1")
    out = editor.feed("ip nhrp bogus 1")
    assert out.error is not None and (out.error.kind, out.error.pos) == ("invalid", 8)
