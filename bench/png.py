"""A bar chart as a PNG, drawn with the standard library only (zlib + struct).

Why not matplotlib: the project's dependencies are the emulator's own, and one chart in the
benchmark report does not justify a plotting stack (and its native wheels) for every user who
runs ``make bench``. Bars, axes and a 3x5 pixel font are all this chart needs.
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

Color = tuple[int, int, int]
WHITE: Color = (255, 255, 255)
BLACK: Color = (30, 30, 30)
GRID: Color = (225, 225, 225)
BLUE: Color = (52, 101, 164)
GREY: Color = (160, 160, 160)
ORANGE: Color = (230, 140, 40)

# 3x5 glyphs, rows top to bottom, "#" = ink
_FONT = {
    "0": "### #.# #.# #.# ###", "1": ".#. ##. .#. .#. ###", "2": "### ..# ### #.. ###", "3": "### ..# ### ..# ###",
    "4": "#.# #.# ### ..# ..#", "5": "### #.. ### ..# ###", "6": "### #.. ### #.# ###", "7": "### ..# .#. .#. .#.",
    "8": "### #.# ### #.# ###", "9": "### #.# ### ..# ###", "A": ".#. #.# ### #.# #.#", "B": "##. #.# ##. #.# ##.",
    "C": "### #.. #.. #.. ###", "D": "##. #.# #.# #.# ##.", "E": "### #.. ##. #.. ###", "F": "### #.. ##. #.. #..",
    "G": "### #.. #.# #.# ###", "H": "#.# #.# ### #.# #.#", "I": "### .#. .#. .#. ###", "J": "..# ..# ..# #.# ###",
    "K": "#.# #.# ##. #.# #.#", "L": "#.. #.. #.. #.. ###", "M": "#.# ### ### #.# #.#", "N": "##. #.# #.# #.# #.#",
    "O": "### #.# #.# #.# ###", "P": "### #.# ### #.. #..", "Q": "### #.# #.# ### ..#", "R": "### #.# ##. #.# #.#",
    "S": "### #.. ### ..# ###", "T": "### .#. .#. .#. .#.", "U": "#.# #.# #.# #.# ###", "V": "#.# #.# #.# #.# .#.",
    "W": "#.# #.# ### ### #.#", "X": "#.# #.# .#. #.# #.#", "Y": "#.# #.# .#. .#. .#.", "Z": "### ..# .#. #.. ###",
    " ": "... ... ... ... ...", ".": "... ... ... ... .#.", ",": "... ... ... .#. #..", ":": "... .#. ... .#. ...",
    "-": "... ... ### ... ...", "(": ".#. #.. #.. #.. .#.", ")": ".#. ..# ..# ..# .#.", "/": "..# ..# .#. #.. #..",
    "=": "... ### ... ### ...", "%": "#.# ..# .#. #.. #.#", "_": "... ... ... ... ###",
}


class Canvas:
    """An RGB pixel buffer with the few drawing operations a bar chart needs."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self._rows = [bytearray(bytes(WHITE) * width) for _ in range(height)]

    def rect(self, x0: int, y0: int, x1: int, y1: int, color: Color) -> None:
        x0, x1 = max(0, min(x0, x1)), min(self.width, max(x0, x1))
        y0, y1 = max(0, min(y0, y1)), min(self.height, max(y0, y1))
        run = bytes(color) * (x1 - x0)
        for y in range(y0, y1):
            self._rows[y][x0 * 3 : x1 * 3] = run

    def text(self, x: int, y: int, text: str, color: Color = BLACK, scale: int = 2) -> int:
        """Draw upper-cased ``text`` with its top-left at (x, y); returns the x after it."""
        for char in text.upper():
            rows = _FONT.get(char, _FONT[" "]).split()
            for row, bits in enumerate(rows):
                for column, bit in enumerate(bits):
                    if bit == "#":
                        self.rect(x + column * scale, y + row * scale, x + (column + 1) * scale, y + (row + 1) * scale, color)
            x += 4 * scale
        return x

    @staticmethod
    def text_width(text: str, scale: int = 2) -> int:
        return len(text) * 4 * scale

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(row) for row in self._rows)

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


@dataclass(frozen=True)
class Series:
    label: str
    color: Color
    values: tuple[float, ...]


@dataclass(frozen=True)
class Panel:
    """Grouped bars: one group per category, one bar per series."""

    title: str
    unit: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    log_scale: bool = False


def draw_panel(canvas: Canvas, panel: Panel, top: int, height: int) -> None:
    left, right = 70, canvas.width - 20
    plot_top, plot_bottom = top + 50, top + height - 40
    canvas.text(left, top + 6, panel.title, scale=3)
    legend_x = left
    for series in panel.series:
        canvas.rect(legend_x, top + 30, legend_x + 12, top + 42, series.color)
        legend_x = canvas.text(legend_x + 18, top + 31, series.label) + 24
    peak = max(max(s.values) for s in panel.series) or 1.0
    floor = min(min(v for v in s.values if v > 0) for s in panel.series) if panel.log_scale else 0.0

    def y_of(value: float) -> int:
        if panel.log_scale:
            low, high = math.log10(max(floor / 2, 1e-3)), math.log10(peak * 1.3)
            share = (math.log10(max(value, 1e-3)) - low) / (high - low)
        else:
            share = value / (peak * 1.15)
        return plot_bottom - int(max(0.0, min(1.0, share)) * (plot_bottom - plot_top))

    for tick in _ticks(floor, peak, panel.log_scale):
        y = y_of(tick)
        canvas.rect(left, y, right, y + 1, GRID)
        label = f"{tick:g}"
        canvas.text(left - 8 - canvas.text_width(label), y - 5, label)
    canvas.text(8, plot_top - 16, panel.unit)
    canvas.rect(left, plot_bottom, right, plot_bottom + 2, BLACK)
    group_width = (right - left) / len(panel.categories)
    bar_width = int(group_width * 0.7 / len(panel.series))
    for index, category in enumerate(panel.categories):
        x = int(left + index * group_width + group_width * 0.15)
        for series in panel.series:
            value = series.values[index]
            canvas.rect(x, y_of(value), x + bar_width, plot_bottom, series.color)
            label = f"{value:.1f}" if value < 100 else f"{value:.0f}"
            canvas.text(x + (bar_width - canvas.text_width(label, 1)) // 2, y_of(value) - 8, label, scale=1)
            x += bar_width
        centre = int(left + (index + 0.5) * group_width)
        canvas.text(centre - canvas.text_width(category) // 2, plot_bottom + 10, category)


def _ticks(low: float, high: float, log_scale: bool) -> list[float]:
    if log_scale:
        start = math.floor(math.log10(max(low / 2, 1e-3)))
        return [10.0**power for power in range(start, math.ceil(math.log10(high * 1.3)) + 1) if 10.0**power <= high * 1.3]
    step = 10 ** math.floor(math.log10(high or 1))
    if high / step < 3:
        step /= 2
    return [step * n for n in range(0, int(high * 1.15 / step) + 1)]


def write_chart(path: Path, panels: list[Panel], width: int = 960, panel_height: int = 330) -> None:
    canvas = Canvas(width, panel_height * len(panels))
    for number, panel in enumerate(panels):
        draw_panel(canvas, panel, number * panel_height, panel_height)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(canvas.png())
