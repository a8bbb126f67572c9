"""Bar charts as accessible SVG, drawn on the server with drawsvg.

The SVG goes inline in the page, under the strict CSP: drawsvg writes presentation attributes
(fill=, text-anchor=), never a style attribute, a <style> or a <script>. Each chart is an image
with a name and a description (role="img", <title>, <desc>, aria-labelledby); the page shows the
table behind it. Right to left, the labels stand on the right and the bars grow to the left.

Pure: plain values in, an SVG string out; no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import drawsvg as dw

WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 56
BAR_HEIGHT = 18
GAP = 8
LEGEND_HEIGHT = 24
FONT_SIZE = 13
# Contrast of at least 4.5:1 on white for the text, 3:1 for the bars (WCAG 1.4.11).
TEXT_COLOUR = "#212529"
SERIES_COLOURS = ("#1b5e20", "#0d47a1", "#8e2400", "#4a148c")


class Desc(dw.Title):
    """SVG's <desc>: the chart's description, read after its name."""

    TAG_NAME = "desc"


@dataclass(frozen=True)
class Bar:
    """One row of the chart: its label and one value per series. A value of None is a hidden
    figure (a small count): no bar, and `shown` in words instead of a number."""

    label: str
    values: tuple[float | None, ...]
    shown: tuple[str, ...]


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    series: Sequence[str] = (),
    rtl: bool = False,
) -> str:
    """Horizontal bars, one group per row and one bar per series (a legend when several)."""
    n_series = max((len(b.values) for b in bars), default=1)
    legend = LEGEND_HEIGHT if len(series) > 1 else 0
    group = n_series * BAR_HEIGHT + GAP
    height = legend + max(len(bars), 1) * group + GAP
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    drawing = dw.Drawing(
        WIDTH,
        height,
        id=chart_id,
        role="img",
        aria_labelledby=f"{title_id} {desc_id}",
        class_="chart",
        font_size=FONT_SIZE,
        direction="rtl" if rtl else "ltr",
    )
    drawing.append(dw.Title(title, id=title_id))
    drawing.append(Desc(description, id=desc_id))
    top = max((v for b in bars for v in b.values if v is not None), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH

    def x(start: float, length: float = 0) -> float:
        # The same layout read from the other side: mirror every horizontal position.
        return WIDTH - start - length if rtl else start

    def anchor(at_start: bool) -> str:
        # `direction` on the <svg> makes text's start its right end when right to left.
        return "start" if at_start else "end"

    if legend:
        step = (WIDTH - 8) / len(series)
        for i, name in enumerate(series):
            drawing.append(dw.Rectangle(x(i * step + 4, 12), 6, 12, 12, fill=_colour(i)))
            drawing.append(dw.Text(name, FONT_SIZE, x(i * step + 22), 16, text_anchor=anchor(True)))
    for row, bar in enumerate(bars):
        y = legend + row * group + GAP
        drawing.append(
            dw.Text(
                _clip(bar.label),
                FONT_SIZE,
                x(LABEL_WIDTH - 8),
                y + group / 2,
                text_anchor=anchor(False),
                fill=TEXT_COLOUR,
            )
        )
        for i, value in enumerate(bar.values):
            by = y + i * BAR_HEIGHT
            length = span * value / top if value else 0
            if length:
                drawing.append(
                    dw.Rectangle(
                        x(LABEL_WIDTH, length), by + 2, length, BAR_HEIGHT - 4, fill=_colour(i)
                    )
                )
            drawing.append(
                dw.Text(
                    bar.shown[i],
                    FONT_SIZE,
                    x(LABEL_WIDTH + length + 4),
                    by + BAR_HEIGHT - 5,
                    text_anchor=anchor(True),
                    fill=TEXT_COLOUR,
                )
            )
    # Inline in HTML: no XML declaration; the page says the language and direction.
    return drawing.as_svg(header="")


def _colour(i: int) -> str:
    return SERIES_COLOURS[i % len(SERIES_COLOURS)]


def _clip(label: str, limit: int = 28) -> str:
    # The full label is in the table beside the chart.
    return label if len(label) <= limit else label[: limit - 1] + "…"
