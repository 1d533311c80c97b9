"""Horizontal bar charts as inline SVG, written by hand at build time. Pure: values in, a string out.

Why not a charting library: the dashboard's charts are a few bars each. matplotlib or pygal would add
megabytes to the install, emit random element ids and embedded or external fonts (so two builds of the
same data would differ), and produce markup without a title, description or role for screen readers.
A hundred lines of string building give small, byte-identical, accessible SVG instead.

Layout (the viewBox is 400 user units wide and scales with its container, `width="100%"`): each bar
is a row with its label on its own line(s) above the bar and the formatted value just after the bar's
end. Bars run at most 250 units, leaving a fixed column on the right for the value of a full-length
bar; the track is the same in every chart, so charts given the same `max_value` share a scale. A value
too long for the space after its bar is drawn in white inside the bar's end instead. At 400 units,
15-unit text is still about 13 px on a 375 px phone.

Accessibility: `role="img"` with `aria-labelledby` naming the chart's `<title>` and `<desc>`. A
screen reader reads only those two, so `description` should state what the bars show (or the page
should offer the same figures as a table). Bars are the site's --brand colour (8.4:1 on white, over
the 3:1 non-text minimum), text its --ink (16.6:1), and a value drawn inside a bar white on --brand
(8.4:1); every value is printed, so colour carries no meaning alone. Every piece of text is
XML-escaped: labels are untrusted OCDS text.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

BAR_FILL = "#0b4f8a"  # --brand
TEXT_FILL = "#1b1f23"  # --ink
TEXT_ON_BAR = "#ffffff"  # --brand-ink

WIDTH = 400  # viewBox width in user units
TRACK = 250  # the length of a full bar; the rest is for its value
FONT_SIZE = 15
LINE_HEIGHT = 19  # between wrapped label lines
BAR_HEIGHT = 18
LABEL_GAP = 5  # from the label's baseline to the top of the bar
ROW_GAP = 14  # from the bottom of a bar to the top of the next row's label
VALUE_GAP = 6  # from the end of a bar to its value text
CHAR_WIDTH = 0.6  # a generous estimate of a glyph's advance, in ems (digits are ~0.55 in sans-serif fonts)
LABEL_CHARS = int(WIDTH / (FONT_SIZE * 0.55))  # wrap labels at about this many characters

# Characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/FFFF): dropped from untrusted text.
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Bar:
    label: str  # category label (e.g. a department name), untrusted text
    value: float  # >= 0; the bar length is proportional to it
    text: str  # the formatted value printed at the end of the bar (e.g. "$1,200,000" or "42%")


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[Bar], max_value: float | None = None,
              *, no_data: str = "No data") -> str:
    """Inline SVG markup (a str, to be inserted with |safe in a Jinja template) of a horizontal bar chart.

    Bars keep the given order. The scale runs from 0 to `max_value` (pass the same one to several charts
    to make them comparable; larger values are drawn at full length) or, by default, to the largest
    value. `no_data` is the text shown when there are no bars (pass it translated). Element ids are
    `<id>-title` and `<id>-desc`, where `<id>` is `chart_id` reduced to [a-z0-9-]; give each chart on a
    page its own `chart_id`.
    """
    values = [_checked(bar.value, "Bar.value") for bar in bars]
    scale = max(values, default=0.0) if max_value is None else _checked(max_value, "max_value")
    ident = slug(chart_id)
    out = []
    y = 0.0
    if not bars:
        out.append(f'<text x="0" y="{_num(FONT_SIZE)}">{_text(no_data)}</text>')
        y = FONT_SIZE + 5
    else:
        for bar, value in zip(bars, values, strict=True):
            lines = textwrap.wrap(_clean(bar.label), LABEL_CHARS) or [""]
            for i, line in enumerate(lines):
                out.append(f'<text x="0" y="{_num(y + FONT_SIZE + i * LINE_HEIGHT)}">{_text(line)}</text>')
            y += FONT_SIZE + (len(lines) - 1) * LINE_HEIGHT + LABEL_GAP
            length = TRACK * min(value, scale) / scale if scale > 0 else 0.0
            out.append(f'<rect x="0" y="{_num(y)}" width="{_num(length)}" height="{BAR_HEIGHT}" fill="{BAR_FILL}"/>')
            baseline = _num(y + BAR_HEIGHT / 2 + FONT_SIZE * 0.35)
            wide = len(_clean(bar.text)) * FONT_SIZE * CHAR_WIDTH
            if length + VALUE_GAP + wide > WIDTH and length >= wide + 2 * VALUE_GAP:
                out.append(f'<text x="{_num(length - VALUE_GAP)}" y="{baseline}" text-anchor="end" '
                           f'fill="{TEXT_ON_BAR}">{_text(bar.text)}</text>')
            else:
                out.append(f'<text x="{_num(length + VALUE_GAP)}" y="{baseline}">{_text(bar.text)}</text>')
            y += BAR_HEIGHT + ROW_GAP
        y -= ROW_GAP - 2
    height = _num(math.ceil(y))
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{ident}-title {ident}-desc" '
            f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
            f'font-size="{FONT_SIZE}" fill="{TEXT_FILL}">')
    return "\n".join([head, f'<title id="{ident}-title">{_text(title)}</title>',
                      f'<desc id="{ident}-desc">{_text(description)}</desc>', *out, "</svg>"])


def slug(chart_id: str) -> str:
    """`chart_id` as an id fragment: lower case, runs of anything but [a-z0-9-] turned into one hyphen."""
    return re.sub(r"[^a-z0-9-]+", "-", chart_id.lower()).strip("-") or "chart"


def _checked(value: float, name: str) -> float:
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, not {value!r}")
    return value


def _clean(text: str) -> str:
    """Untrusted text on one line, without the characters XML cannot hold."""
    return " ".join(NOT_XML.sub("", str(text)).split())


def _text(text: str) -> str:
    return escape(_clean(text), quote=True)


def _num(number: float) -> str:
    """A coordinate to one decimal, without float noise or a trailing `.0`."""
    formatted = f"{round(number, 1) + 0.0:.1f}"
    return formatted.removesuffix(".0")
