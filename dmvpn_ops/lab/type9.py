"""Cisco type 9 (scrypt) secrets, so `show running-config` shows `secret 9 $9$...` like IOS."""
from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

_STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_CISCO = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_TO_CISCO = str.maketrans(_STD, _CISCO)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=").translate(_TO_CISCO)


@lru_cache(maxsize=256)
def hash9(secret: str, salt: str | None = None) -> str:
    """``$9$<salt>$<hash>`` (scrypt N=16384 r=1 p=1, Cisco base64). The salt is derived from the
    value when not given, so re-entering the same secret gives the same line (idempotent pushes)."""
    if salt is None:
        salt = _b64(hashlib.sha256(b"dmvpn-ops-lab:" + secret.encode()).digest())[:14]
    digest = hashlib.scrypt(secret.encode(), salt=salt.encode(), n=16384, r=1, p=1, dklen=32)
    return f"$9${salt}${_b64(digest)}"


def verify9(secret: str, hashed: str) -> bool:
    """Check a clear secret against a stored ``$9$`` hash."""
    parts = hashed.split("$")
    return len(parts) == 4 and hash9(secret, parts[2]) == hashed
