"""Regenerate tests/fixtures/render/<inventory>/<host>.cfg (masked) after an intended render change.

Reviewers read the diff of these files, not the template code. Run: python scripts/regen_render_golden.py
"""
from __future__ import annotations

import shutil
from pathlib import Path

from dmvpn_ops.intent import load_design
from dmvpn_ops.render import render_config

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "render"


def inventories() -> dict[str, Path]:
    found = {"demo": ROOT / "inventory"}
    for path in sorted((ROOT / "inventory" / "examples").iterdir()):
        if path.is_dir() and path.name != "broken":
            found[path.name] = path
    return found


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    for name, path in inventories().items():
        design = load_design(path, require_secrets=False)
        for host in design.hosts:
            target = OUT / name / f"{host}.cfg"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render_config(design, host))
    print(f"wrote golden configs to {OUT}")


if __name__ == "__main__":
    main()
