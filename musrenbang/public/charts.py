"""Charts drawn on the server as SVG strings, so the page and the printed PDF show the same one.

No chart library and no script: each function returns a self-contained <svg> that scales to
its container (viewBox, width 100%) and names itself for screen readers (role="img", <title>,
<desc>). Every piece of text is escaped here, so the result is safe to insert as it is. The
page puts a table with the same figures beside each chart.

The page draws them as wide as a phone's column (PHONE, 360 px), so that on a phone their text
shows at about the size it is drawn: each label sits above its bar and wraps onto a second line
rather than being cut. The PDF draws them as wide as the A4 column (PAGE): each label sits in a
column of its own beside its bar, so a chart takes a line per row. Figures are written the way the
active language writes them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from textwrap import wrap

from django.utils.safestring import SafeString, mark_safe

from musrenbang.public.recap_format import count, share

PHONE = 360  # the page's charts, as wide as a phone's column
PAGE = 680  # the PDF's charts, as wide as the A4 column they are printed in
PAD = 8
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
CHAR = 8.4  # the width of a character of DejaVu Sans at 14 px, about
LABEL_LINES = 2  # past these a label is shortened: the table beside keeps it whole
LINE = 17  # the height of a line of label text


@dataclass(frozen=True)
class Frame:
    """How a chart of this width lays out its labels: above the bars when narrow, in a column
    of their own beside them when there is room for both."""

    width: int

    @property
    def label_room(self) -> int:
        """The width of the label column beside the bars; 0 when labels go above them."""
        return 260 if self.width >= 600 else 0

    @property
    def label_chars(self) -> int:
        room = self.label_room or self.width
        return int((room - 2 * PAD) // CHAR)

    @property
    def bars_x(self) -> int:
        return PAD + self.label_room

    @property
    def bars_span(self) -> int:
        return self.width - self.bars_x - PAD


# Fill and the text colour readable on it (both pairs above 4.5:1).
BRAND = ("#0a4a9c", "#ffffff")
GREEN = ("#1e6b34", "#ffffff")
RED = ("#a61e2d", "#ffffff")
AMBER = ("#f2b33d", "#000000")
GREY = ("#ced4da", "#000000")
PALETTE = (BRAND, AMBER, GREEN, RED, GREY)


def _text(value) -> str:
    return escape(str(value), quote=True)


def _lines(label, chars: int) -> list[str]:
    """The label in lines of at most chars, the last one shortened if it runs over."""
    lines = wrap(str(label), chars) or [""]
    if len(lines) > LABEL_LINES:
        last = " ".join(lines[LABEL_LINES - 1 :])
        lines = [*lines[: LABEL_LINES - 1], last[: chars - 1].rstrip() + "…"]
    return lines


def _label(label, frame: Frame, y: float) -> tuple[str, float]:
    """The label's <text>, its first baseline at y, and the height of its lines."""
    lines = _lines(label, frame.label_chars)
    x = PAD
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if i == 0 else LINE}">{_text(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{y}" fill="#212529">{spans}</text>', LINE * len(lines)


def _svg(
    chart_id: str, title, description: str, frame: Frame, height: float, body: list[str]
) -> SafeString:
    ident = _text(chart_id)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" '
        f'viewBox="0 0 {frame.width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="{FONT}" font-size="14">'
        f'<title id="{ident}-title">{_text(title)}</title>'
        f'<desc id="{ident}-desc">{_text(description)}</desc>' + "".join(body) + "</svg>"
    )


def _describe(pairs) -> str:
    return "; ".join(f"{label}: {value}" for label, value in pairs) + "."


def _row(label, frame: Frame, y: float, bar: int) -> tuple[str, float, float]:
    """A row's label and where its bar goes: (label, bar's top, the row's height). Above the
    bar when narrow; beside it, centred on the label's lines, when wide."""
    text, height = _label(label, frame, y + 14)
    if frame.label_room:
        top = y + max((height - bar) / 2, 0) + 2
        return text, top, max(height, bar + 4)
    return text, y + height + 3, height + 3 + bar


def bar_chart(
    *, chart_id: str, title, items: Sequence[tuple[str, int]], width: int = PHONE
) -> SafeString:
    """Horizontal bars, one per item, each labelled above or beside its bar with the value at
    its end."""
    frame = Frame(width)
    value_room = 72
    span = frame.bars_span - value_room
    top = max((value for _, value in items), default=0) or 1
    body, y = [], PAD
    for label, value in items:
        length = round(span * value / top, 1)
        text, bar, height = _row(label, frame, y, 14)
        body.append(
            text + f'<rect x="{frame.bars_x}" y="{bar}" width="{max(length, 1)}" height="14" '
            f'fill="{BRAND[0]}"><title>{_text(label)}: {count(value)}</title></rect>'
            f'<text x="{frame.bars_x + length + 6}" y="{bar + 12}" font-size="13" '
            f'fill="#212529">{count(value)}</text>'
        )
        y += height + 9
    description = _describe((label, count(value)) for label, value in items)
    return _svg(chart_id, title, description, frame, max(y, 2 * PAD + 40) + PAD - 9, body)


