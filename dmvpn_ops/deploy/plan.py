"""Rollout order: hubs first (one per cloud at a time), then a canary spoke, then spoke batches."""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from dmvpn_ops.intent import Design

__all__ = ["Wave", "plan_waves", "spoke_blocked"]


@dataclass(frozen=True)
class Wave:
    """Hosts pushed together; a failed canary or batch stops the rollout."""

    name: str
    kind: str  # "hubs" | "canary" | "batch"
    hosts: tuple[str, ...]

    @property
    def stops_rollout(self) -> bool:
        return self.kind in ("canary", "batch")


def _hub_waves(design: Design, selected: Collection[str]) -> list[Wave]:
    """Wave i holds the i-th hub of every cloud, so a dual-hub cloud always keeps one hub up."""
    placed: set[str] = set()
    rounds: list[list[str]] = []
    for cloud in design.clouds:
        hubs = [h.name for h, _ in design.hubs(cloud) if h.name in selected]
        index = 0
        for name in hubs:
            if name in placed:
                continue
            while len(rounds) <= index:
                rounds.append([])
            rounds[index].append(name)
            placed.add(name)
            index += 1
    return [Wave(f"hubs {i + 1}", "hubs", tuple(sorted(r))) for i, r in enumerate(rounds) if r]


def plan_waves(design: Design, selected: Iterable[str], batch_size: int = 5) -> list[Wave]:
    """The ordered waves for the selected hosts.

    Args:
        design: the intent.
        selected: hosts in this run (after ``--limit``).
        batch_size: spokes per batch after the canary (at least 1).

    Returns:
        Hub waves, then a one-spoke canary wave, then spoke batches.
    """
    chosen = set(selected)
    waves = _hub_waves(design, chosen)
    spokes = [name for name in sorted(chosen) if not design.hosts[name].is_hub]
    if spokes:
        waves.append(Wave("canary", "canary", (spokes[0],)))
    size = max(1, batch_size)
    for start in range(1, len(spokes), size):
        waves.append(Wave(f"batch {start // size + 1}", "batch", tuple(spokes[start:start + size])))
    return waves


def spoke_blocked(design: Design, spoke: str, selected: Collection[str],
                  failed: Collection[str]) -> str | None:
    """Name the cloud whose every hub in this run failed, if any: its spokes are not touched."""
    for tunnel in design.hosts[spoke].tunnels:
        hubs = [h.name for h, _ in design.hubs(tunnel.cloud) if h.name in selected]
        if hubs and all(h in failed for h in hubs):
            return tunnel.cloud
    return None
