"""Charts drawn on the server as SVG strings, so the page and the printed PDF show the same one.

No chart library and no script: each function returns a self-contained <svg> that scales to
its container (viewBox, width 100%) and names itself for screen readers (role="img", <title>,
<desc>). Every piece of text is escaped here, so the result is safe to insert as it is. The
page puts a table with the same figures beside each chart.

The charts are drawn as wide as a phone's column (360 px), so that on a phone their text shows
at about the size it is drawn; bars are horizontal and a long label wraps onto a second line
above its bar rather than being cut. Figures are written the way the active language writes them.
"""

from collections.abc import Sequence
from html import escape
from textwrap import wrap

from django.utils.safestring import SafeString, mark_safe

from musrenbang.public.recap_format import count, share

WIDTH = 360
PAD = 8
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
# What fits across the chart at 14 px (DejaVu Sans runs to about 8.4 px a character); a longer
# label wraps, and past LABEL_LINES lines it is shortened: the table beside keeps it whole.
LABEL_CHARS = (WIDTH - 2 * PAD) // 8.4
LABEL_LINES = 2
LINE = 17  # the height of a line of label text

# Fill and the text colour readable on it (both pairs above 4.5:1).
BRAND = ("#0a4a9c", "#ffffff")
GREEN = ("#1e6b34", "#ffffff")
RED = ("#a61e2d", "#ffffff")
AMBER = ("#f2b33d", "#000000")
GREY = ("#ced4da", "#000000")
PALETTE = (BRAND, AMBER, GREEN, RED, GREY)


def _text(value) -> str:
    return escape(str(value), quote=True)


def _lines(label) -> list[str]:
    """The label in lines of at most LABEL_CHARS, the last one shortened if it runs over."""
    lines = wrap(str(label), int(LABEL_CHARS)) or [""]
    if len(lines) > LABEL_LINES:
        last = " ".join(lines[LABEL_LINES - 1 :])
        lines = [*lines[: LABEL_LINES - 1], last[: int(LABEL_CHARS) - 1].rstrip() + "…"]
    return lines


def _label(label, x: float, y: float) -> tuple[str, float]:
    """The label's <text>, its first baseline at y, and the height of its lines."""
    lines = _lines(label)
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if i == 0 else LINE}">{_text(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{y}" fill="#212529">{spans}</text>', LINE * len(lines)


def _svg(chart_id: str, title, description: str, height: int, body: list[str]) -> SafeString:
    ident = _text(chart_id)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="{FONT}" font-size="14">'
        f'<title id="{ident}-title">{_text(title)}</title>'
        f'<desc id="{ident}-desc">{_text(description)}</desc>' + "".join(body) + "</svg>"
    )


def _describe(pairs) -> str:
    return "; ".join(f"{label}: {value}" for label, value in pairs) + "."


def bar_chart(*, chart_id: str, title, items: Sequence[tuple[str, int]]) -> SafeString:
    """Horizontal bars, one per item, each labelled above its bar with the value at its end."""
    value_room = 72
    span = WIDTH - 2 * PAD - value_room
    top = max((value for _, value in items), default=0) or 1
    body, y = [], PAD
    for label, value in items:
        width = round(span * value / top, 1)
        text, height = _label(label, PAD, y + 14)
        bar = y + height + 3
        body.append(
            text + f'<rect x="{PAD}" y="{bar}" width="{max(width, 1)}" height="14" '
            f'fill="{BRAND[0]}"><title>{_text(label)}: {count(value)}</title></rect>'
            f'<text x="{PAD + width + 6}" y="{bar + 12}" font-size="13" fill="#212529">'
            f"{count(value)}</text>"
        )
        y = bar + 14 + 9
    description = _describe((label, count(value)) for label, value in items)
    return _svg(chart_id, title, description, max(y, 2 * PAD + 40) + PAD - 9, body)


def funnel_chart(*, chart_id: str, title, stages: Sequence[tuple[str, int]]) -> SafeString:
    """Centred bars narrowing stage by stage, joined by a light band; each stage shows its
    count and its share of the first stage."""
    row, bar = 60, 24
    span = WIDTH - 2 * PAD
    first = stages[0][1] if stages else 0
    widths = [max(round(span * value / (first or 1), 1), 2) for _, value in stages]
    body = []
    for index, (label, value) in enumerate(stages):
        y = PAD + index * row
        width = widths[index]
        x = (WIDTH - width) / 2
        if index + 1 < len(stages):
            below = widths[index + 1]
            body.append(
                f'<polygon points="{x},{y + 20 + bar} {x + width},{y + 20 + bar} '
                f'{(WIDTH + below) / 2},{y + row + 20} {(WIDTH - below) / 2},{y + row + 20}" '
                f'fill="#dbe6f5"/>'
            )
        shade = ("#0a4a9c", "#2a66b5", "#4a80c8", "#1e6b34")[min(index, 3)]
        caption = f"{label}: {count(value)} ({share(value, first)})"
        body.append(
            f'<text x="{WIDTH / 2}" y="{y + 14}" text-anchor="middle" fill="#212529">'
            f"{_text(caption)}</text>"
            f'<rect x="{x}" y="{y + 20}" width="{width}" height="{bar}" fill="{shade}"/>'
        )
    description = _describe((label, count(value)) for label, value in stages)
    return _svg(chart_id, title, description, 2 * PAD + row * max(len(stages), 1) - 12, body)


def _legend(series: Sequence[tuple[str, tuple[str, str]]]) -> tuple[list[str], int]:
    """Colour keys laid out left to right, wrapping to a new line when the width runs out."""
    body, x, y = [], PAD, PAD
    for label, (fill, _) in series:
        needed = 22 + round(len(str(label)) * 7.6) + 18
        if x > PAD and x + needed > WIDTH - PAD:
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
) -> SafeString:
    """One 100 % bar per row, split into the series (label, (fill, text colour)); a segment
    wide enough carries its share."""
    body, top = _legend(series)
    bar = 20
    span = WIDTH - 2 * PAD
    y = top + 6
    for label, values in rows:
        total = sum(values)
        text, height = _label(label, PAD, y + 14)
        body.append(text)
        y += height + 3
        if not total:
            body.append(
                f'<rect x="{PAD}" y="{y}" width="{span}" height="{bar}" fill="none" '
                f'stroke="#adb5bd" stroke-dasharray="4 3"/>'
            )
            y += bar + 6
            continue
        x = PAD
        for (name, (fill, ink)), value in zip(series, values, strict=True):
            if not value:
                continue
            width = span * value / total
            part = share(value, total)
            body.append(
                f'<rect x="{round(x, 1)}" y="{y}" width="{round(width, 1)}" height="{bar}" '
                f'fill="{fill}"><title>{_text(name)}: {count(value)} ({part})</title></rect>'
            )
            if width >= len(part) * 8 + 8:
                body.append(
                    f'<text x="{round(x + width / 2, 1)}" y="{y + 15}" text-anchor="middle" '
                    f'font-size="13" fill="{ink}">{_text(part)}</text>'
                )
            x += width
        y += bar + 6
    description = "; ".join(
        f"{label}: "
        + ", ".join(
            f"{name} {count(value)} ({share(value, sum(values))})"
            for (name, _), value in zip(series, values, strict=True)
        )
        for label, values in rows
    )
    return _svg(chart_id, title, description + ".", max(y, top + 52) + PAD - 6, body)
