"""Applies configuration lines to a config tree the way IOS config mode does (modes, `no`, fallback)."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from dmvpn_ops.lab import acls, checks, config, nvgen, pwcrypt
from dmvpn_ops.lab.config import Line
from dmvpn_ops.lab.grammar import Match, SyntaxError_
from dmvpn_ops.lab.syntax_config import chain, grammar, prompt
from dmvpn_ops.lab.type9 import hash9

log = logging.getLogger("dmvpn_ops.lab")

INVALID = "% Invalid input detected at '^' marker."
# What a session prints when the emulator itself fails on a line: the line is not applied, the session
# goes on (IOS prints `%`-prefixed refusals; the failure is logged with its traceback).
INTERNAL = "% Command not applied: internal error in the emulator (logged)"


@dataclass
class Outcome:
    """What one config line did: an error (``error`` kind + caret column), or an action."""

    error: SyntaxError_ | None = None
    action: str | None = None  # "end" | "exit-config" | "do"
    arg: str = ""
    changed: bool = False
    message: str = ""  # what IOS prints for the line (a refusal, or a notice such as the VRF move's)


class ConfigEditor:
    """A cursor into the tree: ``stack`` holds (mode, block line) from global config inwards."""

    def __init__(self, root: list[Line]) -> None:
        self.root = root
        self.stack: list[tuple[str, Line | None]] = [("config", None)]

    @property
    def mode(self) -> str:
        """The mode as the prompt shows it (``config-router`` for every routing protocol; a sub-interface is
        ``config-subif``, a real IOS session: `R1(config-if)#int e0/0.3` / `R1(config-subif)#`)."""
        mode, block = self.stack[-1]
        if mode == "config-if" and block is not None and "." in block.text.split()[-1]:
            return "config-subif"
        return prompt(mode)

    @property
    def table(self) -> str:
        """The grammar table of the current mode (``config-router-bgp``, ...)."""
        return self.stack[-1][0]

    def _body(self) -> list[Line]:
        line = self.stack[-1][1]
        return line.children if line is not None else self.root

    def feed(self, raw: str) -> Outcome:
        """Apply one line typed in the current mode; no input makes it raise (the session must go on)."""
        try:
            return self._feed(raw)
        except Exception:  # a bug here must not take the session down: log it, refuse the line
            log.exception("emulator failed on config line %r", raw)
            return Outcome(message=INTERNAL)

    def _feed(self, raw: str) -> Outcome:
        text = raw.strip()
        if not text or text.startswith("!"):
            return Outcome()
        word = text.split()[0].lower()
        if word == "end" and len(text.split()) == 1:
            return Outcome(action="end")
        if word == "exit" and len(text.split()) == 1:
            return self._exit()
        if word == "do" and len(text.split()) > 1:
            return Outcome(action="do", arg=text.split(None, 1)[1])
        if word == "no":
            return self._negate(text)
        return self._apply(text)

    def _exit(self) -> Outcome:
        if len(self.stack) == 1:
            return Outcome(action="exit-config")
        self.stack.pop()
        return Outcome()

    def _resolve(self, text: str, partial: bool) -> tuple[int, Match] | SyntaxError_:
        """Parse in the current mode, then in each parent (IOS's sub-mode fallback)."""
        errors: list[SyntaxError_] = []
        for level, mode in enumerate(chain(self.table)):
            got = grammar(mode).parse(text, partial=partial)
            if isinstance(got, Match):
                return level, got
            errors.append(got)
        # the mode that got furthest reports (IOS: `ip nhrp n 5` in a tunnel is ambiguous, not invalid)
        return max(errors, key=lambda e: (e.pos, e.kind == "ambiguous"))

    def _climb(self, level: int) -> None:
        for _ in range(level):
            self.stack.pop()

    def _apply(self, text: str) -> Outcome:
        got = self._resolve(text, partial=False)
        if isinstance(got, SyntaxError_):
            return Outcome(error=got)
        level, match = got
        self._climb(level)
        match = _renamed(match)
        meta = match.entry.meta if match.entry else {}
        if meta.get("action") == "exit":
            return self._exit()
        body = self._body()
        if meta.get("neg"):  # default-on feature: typing it removes the stored "no" form
            return Outcome(changed=config.remove(body, ("no",) + match.tokens))
        refused = self._check(meta.get("check"), match)
        if refused is not None:
            return Outcome(message=refused)
        if self.table in acls.ACL_MODES and match.tokens[0] != "remark":  # numbered, in sequence order
            before = [ln.text for ln in body]
            refused = acls.add_entry(body, match.tokens)
            return Outcome(changed=[ln.text for ln in body] != before, message=refused or "")
        notice = self._side_effect(match)
        if nvgen.hidden(self.table, match.text):  # back to the default: IOS prints nothing (lab.nvgen)
            body[:] = [ln for ln in body if ln.key != match.key]
            return Outcome(changed=True, message=notice or "")
        # the setting's `no` form goes when it is set again (`no logging console`, then `logging console
        # warnings`: NVGEN prints only the level line; CR: logging console)
        config.remove(body, ("no",) + match.key)
        line = config.set_line(body, match, _display(match))
        if meta.get("secret"):
            line.secret = _clear_secret(match)
        pwcrypt.on_entry(self.root, line)   # type 7/6 forms (service password-encryption, password encryption aes)
        pwcrypt.encrypt_tree(self.root)
        if meta.get("enter"):
            self.stack.append((meta["enter"], line))
        return Outcome(changed=True, message=notice or "")

    def _check(self, kind: str | None, match: Match) -> str | None:
        """IOS's refusal of a well-formed line (bad mask, missing object), or None."""
        words = list(match.tokens)
        if kind in ("ref", "vrf-forwarding", "route"):
            missing = checks.missing(self.root, self.table, words)
            if missing is not None:
                return missing
        if kind == "ifaddr" and self.table == "config-if":
            refused = checks.subinterface_ip(self.stack[-1][1])
            if refused is not None:
                return refused
        if kind == "ifaddr":
            return checks.interface_address(words[2], words[3]) or \
                checks.overlap(self.root, self.stack[-1][1], words[2], words[3]) or \
                checks.vrf_without_ipv4(self.root, self.stack[-1][1])
        if kind == "route":
            at = 4 if words[2] == "vrf" else 2
            return checks.network_mask(words[at], words[at + 1])
        if kind == "netmask" and "mask" in words:
            i = words.index("mask")
            return checks.network_mask(words[1], words[i + 1])
        if kind == "netmask" and words[0] in ("summary-address", "ip"):
            return checks.network_mask(words[-2], words[-1])
        if kind == "bgp-neighbor":
            return checks.bgp_neighbor(self._bgp_block(), words)
        return None

    def _side_effect(self, match: Match) -> str | None:
        """What else the line changes (moving an interface into a VRF drops its addresses), or what IOS says of
        a line it accepts (an IKEv2 policy given a proposal it lists already, a new IKEv2 profile, a protected
        tunnel's mode changed): a notice, never a refusal."""
        words = list(match.tokens)
        iface = self.stack[-1][1] if self.table == "config-if" else None
        if iface is not None and "forwarding" in words[:3] and words[0] in ("vrf", "ip"):
            return checks.move_to_vrf(iface, words[-1])
        if iface is not None and words[:2] == ["tunnel", "mode"]:
            return checks.tunnel_mode_changed(iface, words)
        if self.table == "config-ikev2-policy" and words[:1] == ["proposal"]:
            return checks.proposal_again(self.stack[-1][1], words)
        if self.table == "config":
            return checks.new_ikev2_profile(self.root, words)
        return None

    def _bgp_block(self) -> Line | None:
        return next((ln for mode, ln in reversed(self.stack) if mode == "config-router-bgp"), None)

    def _negate(self, text: str) -> Outcome:
        rest = text.split(None, 1)[1] if len(text.split()) > 1 else ""
        if not rest:
            return Outcome(error=SyntaxError_("incomplete", len(text)))
        offset = text.index(rest)
        if self.table in acls.ACL_MODES and rest.split()[0].lower() != "remark" and \
                (rest.split()[0].isdigit() or isinstance(grammar(self.table).parse(rest), Match)):
            return Outcome(changed=acls.delete_entry(self._body(), rest))  # `no 10`, `no permit ...`
        got = self._resolve(rest, partial=True)
        if isinstance(got, SyntaxError_):
            return Outcome(error=SyntaxError_(got.kind, got.pos + offset))
        level, match = got
        self._climb(level)
        body = self._body()
        match = _renamed(match)
        meta = match.entry.meta if match.entry else {}
        if meta.get("neg") and match.complete:
            no_line = Match(("no",) + match.tokens, None, True)
            config.remove(body, match.tokens)  # `no logging console` replaces `logging console warnings`
            config.set_line(body, no_line)
            return Outcome(changed=True)
        key = tuple(match.key if match.entry else match.tokens)
        return self._delete(body, key)

    def _delete(self, body: list[Line], key: tuple[str, ...]) -> Outcome:
        """`no ...`: refused while the object is in use; a VRF takes its interfaces' addresses with it."""
        notice = None
        if body is self.root:
            refused = checks.in_use(self.root, key)
            if refused is not None:
                return Outcome(message=refused)
            if key[:2] in (("vrf", "definition"), ("ip", "vrf")) and len(key) == 3:
                notice = checks.drop_vrf(self.root, key[2])
        elif self.table == "config-if" and key[:2] == ("vrf", "forwarding") or key[:3] == ("ip", "vrf", "forwarding"):
            iface = self.stack[-1][1]
            if iface is not None and config.find(body, key[:3] if key[0] == "ip" else key[:2]) is not None:
                notice = checks.move_to_vrf(iface, None)
        return Outcome(changed=config.remove(body, key) or notice is not None, message=notice or "")


def _renamed(match: Match) -> Match:
    """The words NVGEN prints in place of the typed keywords (``encryption`` -> ``encr``, ``line console 0`` ->
    ``line con 0``), so a line is stored, found and removed under the name ``show running-config`` shows."""
    rename = match.entry.meta.get("rename") if match.entry else None
    if not rename:
        return match
    words = tuple(str(rename).split())
    return Match(words + match.tokens[len(words):], match.entry, match.complete)


def _display(match: Match) -> str:
    toks = list(match.tokens)
    meta = match.entry.meta if match.entry else {}
    if toks[:1] == ["username"] and toks[-2:-1] == ["password"]:
        # a clear `username` password is printed with its type 0 (real captures: `username cisco password 0
        # ciscopass` beside `enable password enpass`, which has none; `username bradyn password 0 ...`)
        toks[-1:] = ["0", toks[-1]]
    if toks[:1] == ["exec-timeout"] and len(toks) == 2:
        # IOS keeps minutes and seconds and prints both (CR: exec-timeout minutes [seconds], seconds default 0;
        # real running configs: ` exec-timeout 0 0` under `line con 0` (IOS 15 console, a lab's `show run |
        # begin line con`), a hardened IOS-XE vty's ` exec-timeout 15 0`)
        toks.append("0")
    if meta.get("secret") and "secret" in toks:
        i = toks.index("secret")
        value = toks[-1]
        kind = toks[i + 1] if len(toks) > i + 2 else "0"
        if kind == "0":
            toks[i + 1:] = ["9", hash9(value)]
    return " ".join(toks)


def _clear_secret(match: Match) -> str | None:
    toks = match.tokens
    if "secret" not in toks:
        return None
    i = toks.index("secret")
    kind = toks[i + 1] if len(toks) > i + 2 else "0"
    return toks[-1] if kind == "0" else None
