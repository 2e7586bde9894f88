"""The SAs of `show crypto ipsec sa [detail]`, one record per SA, values as printed (``parse_sas``).

``parse`` gives one record per flow (interface, ident pair) with its SPIs as lists: what verify and
health ask. Tools written for ntc-templates read one record per SA instead (SPI, transform, conn id,
lifetime, status, with the flow's lines repeated), so ``parse --fields ntc`` needs the SA blocks the flow
records fold away. This module reads them as an internal structure beside the flow records; the
documented records and their schema stay as they are.

The capture is checked by ``parse`` first (device errors, cut output, lines the command never prints:
the same answers, the same exit codes); only then are its flow blocks cut out (a block opens with
`protected vrf:`, its interface's `interface:`/`Crypto map tag:` header put in front) and read by
``templates/sa/ipsec_sa_blocks.textfsm``. Values stay the strings IOS printed (a decimal SPI printed
``0987612345`` stays so), "" for a line the SA did not have. A block is read on its own, so a flow never
inherits a value of the flow before it.
"""
from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources

import textfsm

from dmvpn_ops.errors import InputError
from dmvpn_ops.parse.commands import resolve_command
from dmvpn_ops.parse.normalise import clean
from dmvpn_ops.parse.parse import UnparseableOutput, UnsupportedCommand, parse

__all__ = ["IpsecSa", "SA_COMMANDS", "parse_sas"]

SA_COMMANDS = ("show crypto ipsec sa", "show crypto ipsec sa detail")
"""The commands whose output has SA blocks (full names, as ``resolve_command`` gives them)."""

_INTERFACE = re.compile(r"interface:\s")
_FLOW = re.compile(r"\s*protected\s+vrf:")


@dataclass(frozen=True)
class IpsecSa:
    """One SA: ``flow`` is the index of its flow among ``parse``'s records; ``fields`` the template's
    values under lower-case names (flow lines and SA lines alike), every value a string as printed."""

    flow: int
    fields: dict[str, str]


class _Blocks:
    """The compiled SA-block template; TextFSM objects are stateful, hence the lock."""

    def __init__(self) -> None:
        source = resources.files("dmvpn_ops.parse").joinpath("templates", "sa", "ipsec_sa_blocks.textfsm")
        self.fsm = textfsm.TextFSM(io.StringIO(source.read_text()))
        self.lock = threading.Lock()

    def rows(self, lines: list[str]) -> list[dict[str, str]]:
        with self.lock:
            self.fsm.Reset()
            rows: list[dict[str, str]] = self.fsm.ParseTextToDicts("\n".join(lines) + "\n")
        return [{key.lower(): value for key, value in row.items()} for row in rows]


@cache
def _blocks() -> _Blocks:
    return _Blocks()


def flow_blocks(lines: list[str]) -> list[list[str]]:
    """The output cut into flow blocks, each with its interface header in front (see module doc)."""
    header: list[str] = []
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in lines:
        if _INTERFACE.match(line):
            header, current = [line], None
        elif _FLOW.match(line):
            current = [*header, line]
            blocks.append(current)
        elif current is None:
            header.append(line)
        else:
            current.append(line)
    return blocks


def parse_sas(command: str, text: str, *, host: str | None = None, file: str | None = None,
              paste: bool = False) -> list[IpsecSa]:
    """The SAs of a `show crypto ipsec sa [detail]` capture, in the order IOS printed them.

    Raises:
        UnsupportedCommand / InputError: not one of SA_COMMANDS, or output cut by a `| include` filter
            (SA lines without their section headers cannot be told apart); exit 2.
        UnparseableOutput: everything ``parse`` raises for the capture.
    """
    spec = resolve_command(command)
    if spec is None or spec.name not in SA_COMMANDS:
        raise UnsupportedCommand(f"per-SA records exist only for {', '.join(SA_COMMANDS)}, "
                                 f"not `{' '.join(command.split())}`.", host=host, file=file)
    if spec.filtered:
        raise InputError("per-SA records need the whole output: an output filter (`| include ...`) "
                         "can drop the section header an SA line belongs to.", field="command", host=host,
                         file=file)
    flows = parse(command, text, host=host, file=file, paste=paste)
    lines, _ = clean(text, paste=paste)
    blocks = flow_blocks(lines)
    if len(blocks) != len(flows):
        raise UnparseableOutput(f"{len(flows)} flows but {len(blocks)} `protected vrf:` blocks",
                                command=spec.name, host=host, file=file)
    try:
        return [IpsecSa(index, row) for index, block in enumerate(blocks) for row in _blocks().rows(block)]
    except textfsm.TextFSMError as exc:
        raise UnparseableOutput(f"an SA block has a line the SA reader does not know ({exc})",
                                command=spec.name, host=host, file=file) from None
