"""Running vs intended config → the IOS commands to push (hier_config), scoped to what dmvpn-ops owns."""
from __future__ import annotations

import re
from dataclasses import dataclass

from hier_config import HConfig, Platform, WorkflowRemediation, get_hconfig

from dmvpn_ops.deploy.order import foreign_lines, order_lines, replaced_by_intent
from dmvpn_ops.deploy.quirks import clean_running, is_shown_default, strip_hidden
from dmvpn_ops.secrets import mask

__all__ = ["Change", "Remediation", "remediate", "equivalent", "parse_config"]

# Top-level DMVPN objects that only --prune removes when the intent no longer has them.
# `hostname`, `ip route` and the underlay are never pruned: removing them cuts the tool off.
_PRUNABLE = re.compile(r"^(crypto |interface Tunnel|router (eigrp|ospf|bgp) |policy-map |class-map )")
# Top-level leaves whose identity is not their full text (IOS replaces them in place).
_KEYED = (
    (re.compile(r"^crypto isakmp key \S+ (address .*)$"), r"crypto isakmp key * \1"),
    (re.compile(r"^hostname \S+$"), "hostname"),
)


@dataclass(frozen=True)
class Change:
    """One remediation line with its parent block and whether that block (the object of that name) already exists."""

    parent: str | None
    line: str
    block_exists: bool

    @property
    def removes(self) -> bool:
        return self.line.startswith("no ")


@dataclass(frozen=True)
class Remediation:
    """What to push to one host; ``commands`` carry real secrets, show only ``masked()``."""

    commands: tuple[str, ...]
    rollback: tuple[str, ...]
    changes: tuple[Change, ...]
    stale: tuple[str, ...]  # DMVPN objects on the device the intent lacks (removed only with prune)
    target: str  # the whole config the device should have afterwards

    @property
    def empty(self) -> bool:
        return not self.commands

    def masked(self) -> list[str]:
        return [mask(line) for line in self.commands]

    def masked_rollback(self) -> list[str]:
        return [mask(line) for line in self.rollback]


def parse_config(text: str) -> HConfig:
    """A running or intended config as a hier_config tree (header lines dropped)."""
    return get_hconfig(Platform.CISCO_IOS, clean_running(text))


def _key(text: str) -> str:
    for pattern, replacement in _KEYED:
        if pattern.match(text):
            return pattern.sub(replacement, text)
    return text


def _merge_block(target: HConfig, run_child: object, gen_child: object) -> None:
    """Intended block plus the lines dmvpn-ops does not own and printed defaults; the running
    block itself when that differs from it only by lines IOS hides (no push that never sticks)."""
    candidate = _single(gen_child)
    block = next(iter(candidate.children))
    run_texts = [c.text for c in run_child.children]  # type: ignore[attr-defined]
    gen_texts = [c.text for c in gen_child.children]  # type: ignore[attr-defined]
    foreign = set(foreign_lines(run_child.text, run_texts, gen_texts))  # type: ignore[attr-defined]
    for child in run_child.children:  # type: ignore[attr-defined]
        keep = is_shown_default(run_child.text, child.text) or child.text in foreign  # type: ignore[attr-defined]
        if keep and child.text not in block.children:
            block.add_deep_copy_of(child)
    if _paths(strip_hidden(_single(run_child))) == _paths(strip_hidden(candidate)):
        target.add_deep_copy_of(run_child)  # type: ignore[arg-type]
    else:
        target.add_deep_copy_of(block)


def _single(child: object) -> HConfig:
    root = HConfig(child.root.driver)  # type: ignore[attr-defined]
    root.add_deep_copy_of(child)  # type: ignore[arg-type]
    return root


def _paths(config: HConfig) -> set[tuple[str, ...]]:
    return {tuple(child.path()) for child in config.all_children()}


