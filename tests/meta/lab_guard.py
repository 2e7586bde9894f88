"""pytest hooks (imported by tests/conftest.py): a test that starts the SSH lab emulator must carry
``@pytest.mark.lab``, so that ``pytest -m "not lab"`` is a quick unit run. Starting the emulator from any other
test fails that test with a message saying so (a module-scoped fixture counts for the test that first needs it).
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Generator
from typing import Any

import pytest

_current: list[pytest.Item] = []


def _check(what: str) -> None:
    if _current and _current[0].get_closest_marker("lab") is None:
        raise RuntimeError(f"{_current[0].nodeid} starts the lab emulator ({what}) but is not marked "
                           "@pytest.mark.lab (tests that start the emulator must be, for `pytest -m 'not lab'`)")


def _guard_sync(owner: Any, name: str) -> None:
    original: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(original)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _check(f"{owner.__name__}.{name}")
        return original(*args, **kwargs)

    setattr(owner, name, guarded)


def _guard_async(owner: Any, name: str) -> None:
    original: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(original)
    async def guarded(*args: Any, **kwargs: Any) -> Any:
        _check(f"{owner.__name__}.{name}")
        return await original(*args, **kwargs)

    setattr(owner, name, guarded)


def pytest_configure(config: pytest.Config) -> None:
    from dmvpn_ops.lab import api, runtime, service

    _guard_sync(api.Lab, "start")
    _guard_async(service.LabService, "start")
    _guard_sync(runtime, "up")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    _current[:] = [item]
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    _current[:] = [item]
    yield
