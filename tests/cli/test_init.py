"""`dmvpn-ops init DIR [--example NAME]`: a starter inventory from the shipped ones; never overwrites (exit 2)."""
from __future__ import annotations

from pathlib import Path

from dmvpn_ops.cli.demo import demo_inventory
from dmvpn_ops.cli.init import starter_files
from dmvpn_ops.data import DEMO_INVENTORY, example_names
from tests.conftest import EXAMPLES, INVENTORY, ROOT


def _tree(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): p.read_text() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_shipped_inventory_is_the_checkout_inventory() -> None:
    """In a checkout the package data is the top-level inventory/ itself (one source, no copy to drift)."""
    assert DEMO_INVENTORY.resolve() == INVENTORY.resolve()
    assert {n for n in example_names() if "/" not in n} == {p.name for p in EXAMPLES.iterdir()
                                                            if (p / "hosts.yaml").is_file()}


def test_init_writes_the_demo_cloud_that_lints_clean(cli, tmp_path: Path) -> None:
    target = tmp_path / "mycloud"
    result = cli("init", str(target))
    assert result.code == 0, result.text
    expected = {str(f): (INVENTORY / f).read_text() for f in starter_files(INVENTORY)}
    assert _tree(target) == expected
    assert set(expected) == {"defaults.yaml", "groups.yaml", "hosts.yaml"}  # examples/ stays behind
    lint = cli("lint", "-i", str(target))
    assert lint.code == 0, lint.text


def test_init_example(cli, tmp_path: Path) -> None:
    target = tmp_path / "p2"
    assert cli("init", str(target), "--example", "phase2-eigrp").code == 0
    assert _tree(target) == _tree(EXAMPLES / "phase2-eigrp")


def test_init_broken_example_keeps_its_lint_finding(cli, tmp_path: Path) -> None:
    target = tmp_path / "broken"
    assert cli("init", str(target), "--example", "broken/dmv101-eigrp-split-horizon").code == 0
    lint = cli("lint", "-i", str(target))
    assert lint.code == 1 and "DMV101" in lint.out


def test_init_never_overwrites(cli, tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "hosts.yaml").write_text("# my edits\n")
    result = cli("init", str(target))
    assert result.code == 2
    assert "hosts.yaml" in result.err and "never overwrites" in result.err
    assert "Traceback" not in result.text
    assert _tree(target) == {"hosts.yaml": "# my edits\n"}  # nothing written, not even the files that were free


def test_init_into_an_existing_empty_directory(cli, tmp_path: Path) -> None:
    assert cli("init", str(tmp_path)).code == 0
    assert (tmp_path / "hosts.yaml").is_file()


def test_init_onto_a_file_or_unknown_example_is_exit_2(cli, tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    on_file = cli("init", str(afile))
    assert on_file.code == 2 and "not a directory" in on_file.err
    unknown = cli("init", str(tmp_path / "new"), "--example", "phase9-nope")
    assert unknown.code == 2 and "phase9-nope" in unknown.err and "phase2-eigrp" in unknown.err
    assert not (tmp_path / "new").exists()


def test_demo_falls_back_to_the_shipped_cloud_only_for_the_default(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert demo_inventory(Path("inventory")) == DEMO_INVENTORY
    (tmp_path / "inventory").mkdir()
    assert demo_inventory(Path("inventory")) == Path("inventory")  # ./inventory present: that one
    assert demo_inventory(tmp_path / "missing") == tmp_path / "missing"  # an explicit -i is never replaced


def test_checkout_root_has_the_symlink() -> None:
    link = ROOT / "dmvpn_ops" / "data" / "inventory"
    assert link.is_symlink() and link.resolve() == (ROOT / "inventory").resolve()