def build_target(running: HConfig, intended: HConfig, *, prune: bool) -> tuple[HConfig, list[str]]:
    """Running config with every object the intent owns replaced by its intended form."""
    target = HConfig(running.driver)
    wanted = {child.text: child for child in intended.children}
    keys = {_key(child.text) for child in intended.children}
    stale: list[str] = []
    for child in running.children:
        if child.text in wanted:
            _merge_block(target, child, wanted[child.text])
        elif _key(child.text) in keys and _key(child.text) != child.text:
            continue  # replaced in place by the intended line with the same key
        elif replaced_by_intent(child.text, wanted):
            continue  # e.g. the global default route of an underlay the intent moved into a VRF
        elif _PRUNABLE.match(child.text):
            stale.append(child.text)
            if not prune:
                target.add_deep_copy_of(child)
        else:
            target.add_deep_copy_of(child)
    present = {child.text for child in running.children}
    for child in intended.children:
        if child.text not in present:
            target.add_deep_copy_of(child)
    return target, stale


# Objects whose header line carries parameters besides the name: IOS redefines the object of that name in place
# (`crypto ipsec transform-set NAME <transforms>` again with other transforms changes the set tunnels use).
_NAMED_HEADER = re.compile(r"^(crypto ipsec transform-set \S+) ")


def _object(text: str) -> str:
    found = _NAMED_HEADER.match(text)
    return found.group(1) if found else text


def _changes(remediation: HConfig, running: HConfig) -> tuple[Change, ...]:
    present = {_object(child.text) for child in running.children}
    out: list[Change] = []
    for top in remediation.children:
        exists = _object(top.text) in present
        if not top.children:
            out.append(Change(None, top.text, exists))
        for child in top.all_children():
            out.append(Change(top.text, child.text, exists))
    return tuple(out)


# Removal order: referrers before what they reference (IOS refuses to delete an object in use).
_REMOVAL_ORDER = ("interface Tunnel", "router ", "crypto ipsec profile", "crypto ipsec transform-set",
                  "crypto isakmp profile", "crypto ikev2 profile", "crypto keyring", "crypto ikev2 keyring",
                  "crypto ikev2 policy", "crypto ikev2 proposal", "crypto isakmp", "policy-map", "class-map")


def _removal_rank(line: str) -> int:
    body = line[3:]
    return next((i for i, prefix in enumerate(_REMOVAL_ORDER) if body.startswith(prefix)),
                len(_REMOVAL_ORDER))


def _lines(config: HConfig, reference: HConfig) -> tuple[str, ...]:
    """Flat command list; removals of whole DMVPN objects last, referrers first; IOS order (deploy.order)."""
    lines = [child.cisco_style_text() for child in config.all_children_sorted()]
    removals = [ln for ln in lines if ln.startswith("no ") and _PRUNABLE.match(ln[3:])]
    kept = [ln for ln in lines if ln not in removals]
    return order_lines(kept + sorted(removals, key=_removal_rank), "\n".join(reference.dump_simple()))


def remediate(running: str, intended: str, *, prune: bool = False) -> Remediation:
    """The commands taking ``running`` to ``intended`` within dmvpn-ops' scope.

    Args:
        running: ``show running-config`` output (secrets in clear, as the device shows them).
        intended: the rendered config with secrets revealed.
        prune: also remove DMVPN objects (tunnels, crypto, routing) the intent no longer has.

    Returns:
        The remediation, its inverse, the classified changes and the stale objects.
    """
    run_tree = parse_config(running)
    target, stale = build_target(run_tree, parse_config(intended), prune=prune)
    workflow = WorkflowRemediation(run_tree, target)
    remediation = workflow.remediation_config
    return Remediation(
        commands=_lines(remediation, target),
        rollback=_lines(workflow.rollback_config, run_tree),
        changes=_changes(remediation, run_tree),
        stale=tuple(stale),
        target="\n".join(target.dump_simple()) + "\n",
    )


def equivalent(left: str, right: str) -> bool:
    """Two configs are the same once headers and IOS-hidden lines are ignored."""
    return _paths(strip_hidden(parse_config(left))) == _paths(strip_hidden(parse_config(right)))


def differences(left: str, right: str) -> list[str]:
    """Masked lines in one config and not the other (``-`` left only, ``+`` right only)."""
    a, b = _paths(strip_hidden(parse_config(left))), _paths(strip_hidden(parse_config(right)))
    out = [f"- {' / '.join(p)}" for p in sorted(a - b)] + [f"+ {' / '.join(p)}" for p in sorted(b - a)]
    return [mask(line) for line in out]
