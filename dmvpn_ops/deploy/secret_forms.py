"""Device secret forms (type 6 / type 7) compared with the intended clear value, so equal secrets are not re-pushed.

Why: with `service password-encryption` IOS prints secrets as type 7 (reversible: decoded here and compared)
and with `password encryption aes` as type 6 (AES with the device's master key: not decodable). A plain text diff
would re-push them on every run and never converge. Type 6 is "set, value unknown": kept unless the operator
asks for ``--rotate-secrets``. Sources: Cisco IOS Security Command Reference (`service password-encryption`,
`password encryption aes`, `key config-key password-encrypt`); the type 7 key table is the published Vigenere
table IOS uses (e.g. Cisco's "Cisco IOS Password Encryption Facts").
"""
from __future__ import annotations

import re

from dmvpn_ops.secrets import MASK, SECRET_POSITIONS, mask_line

__all__ = ["decode_type7", "align_secrets"]

_XLAT = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"


def decode_type7(encoded: str) -> str | None:
    """The clear text of an IOS type 7 string, or None when it is not one."""
    if len(encoded) < 4 or len(encoded) % 2 or not re.fullmatch(r"\d\d[0-9A-Fa-f]+", encoded):
        return None
    seed = int(encoded[:2])
    if seed >= len(_XLAT):
        return None
    pairs = [int(encoded[i:i + 2], 16) for i in range(2, len(encoded), 2)]
    return "".join(chr(b ^ ord(_XLAT[(seed + i) % len(_XLAT)])) for i, b in enumerate(pairs))


def _secret(line: str) -> tuple[str, str, str] | None:
    """(type token or "", secret, shape) of a secret-bearing line; shape = the line with no type and no secret."""
    for pattern in SECRET_POSITIONS:
        found = pattern.search(line)
        if found:
            words = line[:found.start("s")].split()
            kind = words[-1] if words and words[-1] in ("0", "6", "7") else ""
            shape = re.sub(r" [067] \*{5}", " " + MASK, mask_line(line.strip()))
            return kind, found.group("s"), shape
    return None


def align_secrets(running: str, intended: str, *, rotate: bool) -> str:
    """``running`` with each type 7 / type 6 secret line replaced by its intended line when they agree.

    A type 7 line agrees when it decodes to the intended value; a type 6 line agrees unless ``rotate``
    (its value cannot be known). The result is only for the diff; the backup keeps the device's text.
    """
    wanted: dict[str, tuple[str, str]] = {}
    for line in intended.splitlines():
        found = _secret(line)
        if found:
            wanted[found[2]] = (found[1], line.strip())
    out = []
    for line in running.splitlines():
        found = _secret(line)
        if found and found[0] in ("6", "7") and found[2] in wanted:
            value, replacement = wanted[found[2]]
            same = decode_type7(found[1]) == value if found[0] == "7" else not rotate
            if same:
                line = line[:len(line) - len(line.lstrip())] + replacement
        out.append(line)
    return "\n".join(out) + ("\n" if running.endswith("\n") else "")
