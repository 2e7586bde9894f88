"""Where a value came from: the merge order, the file that set a field, and errors naming it."""
from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from dmvpn_ops.errors import IntentError
from dmvpn_ops.intent.files import Source

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def deep_merge(sources: list[Source]) -> dict[str, Any]:
    """Merge mappings lowest priority first, nested mappings recursively, lists replaced."""
    merged: dict[str, Any] = {}
    for _file, data in reversed(sources):
        _merge_into(merged, data)
    return merged


def _merge_into(target: dict[str, Any], data: Mapping[str, Any]) -> None:
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge_into(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def origin(sources: list[Source], path: tuple[Any, ...]) -> str:
    """The file that set ``path`` (highest priority wins), for error messages."""
    for file, data in sources:
        node: Any = data
        for part in path:
            if isinstance(node, dict) and part in node:
                node = node[part]
            else:
                break
        else:
            return file
    return sources[0][0]


def fail_at(sources: list[Source], host: str, path: tuple[Any, ...], message: str) -> IntentError:
    field = "data.dmvpn." + ".".join(str(p) for p in path) if path else "data.dmvpn"
    return IntentError(message, file=origin(sources, path), host=host, field=field)


def validation_error(sources: list[Source], host: str, prefix: tuple[Any, ...],
                      exc: ValidationError) -> IntentError:
    errors = exc.errors()
    # A union (address or "dhcp") reports one error per member; the literal one is noise.
    relevant = [e for e in errors if e["type"] != "literal_error"] or errors
    err = relevant[0]
    loc = tuple(p for p in err["loc"] if isinstance(p, int) or _IDENT.match(str(p)))
    message = err["msg"].removeprefix("Value error, ")
    value = err.get("input")
    if value is not None and err["type"] != "missing" and not isinstance(value, (dict, list)) \
            and "secret" not in message:
        message = f"{message} (got {value!r})"
    fields = {tuple(p for p in e["loc"] if isinstance(p, int) or _IDENT.match(str(p))) for e in errors}
    if len(fields) > 1:
        more = len(fields) - 1
        message += f" (and {more} more problem{'s' if more > 1 else ''} in this host)"
    return fail_at(sources, host, prefix + loc, message)
