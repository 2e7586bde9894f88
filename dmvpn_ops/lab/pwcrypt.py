"""Password encryption as IOS shows it: type 7 under `service password-encryption`, type 6 under
`password encryption aes` with a `key config-key password-encrypt` master key.

Why: real devices show secrets in these forms, so a deploy that compares text never converges and a
report that prints them leaks them; the emulator must show them for the tests to see it.

A line keeps its clear value in ``Line.text`` (what logins and the cloud's IKE/NHRP read) and the
encrypted form IOS prints in ``Line.shown``. Sources:
- Cisco IOS Security Command Reference, `service password-encryption`: encrypts the `enable password`,
  `username ... password` and line `password` forms to type 7 at once and from then on; `no service
  password-encryption` decrypts nothing. Pre-shared keys and `ip nhrp authentication` are not covered
  (Cisco "Encrypted Preshared Key" configuration guide: PSKs stay clear until `password encryption aes`).
- Cisco IOS XE "Encrypted Preshared Key" configuration guide (Security for VPNs with IPsec, 17.x) and
  Cisco Tech Note 46420 "Encrypt Pre-shared Keys in Cisco IOS Router Configuration": `password
  encryption aes` plus a master key turns `crypto isakmp key`, keyring `pre-shared-key address ... key`
  and IKEv2 keyring `pre-shared-key` into `... 6 <cipher>` forms; without a master key nothing is
  encrypted; the master key is never shown in the configuration; removing `password encryption aes`
  decrypts nothing; a type 6 value entered on a router with another master key cannot be used.
- Type 7: the public Vigenere key table IOS uses (same table as dmvpn_ops.deploy.secret_forms, which
  decodes it independently). Type 6 here is a lab cipher (salted keystream from the master key, with a
  check so a wrong master key fails; salted, so the same key encrypts differently each time),
  printed in letters and `[\\]^_` like type 6 strings with a fixed `AAB` tail; the
  exact bytes of a real router's AES form are not reproduced (not verified against a capture).
"""
from __future__ import annotations

import hashlib
import os
import re

from dmvpn_ops.lab.config import Line

__all__ = ["on_entry", "encrypt_tree", "encode7", "decode7", "MASTER_KEY"]

MASTER_KEY = ("key", "config-key")  # the line key of `key config-key password-encrypt K` (never shown)
_XLAT = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"
_TYPE_ARG = r"(?:(?P<t>[067]) )?(?P<v>\S+)"
# lines `service password-encryption` turns into type 7 (Security CR, service password-encryption)
_TYPE7 = tuple(re.compile(p) for p in (
    rf"^enable password {_TYPE_ARG}$",
    rf"^username \S+ (?:privilege \d+ )?password {_TYPE_ARG}$",
    rf"^password {_TYPE_ARG}$",  # line con/vty/aux password
))
# lines `password encryption aes` turns into type 6 (Encrypted Preshared Key guide)
_TYPE6 = tuple(re.compile(p) for p in (
    rf"^crypto isakmp key {_TYPE_ARG}(?= address )",
    rf"^pre-shared-key address \S+(?: \S+)? key {_TYPE_ARG}$",
    rf"^pre-shared-key (?:(?:local|remote) )?{_TYPE_ARG}$",
))
_ALPHABET = "".join(chr(c) for c in range(0x41, 0x61))  # 'A'..'`': 32 symbols, 5 bits each


def encode7(clear: str, seed: int | None = None) -> str:
    """The type 7 form of ``clear`` (seed 0-15 as IOS picks it)."""
    seed = os.urandom(1)[0] % 16 if seed is None else seed
    return f"{seed:02d}" + "".join(f"{ord(c) ^ ord(_XLAT[(seed + i) % len(_XLAT)]):02X}"
                                   for i, c in enumerate(clear))


