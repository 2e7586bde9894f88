"""The runtime dependencies in pyproject are exactly what ``dmvpn_ops`` imports at run time.

A package imported by ``dmvpn_ops`` but declared only in ``dev`` works in CI (which installs ``.[dev]``) and
breaks every plain ``pip install``; a runtime dependency nothing imports is weight every user carries.
"""
from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from importlib.metadata import packages_distributions, requires
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dmvpn_ops"

# Declared and needed at run time, but never imported by name: Nornir loads it through its entry point when a
# host uses the "netmiko" connection (nornir-netmiko registers ``netmiko`` under ``nornir.plugins.connections``).
LOADED_BY_ENTRY_POINT = {"nornir-netmiko"}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> tuple[set[str], set[str]]:
    """(runtime, dev) distribution names from pyproject (the installed metadata on Python 3.10)."""
    if sys.version_info >= (3, 11):
        import tomllib

        project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
        runtime = [Requirement(r) for r in project["dependencies"]]
        dev = [Requirement(r) for r in project["optional-dependencies"]["dev"]]
    else:  # pragma: no cover
        reqs = [Requirement(r) for r in requires("dmvpn-ops") or []]
        runtime = [r for r in reqs if r.marker is None]
        dev = [r for r in reqs if r.marker is not None]
    return {_normal(r.name) for r in runtime}, {_normal(r.name) for r in dev}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError") for n in names)


def _runtime_imports(node: ast.AST) -> Iterator[str]:
    """Top-level module names imported at run time: not under ``if TYPE_CHECKING``, not an ImportError fallback."""
    if isinstance(node, ast.If) and _is_type_checking(node):
        yield from (m for child in node.orelse for m in _runtime_imports(child))
        return
    if isinstance(node, ast.Import):
        yield from (alias.name.split(".")[0] for alias in node.names)
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        yield node.module.split(".")[0]
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.ExceptHandler) and _catches_import_error(child):
            continue
        yield from _runtime_imports(child)


def imported_distributions() -> dict[str, set[str]]:
    """Distribution name -> the dmvpn_ops files that import it."""
    dists = packages_distributions()
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for module in _runtime_imports(ast.parse(path.read_text(), str(path))):
            if module in sys.stdlib_module_names or module == "dmvpn_ops" or module == "__future__":
                continue
            for dist in dists.get(module, [f"<no installed distribution provides {module!r}>"]):
                if dist == "ruamel.yaml.clib":  # ruamel.yaml's C extension, shares the ruamel namespace
                    continue
                found.setdefault(_normal(dist), set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_runtime_import_is_a_runtime_dependency() -> None:
    runtime, _dev = _declared()
    missing = {dist: sorted(files) for dist, files in imported_distributions().items() if dist not in runtime}
    assert not missing, f"imported by dmvpn_ops but not in [project] dependencies: {missing}"


def test_every_runtime_dependency_is_imported() -> None:
    runtime, _dev = _declared()
    unused = runtime - set(imported_distributions()) - LOADED_BY_ENTRY_POINT
    assert not unused, f"runtime dependencies dmvpn_ops never imports (move them to dev or drop them): {unused}"


def test_test_only_packages_stay_in_dev() -> None:
    runtime, dev = _declared()
    assert "ntc-templates" in dev and "ntc-templates" not in runtime
    assert not {"pytest", "jsonschema", "ruff", "mypy", "build"} & runtime


def test_the_scanner_sees_imports_it_must_see() -> None:
    """The AST walk finds function-level imports and skips TYPE_CHECKING and ImportError fallbacks."""
    tree = ast.parse("import a\nif TYPE_CHECKING:\n    import b\nelse:\n    import c\n"
                     "def f():\n    from d.x import y\ntry:\n    import e\nexcept ImportError:\n    import f\n")
    assert sorted(_runtime_imports(tree)) == ["a", "c", "d", "e"]
