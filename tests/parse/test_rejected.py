"""Real captures that were edited or damaged before they were published must be refused, naming the line.

Each case under tests/fixtures/parse_rejected/<command>/ is a capture as found (``.source`` says where)
and the reason the parse must give (``.reason``, a substring of the message), in device mode and in
paste mode alike: an author's "some output was removed" note or hand-shortened lines are not IOS
output, and a table read around them would silently miss the SAs that were cut out.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from dmvpn_ops.parse import UnparseableOutput, parse

REJECTED = Path(__file__).resolve().parents[1] / "fixtures" / "parse_rejected"
CASES = sorted(REJECTED.glob("*/*.raw"))


@pytest.mark.parametrize("raw", CASES, ids=[f"{r.parent.name}/{r.stem}" for r in CASES])
@pytest.mark.parametrize("paste", [False, True], ids=["device", "paste"])
def test_edited_capture_is_refused_naming_the_line(raw: Path, paste: bool) -> None:
    command = raw.parent.name.replace("_", " ")
    reason = raw.with_suffix(".reason").read_text().strip()
    assert raw.with_suffix(".source").read_text().strip()
    with pytest.raises(UnparseableOutput) as info:
        parse(command, raw.read_text(), paste=paste)
    assert reason in str(info.value)
    assert f"`{command}`" in str(info.value)


def test_there_are_rejected_cases() -> None:
    assert len(CASES) >= 2
