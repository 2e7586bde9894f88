"""Indentation-based parse of an IOS running-config into a tree of blocks."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    """One config line and the lines indented beneath it."""

    text: str
    children: list[Block] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return self.text.split()

    def find(self, prefix: str) -> list[Block]:
        """Children whose line starts with ``prefix`` (word boundary)."""
        return [c for c in self.children if _starts(c.text, prefix)]

    def first(self, prefix: str) -> Block | None:
        found = self.find(prefix)
        return found[0] if found else None

    def arg(self, prefix: str) -> str | None:
        """The rest of the first child line after ``prefix``, or None."""
        child = self.first(prefix)
        return child.text[len(prefix):].strip() if child else None

    def has(self, line: str) -> bool:
        return any(c.text == line for c in self.children)


def _starts(text: str, prefix: str) -> bool:
    return text == prefix or text.startswith(prefix + " ")


def parse_config(text: str) -> Block:
    """Parse ``show running-config`` text: "!" lines separate, indentation nests."""
    root = Block("")
    stack: list[tuple[int, Block]] = [(-1, root)]
    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("!") or stripped in ("end", "exit-address-family"):
            continue
        if stripped.startswith(("Building configuration", "Current configuration")):
            continue
        indent = len(line) - len(line.lstrip(" "))
        while stack[-1][0] >= indent:
            stack.pop()
        block = Block(stripped)
        stack[-1][1].children.append(block)
        stack.append((indent, block))
    return root
