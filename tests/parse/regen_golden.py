"""Regenerate expected JSON for golden parser cases: `python tests/parse/regen_golden.py [DIR...]`.

Review the diff before committing: the JSON is the contract, the parser must not define it.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from dmvpn_ops.parse import parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parse"


def command_for(directory: Path) -> str:
    """Fixture directories are named after the command: show_ip_nhrp_nhs -> `show ip nhrp nhs`."""
    return directory.name.replace("_", " ")


def main(argv: list[str]) -> int:
    dirs = [FIXTURES / name for name in argv] or sorted(p for p in FIXTURES.iterdir() if p.is_dir())
    for directory in dirs:
        for raw in sorted(directory.glob("*.raw")):
            records = parse(command_for(directory), raw.read_text())
            raw.with_suffix(".json").write_text(json.dumps(records, indent=2) + "\n")
            print(f"{raw.relative_to(FIXTURES)}: {len(records)} records")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
