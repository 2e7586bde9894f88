"""The benchmark's generated hub parses without losing a row, on both paths."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from dmvpn_ops.parse import parse
from dmvpn_ops.parse.commands import resolve_command
from dmvpn_ops.parse.normalise import normalise
from dmvpn_ops.parse.parse import parse_lines

BENCH = Path(__file__).resolve().parents[2] / "bench" / "parse.py"


def test_generated_hub_zero_rows_lost() -> None:
    spec_obj = importlib.util.spec_from_file_location("bench_parse", BENCH)
    assert spec_obj and spec_obj.loader
    module = importlib.util.module_from_spec(spec_obj)
    spec_obj.loader.exec_module(module)
    text, expected = module.generate_hub(300)
    records = parse("show dmvpn", text)
    assert len(records) == expected
    spec = resolve_command("show dmvpn")
    assert spec is not None
    assert parse_lines(spec, normalise(text), fast=False) == records
    assert {r["interface"] for r in records} == {"Tunnel100", "Tunnel200"}


def _bench() -> object:
    spec_obj = importlib.util.spec_from_file_location("bench_parse", BENCH)
    assert spec_obj and spec_obj.loader
    module = importlib.util.module_from_spec(spec_obj)
    spec_obj.loader.exec_module(module)
    return module


def test_generated_nhrp_and_ikev2_tables_equal_on_both_paths() -> None:
    """The benchmark's NHRP cache and IKEv2 table are read by the fast paths, equal to the templates."""
    module = _bench()
    for command, text in (("show ip nhrp", module.generate_nhrp(300)),  # type: ignore[attr-defined]
                          ("show crypto ikev2 sa", module.generate_ikev2(300))):  # type: ignore[attr-defined]
        spec = resolve_command(command)
        assert spec is not None
        records = parse(command, text)
        assert len(records) == 300
        assert parse_lines(spec, normalise(text), fast=False) == records
