"""Crypto part of a running config: IKEv1/IKEv2 policies, keyrings, transform sets, IPsec profiles."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address, IPv4Network

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
    keys: tuple[tuple[IPv4Network, str], ...] = ()   # the keyring's per-address entries
    dpd: tuple[int, int] | None = None   # (interval, retry) when DPD / ISAKMP keepalives are configured
    sa_lifetime: int = 3600              # IPsec SA lifetime in seconds: when the SA is re-keyed
    sa_kilobytes: int = 4608000          # IPsec SA volume lifetime (IOS default 4608000 KB)
    identity: str | None = None          # IKEv2 profile `identity local address A | fqdn F | email E`

    def key_for(self, peer: IPv4Address | None) -> str | None:
        """The key IOS uses towards ``peer``: the keyring entry with the longest matching prefix
        (IKEv2 configuration guide, "Configuring the IKEv2 Keyring": the best-matching peer is used;
        IKEv1 `crypto keyring` pre-shared-key address/mask entries behave the same)."""
        matches = [(net.prefixlen, key) for net, key in self.keys if peer is not None and peer in net]
        return max(matches)[1] if matches else self.psk


@dataclass
class CryptoConf:
    """Parsed crypto configuration; :meth:`protection` resolves a profile name."""

    v2_proposals: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    v2_policies: list[str] = field(default_factory=list)
    v2_keyrings: dict[str, str] = field(default_factory=dict)
    ring_keys: dict[str, tuple[tuple[IPv4Network, str], ...]] = field(default_factory=dict)
    v2_profiles: dict[str, Block] = field(default_factory=dict)
    v1_policies: list[tuple[str, str, str]] = field(default_factory=list)
    v1_keys: dict[str, str] = field(default_factory=dict)
    v1_profiles: dict[str, Block] = field(default_factory=dict)
    transform_sets: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    ipsec_profiles: dict[str, Block] = field(default_factory=dict)
    v2_dpd: tuple[int, int] | None = None        # `crypto ikev2 dpd I R mode` (global default)
    v1_keepalive: tuple[int, int] | None = None  # `crypto isakmp keepalive I [R]` (global)
    sa_lifetime: int = 3600                      # `crypto ipsec security-association lifetime seconds`
    sa_kilobytes: int = 4608000                  # `... lifetime kilobytes` (Security Command Reference default)
    v1_lifetimes: list[int] = field(default_factory=list)   # each `crypto isakmp policy`'s `lifetime`

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
            prot = self._v2(name or "", v2, transforms, mode)
        else:
            prot = self._v1(name or "", block.arg("set isakmp-profile"), transforms, mode)
        life = _ints(block.arg("set security-association lifetime seconds"))
        kbytes = _ints(block.arg("set security-association lifetime kilobytes"))
        return replace(prot, sa_lifetime=life[0] if life else self.sa_lifetime,
                       sa_kilobytes=kbytes[0] if kbytes else self.sa_kilobytes)

    def _v2(self, name: str, prof: str | None, transforms: tuple[tuple[str, ...], ...],
            mode: str) -> Protection:
        pblock = self.v2_profiles.get(prof or "")
        ring = pblock.arg("keyring local") if pblock else None
        psk = self.v2_keyrings.get(ring or "") if ring else None
        life = int(pblock.arg("lifetime") or 86400) if pblock else 86400
        props = frozenset(self.v2_proposals[p] for p in self.v2_policies if p in self.v2_proposals)
        keys = self.ring_keys.get(f"v2:{ring}", ())
        dpd = _ints(pblock.arg("dpd") if pblock else None)
        ident = (pblock.arg("identity local") or "").split() if pblock else []
        return Protection(name, 2, prof, psk, props, transforms, mode, life, keys,
                          (dpd[0], dpd[1]) if len(dpd) >= 2 else self.v2_dpd,
                          identity=ident[1] if len(ident) >= 2 and ident[0] in ("address", "fqdn", "email")
                          else None)

    def _v1(self, name: str, prof: str | None, transforms: tuple[tuple[str, ...], ...],
            mode: str) -> Protection:
        pblock = self.v1_profiles.get(prof or "")
        ring = pblock.arg("keyring") if pblock else None
        psk = self.v1_keys.get(ring or "") or self.v1_keys.get("")
        if psk is None and self.v1_keys:
            psk = next(iter(self.v1_keys.values()))
        keys = self.ring_keys.get(f"v1:{ring}", ())
        alive = _ints(pblock.arg("keepalive") if pblock else None)   # `keepalive I retry R`
        dpd = (alive[0], alive[1]) if len(alive) >= 2 else self.v1_keepalive
        # the ISAKMP SA lifetime: the policy's `lifetime`, 86400 s by default (Cisco IOS Security Command
        # Reference, lifetime (IKE policy)); of several policies the shortest (IOS offers them in order and
        # a responder takes a proposal whose lifetime is no longer than its own, keeping the shorter)
        life = min(self.v1_lifetimes, default=86400)
        return Protection(name, 1, prof, psk, frozenset(self.v1_policies), transforms, mode, life, keys, dpd)


def _ints(text: str | None) -> list[int]:
    return [int(w) for w in (text or "").split() if w.isdigit()]


def _psk_v2(block: Block) -> str | None:
    """The wildcard (0.0.0.0) peer's key, else the first peer's."""
    keys = _keys_v2(block)
    wildcard = [k for net, k in keys if net.prefixlen == 0]
    if wildcard:
        return wildcard[0]
    for peer in block.find("peer"):
        key = peer.arg("pre-shared-key")
        if key:
            return key.split()[-1]
    return None


def _network(words: list[str]) -> IPv4Network | None:
    """``A [MASK]`` as a network (no mask: the host /32, as IOS reads it)."""
    try:
        return IPv4Network(f"{words[0]}/{words[1]}" if len(words) > 1 else f"{words[0]}/32", strict=False)
    except (ValueError, IndexError):
        return None


def _keys_v2(block: Block) -> tuple[tuple[IPv4Network, str], ...]:
    out = []
    for peer in block.find("peer"):
        key, address = peer.arg("pre-shared-key"), peer.arg("address")
        net = _network(address.split()) if address else None
        if key and net is not None:
            out.append((net, key.split()[-1]))
    return tuple(out)


def _keys_v1(block: Block) -> tuple[tuple[IPv4Network, str], ...]:
    out = []
    for line in block.find("pre-shared-key"):
        w = line.words
        if "address" in w and "key" in w:
            net = _network(w[w.index("address") + 1:w.index("key")])
            if net is not None:
                out.append((net, w[w.index("key") + 1]))
    return tuple(out)


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
            conf.ring_keys[f"v2:{w[3]}"] = _keys_v2(b)
        elif w[:3] == ["crypto", "ikev2", "profile"]:
            conf.v2_profiles[w[3]] = b
        elif w[:3] == ["crypto", "isakmp", "policy"]:
            conf.v1_policies.append(_isakmp_policy(b))
            conf.v1_lifetimes += _ints(b.arg("lifetime"))[:1] or [86400]
        elif w[:3] == ["crypto", "isakmp", "key"]:
            conf.v1_keys[""] = w[3] if w[3] not in ("0", "6", "7") else w[4]
        elif w[:2] == ["crypto", "keyring"]:
            conf.v1_keys[w[2]] = _v1_key(b) or ""
            conf.ring_keys[f"v1:{w[2]}"] = _keys_v1(b)
        elif w[:3] == ["crypto", "isakmp", "profile"]:
            conf.v1_profiles[w[3]] = b
        elif w[:3] == ["crypto", "ipsec", "transform-set"]:
            conf.transform_sets[w[3]] = (tuple(w[4:]), (b.arg("mode") or "tunnel").split()[0])
        elif w[:3] == ["crypto", "ipsec", "profile"]:
            conf.ipsec_profiles[w[3]] = b
        elif w[:3] == ["crypto", "ikev2", "dpd"] and len(_ints(b.text)) >= 2:
            conf.v2_dpd = (_ints(b.text)[0], _ints(b.text)[1])
        elif w[:3] == ["crypto", "isakmp", "keepalive"] and _ints(b.text):
            # `crypto isakmp keepalive I` alone retries every 2 s (Cisco IOS Security Command Reference)
            got = _ints(b.text)
            conf.v1_keepalive = (got[0], got[1] if len(got) > 1 else 2)
        elif w[:5] == ["crypto", "ipsec", "security-association", "lifetime", "seconds"] and _ints(b.text):
            conf.sa_lifetime = _ints(b.text)[0]
        elif w[:5] == ["crypto", "ipsec", "security-association", "lifetime", "kilobytes"] and _ints(b.text):
            conf.sa_kilobytes = _ints(b.text)[0]
    return conf
