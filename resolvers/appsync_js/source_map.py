"""Positions in a resolver's source, and text insertions that keep them recoverable.

The runtime runs a slightly edited copy of the user's code (import bindings on line 1, a CPU-time
tick in every function and loop body). Every edit is an insertion without a newline, so lines never
move; ``EditedSource`` remembers what it inserted on each line and maps a column that QuickJS
reports back to the user's own column.

Acorn (the parser) counts offsets in UTF-16 code units, as JavaScript does; Python indexes code
points. The two differ only after a character outside the Basic Multilingual Plane, so
``SourceText`` converts between them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field


class SourceText:
    """A source text with UTF-16 offset conversion and 1-based line/column lookup."""

    def __init__(self, text: str) -> None:
        self.text = text
        # UTF-16 offset at which each astral character (two code units) starts.
        self._astral_offsets: list[int] = []
        extra = 0
        for index, char in enumerate(text):
            if ord(char) > 0xFFFF:
                self._astral_offsets.append(index + extra)
                extra += 1
        self._line_starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]

    def index(self, utf16_offset: int) -> int:
        """The code-point index of a UTF-16 offset."""
        return utf16_offset - bisect_left(self._astral_offsets, utf16_offset)

    def location(self, index: int) -> tuple[int, int]:
        """1-based line and column of a code-point index."""
        line = bisect_right(self._line_starts, index)
        return line, index - self._line_starts[line - 1] + 1

    def node_location(self, node: dict) -> tuple[int, int, int]:
        """Line, column and span (in code points) of an ESTree node."""
        start, end = self.index(node["start"]), self.index(node["end"])
        line, column = self.location(start)
        return line, column, end - start


@dataclass(frozen=True)
class Insertion:
    """``text`` (no newline) inserted before the code point at ``index`` of the original.

    Insertions at the same index go in ``order``: a closing text (``closes``) before an opening
    one, the inner node's closing first and the outer node's opening first (``depth``)."""

    index: int
    text: str
    depth: int = 0
    closes: bool = False

    @property
    def order(self) -> tuple[int, int, int]:
        return (self.index, 0, -self.depth) if self.closes else (self.index, 1, self.depth)


@dataclass(frozen=True)
class EditedSource:
    """The original text with insertions applied, able to map positions back."""

    text: str
    # Per generated line: (generated column where an insertion starts, its length), ascending.
    inserted: dict[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, source: SourceText, insertions: list[Insertion]) -> EditedSource:
        ordered = sorted(insertions, key=lambda insertion: insertion.order)
        parts: list[str] = []
        per_line: dict[int, list[tuple[int, int]]] = {}
        shift_on_line: dict[int, int] = {}
        cursor = 0
        for insertion in ordered:
            if "\n" in insertion.text:
                raise ValueError("an insertion may not add a line")
            parts.append(source.text[cursor : insertion.index])
            parts.append(insertion.text)
            cursor = insertion.index
            line, column = source.location(insertion.index)
            generated_column = column + shift_on_line.get(line, 0)
            per_line.setdefault(line, []).append((generated_column, len(insertion.text)))
            shift_on_line[line] = shift_on_line.get(line, 0) + len(insertion.text)
        parts.append(source.text[cursor:])
        return cls("".join(parts), {line: tuple(spans) for line, spans in per_line.items()})

    def original(self, line: int, column: int) -> tuple[int, int]:
        """The user's line and column for a 1-based position in the edited text."""
        original_column = column
        for start, length in self.inserted.get(line, ()):
            if column >= start + length:
                original_column -= length
            elif column >= start:
                original_column -= column - start
        return line, max(original_column, 1)
