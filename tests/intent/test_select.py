"""``--limit`` terms over a real Nornir inventory: host names, groups (parents too), globs, exclusions."""
from __future__ import annotations

import pytest
from nornir.core.filter import F

from dmvpn_ops.errors import InputError
from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.nornir import load_nornir
from dmvpn_ops.intent.select import inventory_groups, select_hosts, select_nornir
from tests.conftest import EXAMPLES, INVENTORY

ALL = ["hub1", "hub2", "spoke1", "spoke2", "spoke3", "spoke4"]


@pytest.fixture(scope="module")
def groups() -> dict[str, set[str]]:
    design = load_design(INVENTORY)
    return inventory_groups(load_nornir(INVENTORY, design, ports={}))


def test_groups_include_parents(groups) -> None:
    assert list(groups) == ALL
    assert groups["spoke1"] == {"spokes", "dmvpn_cloud"} and groups["hub2"] == {"hubs", "dmvpn_cloud"}


@pytest.mark.parametrize(("expr", "expected"), [
    (None, ALL),
    ("spokes,!spoke3", ["spoke1", "spoke2", "spoke4"]),
    ("spoke*", ["spoke1", "spoke2", "spoke3", "spoke4"]),
    ("hub[2],spoke1", ["hub2", "spoke1"]),
    ("!hubs", ["spoke1", "spoke2", "spoke3", "spoke4"]),
    ("dmvpn_cloud,!spoke*", ["hub1", "hub2"]),
    ("spoke4, hub1 ", ["hub1", "spoke4"]),      # inventory order, spaces ignored
    ("*cloud", ALL),                              # a glob over group names
])
def test_select(groups, expr, expected) -> None:
    assert select_hosts(expr, groups) == expected


@pytest.mark.parametrize(("expr", "named"), [
    ("spokes,nosuch", "'nosuch'"), ("!spoke9", "'spoke9'"), ("core*", "'core*'"), ("spokes,,hub1", "empty"),
    ("spokes,!spokes", "leaves no host"),
])
def test_bad_terms_are_input_errors_naming_the_term(groups, expr, named) -> None:
    with pytest.raises(InputError) as info:
        select_hosts(expr, groups)
    text = info.value.render()
    assert named in text and info.value.exit_code == 2 and info.value.field == "--limit"
    assert "spoke1, spoke2" not in text  # the term, not the whole host list


def test_close_names_are_suggested(groups) -> None:
    with pytest.raises(InputError) as info:
        select_hosts("spoke", groups)
    assert "spokes" in info.value.render()


def test_select_nornir_filters_any_inventory() -> None:
    inventory = EXAMPLES / "phase3-bgp-dual-cloud"
    nr = load_nornir(inventory, load_design(inventory), ports={})
    every = list(nr.inventory.hosts)
    chosen = select_nornir(nr, "!hub*")
    assert list(chosen.inventory.hosts) == [h for h in every if not h.startswith("hub")]
    assert select_nornir(nr, None) is nr
    # the same selection as a script's own Nornir filter
    assert set(chosen.inventory.hosts) == set(nr.filter(~F(name__startswith="hub")).inventory.hosts)
