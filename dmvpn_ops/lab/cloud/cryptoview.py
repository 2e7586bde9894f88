"""Crypto part of a running config: IKEv1/IKEv2 policies, keyrings, transform sets, IPsec profiles."""
from __future__ import annotations

from dataclasses import dataclass, field

from dmvpn_ops.lab.cloud.configtree import Block


@dataclass(frozen=True)
class Protection:
    """What `tunnel protection ipsec profile X` resolves to on one router."""

    profile: str
    ike_version: int                     # 1 or 2
    ike_profile: str | None
    psk: str | None
    proposals: frozenset[tuple[str, str, str]]   # (encryption, integrity/hash, group)
    transforms: tuple[tuple[str, ...], ...]      # one tuple of transforms per transform set
    mode: str                            # transport | tunnel
    lifetime: int = 86400


@dataclass
class CryptoConf:
    """Parsed crypto configuration; :meth:`protection` resolves a profile name."""

    v2_proposals: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    v2_policies: list[str] = field(default_factory=list)
    v2_keyrings: dict[str, str] = field(default_factory=dict)
    v2_profiles: dict[str, Block] = field(default_factory=dict)
    v1_policies: list[tuple[str, str, str]] = field(default_factory=list)
    v1_keys: dict[str, str] = field(default_factory=dict)
    v1_profiles: dict[str, Block] = field(default_factory=dict)
    transform_sets: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    ipsec_profiles: dict[str, Block] = field(default_factory=dict)

    def protection(self, name: str | None) -> Protection | None:
        """Resolve an IPsec profile; None when absent (the tunnel is then not protected)."""
        block = self.ipsec_profiles.get(name or "")
        if block is None:
            return None
        sets = (block.arg("set transform-set") or "").split()
        found = [self.transform_sets[s] for s in sets if s in self.transform_sets]
        transforms = tuple(t for t, _ in found) or (("esp-aes", "esp-sha-hmac"),)
        mode = found[0][1] if found else "tunnel"
        v2 = block.arg("set ikev2-profile")
        if v2 is not None or (self.v2_proposals and block.arg("set isakmp-profile") is None
                              and not self.v1_policies):
            return self._v2(name or "", v2, transforms, mode)
        return self._v1(name or "", block.arg("set isakmp-profile"), transforms, mode)

    def _v2(self, name: str, prof: str | None, transforms: tuple[tuple[str, ...], ...],
            mode: str) -> Protection:
        pblock = self.v2_profiles.get(prof or "")
        ring = pblock.arg("keyring local") if pblock else None
        psk = self.v2_keyrings.get(ring or "") if ring else None
        life = int(pblock.arg("lifetime") or 86400) if pblock else 86400
        props = frozenset(self.v2_proposals[p] for p in self.v2_policies if p in self.v2_proposals)
        return Protection(name, 2, prof, psk, props, transforms, mode, life)

    def _v1(self, name: str, prof: str | None, transforms: tuple[tuple[str, ...], ...],
            mode: str) -> Protection:
        pblock = self.v1_profiles.get(prof or "")
        ring = pblock.arg("keyring") if pblock else None
        psk = self.v1_keys.get(ring or "") or self.v1_keys.get("")
        if psk is None and self.v1_keys:
            psk = next(iter(self.v1_keys.values()))
        return Protection(name, 1, prof, psk, frozenset(self.v1_policies), transforms, mode)


def _psk_v2(block: Block) -> str | None:
    for peer in block.find("peer"):
        key = peer.arg("pre-shared-key")
        if key:
            return key.split()[-1]
    return None


def _isakmp_policy(block: Block) -> tuple[str, str, str]:
    encr = " ".join((block.arg("encr") or block.arg("encryption") or "des").split())
    return encr, block.arg("hash") or "sha", block.arg("group") or "1"


def _v1_key(block: Block) -> str | None:
    for line in block.find("pre-shared-key"):
        w = line.words
        if "key" in w:
            return w[w.index("key") + 1]
    return None


def parse_crypto(root: Block) -> CryptoConf:
    """Collect the crypto blocks of a parsed running config."""
    conf = CryptoConf()
    for b in root.children:
        w = b.words
        if w[:3] == ["crypto", "ikev2", "proposal"]:
            conf.v2_proposals[w[3]] = (b.arg("encryption") or "", b.arg("integrity") or "",
                                       b.arg("group") or "")
        elif w[:3] == ["crypto", "ikev2", "policy"]:
            conf.v2_policies += [p for c in b.find("proposal") for p in c.words[1:]]
        elif w[:3] == ["crypto", "ikev2", "keyring"]:
            conf.v2_keyrings[w[3]] = _psk_v2(b) or ""
        elif w[:3] == ["crypto", "ikev2", "profile"]:
            conf.v2_profiles[w[3]] = b
        elif w[:3] == ["crypto", "isakmp", "policy"]:
            conf.v1_policies.append(_isakmp_policy(b))
        elif w[:3] == ["crypto", "isakmp", "key"]:
            conf.v1_keys[""] = w[3] if w[3] not in ("0", "6", "7") else w[4]
        elif w[:2] == ["crypto", "keyring"]:
            conf.v1_keys[w[2]] = _v1_key(b) or ""
        elif w[:3] == ["crypto", "isakmp", "profile"]:
            conf.v1_profiles[w[3]] = b
        elif w[:3] == ["crypto", "ipsec", "transform-set"]:
            conf.transform_sets[w[3]] = (tuple(w[4:]), (b.arg("mode") or "tunnel").split()[0])
        elif w[:3] == ["crypto", "ipsec", "profile"]:
            conf.ipsec_profiles[w[3]] = b
    return conf