def funnel_chart(
    *, chart_id: str, title, stages: Sequence[tuple[str, int]], width: int = PHONE
) -> SafeString:
    """Centred bars narrowing stage by stage, joined by a light band; each stage shows its
    count and its share of the first stage."""
    frame = Frame(width)
    row, bar = 60, 24
    span = width - 2 * PAD
    first = stages[0][1] if stages else 0
    widths = [max(round(span * value / (first or 1), 1), 2) for _, value in stages]
    body = []
    for index, (label, value) in enumerate(stages):
        y = PAD + index * row
        length = widths[index]
        x = (width - length) / 2
        if index + 1 < len(stages):
            below = widths[index + 1]
            body.append(
                f'<polygon points="{x},{y + 20 + bar} {x + length},{y + 20 + bar} '
                f'{(width + below) / 2},{y + row + 20} {(width - below) / 2},{y + row + 20}" '
                f'fill="#dbe6f5"/>'
            )
        shade = ("#0a4a9c", "#2a66b5", "#4a80c8", "#1e6b34")[min(index, 3)]
        caption = f"{label}: {count(value)} ({share(value, first)})"
        body.append(
            f'<text x="{width / 2}" y="{y + 14}" text-anchor="middle" fill="#212529">'
            f"{_text(caption)}</text>"
            f'<rect x="{x}" y="{y + 20}" width="{length}" height="{bar}" fill="{shade}"/>'
        )
    description = _describe((label, count(value)) for label, value in stages)
    height = 2 * PAD + row * max(len(stages), 1) - 12
    return _svg(chart_id, title, description, frame, height, body)


def _legend(series: Sequence[tuple[str, tuple[str, str]]], frame: Frame) -> tuple[list[str], int]:
    """Colour keys laid out left to right, wrapping to a new line when the width runs out."""
    body, x, y = [], PAD, PAD
    for label, (fill, _) in series:
        needed = 22 + round(len(str(label)) * 7.6) + 18
        if x > PAD and x + needed > frame.width - PAD:
            x, y = PAD, y + 22
        body.append(
            f'<rect x="{x}" y="{y + 2}" width="14" height="14" fill="{fill}" stroke="#495057" '
            f'stroke-width="0.5"/><text x="{x + 20}" y="{y + 14}" font-size="13" '
            f'fill="#212529">{_text(label)}</text>'
        )
        x += needed
    return body, y + 22


def stacked_chart(
    *,
    chart_id: str,
    title,
    rows: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[tuple[str, tuple[str, str]]],
    width: int = PHONE,
) -> SafeString:
    """One 100 % bar per row, split into the series (label, (fill, text colour)); a segment
    wide enough carries its share."""
    frame = Frame(width)
    body, top = _legend(series, frame)
    bar = 20
    span = frame.bars_span
    y = top + 6
    for label, values in rows:
        total = sum(values)
        text, bar_top, height = _row(label, frame, y, bar)
        body.append(text)
        y += height + 6
        if not total:
            body.append(
                f'<rect x="{frame.bars_x}" y="{bar_top}" width="{span}" height="{bar}" '
                f'fill="none" stroke="#adb5bd" stroke-dasharray="4 3"/>'
            )
            continue
        x = frame.bars_x
        for (name, (fill, ink)), value in zip(series, values, strict=True):
            if not value:
                continue
            length = span * value / total
            part = share(value, total)
            body.append(
                f'<rect x="{round(x, 1)}" y="{bar_top}" width="{round(length, 1)}" '
                f'height="{bar}" fill="{fill}"><title>{_text(name)}: {count(value)} ({part})'
                f"</title></rect>"
            )
            if length >= len(part) * 8 + 8:
                body.append(
                    f'<text x="{round(x + length / 2, 1)}" y="{bar_top + 15}" '
                    f'text-anchor="middle" font-size="13" fill="{ink}">{_text(part)}</text>'
                )
            x += length
    description = "; ".join(
        f"{label}: "
        + ", ".join(
            f"{name} {count(value)} ({share(value, sum(values))})"
            for (name, _), value in zip(series, values, strict=True)
        )
        for label, values in rows
    )
    height = max(y, top + 52) + PAD - 6
    return _svg(chart_id, title, description + ".", frame, height, body)
