"""Render stage: intent -> IOS configuration text per host (Jinja2 templates as package data)."""
from __future__ import annotations

from functools import lru_cache
from ipaddress import IPv4Interface
from pathlib import Path

import jinja2

from dmvpn_ops.errors import InputError, RenderError
from dmvpn_ops.intent.model import Design
from dmvpn_ops.render.context import host_context
from dmvpn_ops.secrets import mask

_TEMPLATES = Path(__file__).parent / "templates"
_ISAKMP_ENCR = {"aes-cbc-256": "aes 256", "aes-cbc-192": "aes 192", "aes-cbc-128": "aes",
                "aes-gcm-256": "aes 256"}


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined, autoescape=False,
    )
    env.filters["ifaddr"] = lambda value: f"{value.ip} {value.netmask}" if isinstance(
        value, IPv4Interface) else str(value)
    env.filters["isakmp_encr"] = lambda value: _ISAKMP_ENCR.get(value, value)
    return env


def _render(template: str, design: Design, host_name: str, reveal_secrets: bool) -> str:
    if host_name not in design.hosts:
        raise InputError(f"unknown host {host_name!r}", file=design.inventory_dir)
    context = host_context(design, design.hosts[host_name], reveal_secrets=reveal_secrets)
    try:
        text = _environment().get_template(template).render(**context)
    except jinja2.TemplateError as exc:
        raise RenderError(mask(f"template {template} failed: {exc}"), host=host_name) from None
    return _squeeze(text)


def _squeeze(text: str) -> str:
    """Collapse repeated '!' separator lines that optional blocks leave behind."""
    lines: list[str] = []
    for line in text.splitlines():
        if line == "!" and lines and lines[-1] == "!":
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def render_config(design: Design, host_name: str, *, reveal_secrets: bool = False) -> str:
    """The full DMVPN configuration of one host, as pushed by ``deploy``.

    Secrets are masked (``*****``) unless ``reveal_secrets``: only a push reveals them.
    """
    return _render("host.j2", design, host_name, reveal_secrets)


def render_bootstrap(design: Design, host_name: str, *, reveal_secrets: bool = True) -> str:
    """The startup config a router boots with: identity, credentials, SSH, addressing."""
    return _render("base/bootstrap.j2", design, host_name, reveal_secrets)


def render_design(design: Design, *, reveal_secrets: bool = False) -> dict[str, str]:
    """Every host's configuration, keyed by host name (inventory order)."""
    return {name: render_config(design, name, reveal_secrets=reveal_secrets) for name in design.hosts}


def config_lines(config: str) -> list[str]:
    """Lines to send with ``send_config_set``: no comments, no '!' or 'end'."""
    return [line for line in config.splitlines()
            if line.strip() and line.strip() not in ("!", "end")]
