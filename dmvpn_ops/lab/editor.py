"""Applies configuration lines to a config tree the way IOS config mode does (modes, `no`, fallback)."""
from __future__ import annotations

from dataclasses import dataclass

from dmvpn_ops.lab import config
from dmvpn_ops.lab.config import Line
from dmvpn_ops.lab.grammar import Match, SyntaxError_
from dmvpn_ops.lab.syntax_config import chain, grammar
from dmvpn_ops.lab.type9 import hash9

INVALID = "% Invalid input detected at '^' marker."


@dataclass
class Outcome:
    """What one config line did: an error (``error`` kind + caret column), or an action."""

    error: SyntaxError_ | None = None
    action: str | None = None  # "end" | "exit-config" | "do"
    arg: str = ""
    changed: bool = False


class ConfigEditor:
    """A cursor into the tree: ``stack`` holds (mode, block line) from global config inwards."""

    def __init__(self, root: list[Line]) -> None:
        self.root = root
        self.stack: list[tuple[str, Line | None]] = [("config", None)]

    @property
    def mode(self) -> str:
        return self.stack[-1][0]

    def _body(self) -> list[Line]:
        line = self.stack[-1][1]
        return line.children if line is not None else self.root

    def feed(self, raw: str) -> Outcome:
        """Apply one line typed in the current mode."""
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
        for level, mode in enumerate(chain(self.mode)):
            got = grammar(mode).parse(text, partial=partial)
            if isinstance(got, Match):
                return level, got
            errors.append(got)
        return max(errors, key=lambda e: (e.kind != "ambiguous", e.pos))

    def _climb(self, level: int) -> None:
        for _ in range(level):
            self.stack.pop()

    def _apply(self, text: str) -> Outcome:
        got = self._resolve(text, partial=False)
        if isinstance(got, SyntaxError_):
            return Outcome(error=got)
        level, match = got
        self._climb(level)
        meta = match.entry.meta if match.entry else {}
        if meta.get("rename"):
            match = Match((meta["rename"],) + match.tokens[1:], match.entry, match.complete)
        if meta.get("action") == "exit":
            return self._exit()
        body = self._body()
        if meta.get("neg"):  # default-on feature: typing it removes the stored "no" form
            return Outcome(changed=config.remove(body, ("no",) + match.tokens))
        line = config.set_line(body, match, _display(match))
        if meta.get("secret"):
            line.secret = _clear_secret(match)
        if meta.get("enter"):
            self.stack.append((meta["enter"], line))
        return Outcome(changed=True)

    def _negate(self, text: str) -> Outcome:
        rest = text.split(None, 1)[1] if len(text.split()) > 1 else ""
        if not rest:
            return Outcome(error=SyntaxError_("incomplete", len(text)))
        offset = text.index(rest)
        got = self._resolve(rest, partial=True)
        if isinstance(got, SyntaxError_):
            return Outcome(error=SyntaxError_(got.kind, got.pos + offset))
        level, match = got
        self._climb(level)
        body = self._body()
        meta = match.entry.meta if match.entry else {}
        if meta.get("neg") and match.complete:
            no_line = Match(("no",) + match.tokens, None, True)
            config.set_line(body, no_line)
            return Outcome(changed=True)
        key = match.key if match.entry else match.tokens
        return Outcome(changed=config.remove(body, tuple(key)))


def _display(match: Match) -> str:
    toks = list(match.tokens)
    meta = match.entry.meta if match.entry else {}
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
