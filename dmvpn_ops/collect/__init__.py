"""collect stage: run the show commands each role needs (Nornir + netmiko), keep raw text, parse it.

Public API: ``collect(nornir, design, hosts=None, ...) -> dict[str, HostCollection]``,
``commands_for(host)``, ``COMMAND_TABLE``, ``save_raw(collections, directory)``, and
``connection(host, config)``: every stage's way to open a device session (host keys, session log), and
``clean_output(text)``: device text made safe to parse (control bytes stripped, size and line length capped).
"""
from __future__ import annotations

from dmvpn_ops.collect.collect import HostCollection, collect, collect_task, save_raw
from dmvpn_ops.collect.commands import COMMAND_TABLE, ShowCommand, commands_for
from dmvpn_ops.collect.session import clean_output, connection

__all__ = ["collect", "collect_task", "HostCollection", "save_raw", "commands_for", "COMMAND_TABLE",
           "ShowCommand", "connection", "clean_output"]
