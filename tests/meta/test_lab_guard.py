"""The lab marker guard itself: an unmarked test that starts the emulator fails, naming the marker."""
from __future__ import annotations

import pytest

from dmvpn_ops.intent import load_design
from dmvpn_ops.lab import runtime
from dmvpn_ops.lab.api import Lab
from tests.conftest import INVENTORY


def test_unmarked_test_cannot_start_the_emulator(tmp_path) -> None:
    with pytest.raises(RuntimeError, match=r"not marked @pytest.mark.lab"):
        Lab(load_design(INVENTORY), ports="free").start()
    with pytest.raises(RuntimeError, match=r"not marked @pytest.mark.lab"):
        runtime.up(tmp_path / "inventory")
