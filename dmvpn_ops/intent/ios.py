"""IOS value ranges, vocabularies and version rules the intent is validated against.

Every range cites the IOS-XE 17.12.1 YANG model it comes from (YangModels/yang,
``vendor/cisco/xe/17121/Cisco-IOS-XE-<module>.yang``, commit 6795d9c680bc77fe706b3be9557d8adf12901dcc),
so that a value the intent accepts is a value the router accepts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

__all__ = [
    "EIGRP_AS", "ISAKMP_LIFETIME", "IKEV2_LIFETIME", "DPD_INTERVAL", "DPD_RETRY", "DH_GROUPS",
    "WEAK_DH_GROUPS", "IKEV2_ENCRYPTION", "IKEV2_INTEGRITY", "ISAKMP_ENCRYPTION", "ISAKMP_HASH",
    "IosVersion", "check_transform", "weak_transforms",
]

# Cisco-IOS-XE-eigrp.yang, grouping config-eigrp-router-classic-grouping: autonomous-system uint16 "1..65535".
EIGRP_AS = (1, 65535)
# Cisco-IOS-XE-crypto.yang, crypto isakmp policy <n> / leaf lifetime: uint32 "60..86400".
ISAKMP_LIFETIME = (60, 86400)
# Cisco-IOS-XE-crypto.yang, crypto ikev2 profile / container lifetime / leaf seconds: uint32 "120..86400".
IKEV2_LIFETIME = (120, 86400)
# Cisco-IOS-XE-crypto.yang, ikev2 profile container dpd: interval uint16 "10..3600", retry uint8 "2..60",
# query on-demand|periodic; crypto isakmp keepalive: number "10..3600", retry-number "2..60" (same ranges).
DPD_INTERVAL = (10, 3600)
DPD_RETRY = (2, 60)

# Cisco-IOS-XE-crypto.yang: isakmp policy leaf group enum {1 2 5 14 15 16 19 20 21 24}; ikev2 proposal
# container group {one two five fourteen fifteen sixteen nineteen twenty twenty-one twenty-four}: the same set.
DH_GROUPS = frozenset({1, 2, 5, 14, 15, 16, 19, 20, 21, 24})
# Cisco Field Notice FN72510 (CSCwc72588): from IOS-XE 17.11.1 these are refused by default
# (isakmp policy group 1/2/5, ikev2 proposal group 1/2/5/24; des/3des; md5).
WEAK_DH_GROUPS = frozenset({1, 2, 5, 24})

# Cisco-IOS-XE-crypto.yang, crypto ikev2 proposal container encryption / integrity leaves.
IKEV2_ENCRYPTION = frozenset({"3des", "aes-cbc-128", "aes-cbc-192", "aes-cbc-256", "aes-gcm-128",
                              "aes-gcm-256", "des"})
IKEV2_INTEGRITY = frozenset({"md5", "sha1", "sha256", "sha384", "sha512"})
# Cisco-IOS-XE-crypto.yang, crypto-isakmp-policy-grouping: encryption aes [128|192|256] | des | 3des,
# hash enum {md5 sha sha256 sha384 sha512}. The intent names ciphers the IKEv2 way; render maps them.
ISAKMP_ENCRYPTION = frozenset({"aes-cbc-128", "aes-cbc-192", "aes-cbc-256", "des", "3des"})
ISAKMP_HASH = frozenset({"md5", "sha", "sha1", "sha256", "sha384", "sha512"})
WEAK_CIPHERS = frozenset({"des", "3des", "md5"})  # FN72510

# Cisco-IOS-XE-crypto.yang, list transform-set: ah-hmac | esp [key-bit 128|192|256] [esp-hmac].
_AH = frozenset({"ah-md5-hmac", "ah-sha-hmac", "ah-sha256-hmac", "ah-sha384-hmac", "ah-sha512-hmac"})
_ESP_KEYED = frozenset({"esp-aes", "esp-gcm", "esp-gmac"})  # take an optional key-bit 128|192|256
_ESP_FIXED = frozenset({"esp-3des", "esp-des", "esp-null", "esp-seal", "esp-192-aes", "esp-256-aes"})
_ESP_HMAC = frozenset({"esp-md5-hmac", "esp-sha-hmac", "esp-sha256-hmac", "esp-sha384-hmac",
                       "esp-sha512-hmac"})
_COMBINED = frozenset({"esp-gcm", "esp-gmac"})  # YANG: esp-hmac only when esp is not gcm/gmac
# FN72510: transform-set keywords refused by default from IOS-XE 17.11.1.
_WEAK_TRANSFORMS = frozenset({"ah-md5-hmac", "esp-gmac", "esp-des", "esp-3des", "esp-null", "esp-md5-hmac"})


def check_transform(text: str) -> tuple[str, ...]:
    """The words of a transform set if IOS accepts them, else ``ValueError`` saying what is wrong.

    Grammar (Cisco-IOS-XE-crypto.yang, list transform-set): ``ah-hmac`` or
    ``esp [128|192|256] [esp-hmac]`` (no hmac after esp-gcm/esp-gmac), optionally ``comp-lzs``.
    """
    words = tuple(text.split())
    rest = list(words)
    if rest and rest[-1] == "comp-lzs":
        rest.pop()
    if rest and rest[0] in _AH:
        rest.pop(0)
    if not rest:
        if words and words[0] in _AH:
            return words
        raise ValueError(_vocabulary(text))
    esp = rest.pop(0)
    if esp not in _ESP_KEYED | _ESP_FIXED:
        raise ValueError(_vocabulary(text))
    if rest and rest[0] in ("128", "192", "256"):
        if esp not in _ESP_KEYED:
            raise ValueError(f"transform {text!r}: {esp} takes no key size")
        rest.pop(0)
    if rest and rest[0] in _ESP_HMAC:
        if esp in _COMBINED:
            raise ValueError(f"transform {text!r}: {esp} is combined mode and takes no esp-hmac")
        rest.pop(0)
    if rest:
        raise ValueError(_vocabulary(text))
    return words


def weak_transforms(words: tuple[str, ...]) -> list[str]:
    return [w for w in words if w in _WEAK_TRANSFORMS]


def _vocabulary(text: str) -> str:
    return (f"transform {text!r} is not an IOS transform set; use e.g. 'esp-aes 256 esp-sha256-hmac' or "
            f"'esp-gcm 256' (esp: {', '.join(sorted(_ESP_KEYED | _ESP_FIXED))}; "
            f"hmac: {', '.join(sorted(_ESP_HMAC))})")


_VERSION = re.compile(r"^(\d+)\.(\d+)(?:[.(](\d+))?")  # 17.12.1a, 15.1(2)T4


@total_ordering
@dataclass(frozen=True)
class IosVersion:
    """A software release such as ``17.11.1a`` (IOS-XE) or ``15.9(3)M4`` (classic IOS).

    Only major.minor.rebuild matter for what the intent allows; IOS-XE is 16.x and later.
    """

    major: int
    minor: int
    rebuild: int = 0

    @classmethod
    def parse(cls, text: str) -> IosVersion:
        match = _VERSION.match(str(text).strip())
        if not match:
            raise ValueError(f"ios_version {text!r}: expected e.g. '17.12.1' or '15.9(3)M4'")
        major, minor, rebuild = match.groups()
        return cls(int(major), int(minor), int(rebuild or 0))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, IosVersion):
            return NotImplemented
        return (self.major, self.minor, self.rebuild) < (other.major, other.minor, other.rebuild)

    @property
    def xe(self) -> bool:
        return self.major >= 16

    @property
    def nhs_nbma_form(self) -> bool:
        """``ip nhrp nhs A nbma B [multicast]`` exists: IOS 15.1(2)T and later, every IOS-XE 16/17
        (ip nhrp nhs command history, Cisco IOS IP Addressing Command Reference). Older: classic map + nhs."""
        return self.xe or self >= IosVersion(15, 1, 2)

    @property
    def refuses_weak_crypto(self) -> bool:
        """FN72510: IOS-XE 17.11.1 and later refuse weak IPsec algorithms unless explicitly allowed."""
        return self.xe and self >= IosVersion(17, 11, 1)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.rebuild}"


# When the intent names no version: the emulator's and a current router's rules (IOS-XE 17.12).
DEFAULT_VERSION = IosVersion(17, 12, 1)
