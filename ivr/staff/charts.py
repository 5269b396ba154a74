"""Geometry for the overview's charts, drawn as inline SVG by the templates: no script, no library."""

from __future__ import annotations

from dataclasses import dataclass

LABEL_WIDTH = 210  # room for the step names on the left
BAR_WIDTH = 330
ROW_HEIGHT = 30


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal bar chart; `part` is a highlighted share of the bar (e.g. left here)."""

    label: str
    value: int
    y: int
    width: float
    part: int = 0
    part_width: float = 0.0

    @property
    def part_x(self) -> float:
        """Where the highlighted share starts: at the bar's right-hand end."""
        return LABEL_WIDTH + self.width - self.part_width


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart, ready to draw."""

    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH

    @property
    def width(self) -> int:
        """The whole drawing's width, with room for the numbers after the bars."""
        return self.label_width + self.bar_width + 190


def bar_chart(rows: list[tuple[str, int]] | list[tuple[str, int, int]]) -> BarChart:
    """Bars scaled to the largest value; each row is (label, value) or (label, value, highlighted part)."""
    largest = max((row[1] for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        label, value = row[0], row[1]
        part = row[2] if len(row) > 2 else 0
        width = BAR_WIDTH * value / largest
        part_width = width * part / value if value else 0.0
        bars.append(Bar(label, value, index * ROW_HEIGHT, round(width, 1), part, round(part_width, 1)))
    return BarChart(bars, len(rows) * ROW_HEIGHT)


@dataclass(frozen=True)
class Split:
    """One bar split in two, e.g. referrals completed and dropped."""

    first: int
    second: int
    width: int = 540

    @property
    def first_width(self) -> float:
        """Width of the first share."""
        total = self.first + self.second
        return round(self.width * self.first / total, 1) if total else 0.0
