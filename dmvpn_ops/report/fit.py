"""Output that fits the terminal: columns (and line parts) drop before a word is broken.

Rich wraps a table cell at spaces and folds a word only when the column is narrower than the word; at
80 columns a 7-column table reaches that point and cuts host names mid-word. ``FitTable`` measures the
table the way rich will render it and drops its least important columns until the longest word of every
remaining column fits; ``FitParts`` does the same for one line made of separately useful parts.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

__all__ = ["FitColumn", "FitTable", "FitParts", "SMALL_CLOUD"]

SMALL_CLOUD = 24
"""Up to this many edges (verify) or hosts (deploy) every row is shown without ``--all``."""

_UNBOUNDED = 10_000


@dataclass(frozen=True)
class FitColumn:
    """A column and how much it matters: ``drop`` 0 is never dropped, higher numbers drop first."""

    header: str
    drop: int = 0
    style: str | None = None
    no_wrap: bool = False


@dataclass
class FitTable:
    """A rich table that drops columns (highest ``drop`` first) rather than break words."""

    columns: Sequence[FitColumn]
    rows: list[Sequence[str]] = field(default_factory=list)
    title: str | None = None

    def add_row(self, *cells: str) -> None:
        self.rows.append(cells)

    def build(self, keep: Sequence[int]) -> Table:
        table = Table(title=self.title, title_justify="left")
        for i in keep:
            col = self.columns[i]
            table.add_column(col.header, style=col.style, no_wrap=col.no_wrap, overflow="fold")
        for row in self.rows:
            table.add_row(*(row[i] for i in keep))
        return table

    def fitted(self, console: Console, width: int) -> Table:
        """The table with as many columns as fit ``width`` without folding a word."""
        keep = list(range(len(self.columns)))
        droppable = sorted((i for i, c in enumerate(self.columns) if c.drop), key=lambda i: -self.columns[i].drop)
        # rich clamps a measurement to the width it is given: measure unbounded to see the true minimum
        options = console.options.update_width(_UNBOUNDED)
        table = self.build(keep)
        while droppable and Measurement.get(console, options, table).minimum > width:
            keep.remove(droppable.pop(0))
            table = self.build(keep)
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.fitted(console, options.max_width)


@dataclass
class FitParts:
    """One line of parts, most important first: parts that do not fit the width are left out.

    The first ``keep`` parts always stay (they name the thing the line is about).
    """

    parts: Sequence[str]
    keep: int = 1
    separator: str = "  "

    def _texts(self) -> Iterator[Text]:
        for part in self.parts:
            yield Text.from_markup(part)

    def fitted(self, width: int) -> Text:
        texts = [t for t in self._texts() if t.plain]
        line = Text()
        for i, text in enumerate(texts):
            extra = (len(self.separator) if line.plain else 0) + text.cell_len
            if i >= self.keep and line.cell_len + extra > width:
                continue  # a later, shorter part may still fit
            if line.plain:
                line.append(self.separator)
            line.append_text(text)
        return line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.fitted(options.max_width)
