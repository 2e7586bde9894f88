"""Secrets in the inventory: only ``env:NAME`` references, resolved and length-checked here."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dmvpn_ops.errors import IntentError, SecretError
from dmvpn_ops.intent.files import RawInventory, Source
from dmvpn_ops.intent.origin import fail_at
from dmvpn_ops.intent.secret_sources import is_secret_reference, resolve_reference
from dmvpn_ops.secrets import MIN_LENGTH, SecretRef

REFERENCE_FORMS = "reference one as env:NAME, file:PATH (mode 0600) or keyring:SERVICE/NAME"


def from_groups(raw: RawInventory, host: str, key: str) -> Any:
    for group in raw.group_chain(host):
        if raw.groups[group].get(key) is not None:
            return raw.groups[group][key]
    return None


def host_secret(raw: RawInventory, host: str, key: str, env: Mapping[str, str]) -> SecretRef | None:
    value = raw.hosts[host].get(key)
    file = raw.path("hosts.yaml")
    if value is None:
        value, file = from_groups(raw, host, key), raw.path("groups.yaml")
    if value is None:
        value, file = raw.defaults.get(key), raw.path("defaults.yaml")
    return _resolve_secret(value, env, file=file, host=host, field=key)


def enable_secret(raw: RawInventory, host: str, env: Mapping[str, str]) -> SecretRef | None:
    for file, entry in ((raw.path("hosts.yaml"), raw.hosts[host]),
                        *((raw.path("groups.yaml"), raw.groups[g]) for g in raw.group_chain(host)),
                        (raw.path("defaults.yaml"), raw.defaults)):
        secret = (((entry.get("connection_options") or {}).get("netmiko") or {})
                  .get("extras") or {}).get("secret")
        if secret is not None:
            return _resolve_secret(secret, env, file=file, host=host,
                                   field="connection_options.netmiko.extras.secret")
    return None


def resolve_secret(value: Any, env: Mapping[str, str], *, file: str, host: str,
                   field: str) -> SecretRef | None:
    """A Nornir secret field (password, enable secret) from its reference, named by file/host/field if bad."""
    return _resolve_secret(value, env, file=file, host=host, field=field)


def _resolve_secret(value: Any, env: Mapping[str, str], *, file: str, host: str,
                    field: str) -> SecretRef | None:
    if value is None:
        return None
    if not is_secret_reference(value):
        raise IntentError(f"secrets are never stored in the inventory; {REFERENCE_FORMS}",
                          file=file, host=host, field=field)
    ref = resolve_reference(str(value), env, lenient=isinstance(env, Lenient), file=file, host=host, field=field)
    _check_length(ref, file=file, host=host, field=field)
    if not ref.resolved and not isinstance(env, Lenient):
        raise SecretError(f"environment variable {ref.env_name} is not set", file=file,
                          host=host, field=field, hint=f"export {ref.env_name}=...")
    return ref


def check_secrets(spec: dict[str, Any], sources: list[Source], host: str,
                   prefix: tuple[Any, ...], env: Mapping[str, str]) -> None:
    """Resolve secrets before pydantic sees them, so a missing one names its env variable."""
    places: list[tuple[dict[str, Any], str, tuple[Any, ...]]] = [(spec, "nhrp_auth", ("nhrp_auth",))]
    if isinstance(spec.get("crypto"), dict):
        places.append((spec["crypto"], "psk", ("crypto", "psk")))
    for container, key, path in places:
        value = container.get(key)
        if value is None or isinstance(value, SecretRef):
            continue
        if not is_secret_reference(value):
            raise fail_at(sources, host, prefix + path, f"secrets are never stored in the inventory; {REFERENCE_FORMS}")
        where = fail_at(sources, host, prefix + path, "")
        ref = resolve_reference(str(value), env, lenient=isinstance(env, Lenient), file=where.file or "",
                                host=host, field=where.field or "")
        _check_length(ref, file=where.file or "", host=host, field=where.field or "")
        if not ref.resolved and not isinstance(env, Lenient):
            err = fail_at(sources, host, prefix + path, f"environment variable {ref.env_name} is not set")
            raise SecretError(err.message, file=err.file, host=err.host, field=err.field,
                              hint=f"export {ref.env_name}=...")
        container[key] = ref


def _bad_character(value: str) -> str | None:
    """Why IOS cannot take ``value`` as one secret token, or None.

    The CLI reads a line: a newline would end the command and start another (config injection), `?`
    opens context help, and a space ends the token (leading/trailing ones are lost); only printable
    ASCII survives a vty (Cisco IOS Configuration Fundamentals, "Using the Cisco IOS CLI").
    """
    for char in value:
        if char in "\r\n":
            return "a newline"
        if char == "?":
            return "'?' (IOS context help)"
        if char.isspace():
            return "a leading or trailing space" if char in (value[0], value[-1]) else "a space"
        if not "!" <= char <= "~":
            return f"the character {char!r} (IOS takes printable ASCII only)"
    return None


def _check_length(ref: SecretRef, *, file: str, host: str, field: str) -> None:
    """Long enough to mask, and only characters IOS takes in one secret token."""
    bad = _bad_character(ref.reveal()) if ref.resolved else None
    if bad:
        raise SecretError(f"the value of {ref.env_name} contains {bad}, which IOS cannot take in a secret",
                          file=file, host=host, field=field, hint=f"set {ref.env_name} to one word of printable ASCII")
    if ref.too_short:
        raise SecretError(f"the value of {ref.env_name} is shorter than {MIN_LENGTH} characters, "
                          "too short to be masked in output", file=file, host=host, field=field,
                          hint=f"use a longer secret in {ref.env_name}")


class Lenient(dict):  # type: ignore[type-arg]
    """An environment view that marks "missing secrets are fine here"."""
