"""Render stage: the intent as IOS configuration text."""
from __future__ import annotations

from dmvpn_ops.render.render import config_lines, render_bootstrap, render_config, render_design

__all__ = ["config_lines", "render_bootstrap", "render_config", "render_design"]