def decode7(encoded: str) -> str | None:
    if len(encoded) < 4 or len(encoded) % 2 or not re.fullmatch(r"\d\d[0-9A-Fa-f]+", encoded):
        return None
    seed = int(encoded[:2])
    if seed >= len(_XLAT):
        return None
    return "".join(chr(int(encoded[i:i + 2], 16) ^ ord(_XLAT[(seed + i // 2 - 1) % len(_XLAT)]))
                   for i in range(2, len(encoded), 2))


def _stream(master: str, salt: bytes, n: int) -> bytes:
    out = b""
    while len(out) < n:
        out += hashlib.sha256(master.encode() + salt + len(out).to_bytes(4, "big")).digest()
    return out[:n]


def _to_alpha(data: bytes) -> str:
    bits = "".join(f"{b:08b}" for b in data)
    bits += "0" * (-len(bits) % 5)
    return "".join(_ALPHABET[int(bits[i:i + 5], 2)] for i in range(0, len(bits), 5))


def _from_alpha(text: str) -> bytes | None:
    if any(c not in _ALPHABET for c in text):
        return None
    bits = "".join(f"{_ALPHABET.index(c):05b}" for c in text)
    return bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits) - len(bits) % 8, 8))


def encode6(clear: str, master: str) -> str:
    """A salted type 6 form: encrypting the same key twice gives two strings, as on IOS."""
    salt = os.urandom(4)
    data = clear.encode()
    body = bytes(a ^ b for a, b in zip(data, _stream(master, salt, len(data)), strict=True))
    check = hashlib.sha256(master.encode() + salt + data).digest()[:2]
    return _to_alpha(salt + body + check) + "AAB"


def decode6(encoded: str, master: str) -> str | None:
    raw = _from_alpha(encoded[:-3]) if encoded.endswith("AAB") else None
    if raw is None or len(raw) < 7:
        return None
    salt, body, check = raw[:4], raw[4:-2], raw[-2:]
    data = bytes(a ^ b for a, b in zip(body, _stream(master, salt, len(body)), strict=True))
    if hashlib.sha256(master.encode() + salt + data).digest()[:2] != check:
        return None  # another router's master key: IOS cannot use the value either
    try:
        return data.decode()
    except UnicodeDecodeError:
        return None


def _master(root: list[Line]) -> str | None:
    line = next((ln for ln in root if ln.key[:2] == MASTER_KEY), None)
    return line.text.split()[-1] if line else None


def _has(root: list[Line], text: str) -> bool:
    return any(ln.text == text for ln in root)


def _decode(kind: str, value: str, root: list[Line]) -> str | None:
    if kind == "7":
        return decode7(value)
    master = _master(root)
    return decode6(value, master) if master else None


def on_entry(root: list[Line], line: Line) -> None:
    """A line just entered: a type 7/6 form is kept as shown and read as its clear value."""
    line.shown = None
    for pattern in _TYPE7 + _TYPE6:
        found = pattern.search(line.text)
        if found and found.group("t") in ("6", "7"):
            clear = _decode(found.group("t"), found.group("v"), root)
            if clear is not None:
                line.shown = line.text
                line.text = line.text[:found.start("t")] + clear + line.text[found.end("v"):]
            return


def encrypt_tree(root: list[Line]) -> None:
    """Encrypt every clear line the active services cover (IOS does it at once, for old lines too)."""
    seven = _has(root, "service password-encryption")
    master = _master(root) if _has(root, "password encryption aes") else None
    if not seven and master is None:
        return
    stack = list(root)
    while stack:
        line = stack.pop()
        stack.extend(line.children)
        if line.shown is not None:
            continue
        for patterns, kind in ((_TYPE7, "7"), (_TYPE6, "6")):
            found = next((m for m in (p.search(line.text) for p in patterns) if m), None)
            if found is None or found.group("t") in ("6", "7") or (kind == "7" and not seven) or \
                    (kind == "6" and master is None):
                continue
            value = found.group("v")
            cipher = encode7(value) if kind == "7" else encode6(value, master or "")
            start = found.start("t") if found.group("t") else found.start("v")
            line.shown = line.text[:start] + f"{kind} {cipher}" + line.text[found.end("v"):]
