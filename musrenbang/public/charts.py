"""Charts drawn on the server as SVG strings, so the page and the printed PDF show the same one.

No chart library and no script: each function returns a self-contained <svg> that scales to
its container (viewBox, width 100%) and names itself for screen readers (role="img", <title>,
<desc>). Every piece of text is escaped here, so the result is safe to insert as it is. The
page puts a table with the same figures beside each chart.
"""

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from areas.formatting import percent, thousands

WIDTH = 400
PAD = 8
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
LABEL_CHARS = 46  # longer labels are shortened on the chart; the table beside keeps them whole

# Fill and the text colour readable on it (both pairs above 4.5:1).
BRAND = ("#0a4a9c", "#ffffff")
GREEN = ("#1e6b34", "#ffffff")
RED = ("#a61e2d", "#ffffff")
AMBER = ("#f2b33d", "#000000")
GREY = ("#ced4da", "#000000")
PALETTE = (BRAND, AMBER, GREEN, RED, GREY)


def _text(value) -> str:
    return escape(str(value), quote=True)


def _short(label) -> str:
    label = str(label)
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


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
    row, value_room = 40, 72
    span = WIDTH - 2 * PAD - value_room
    top = max((value for _, value in items), default=0) or 1
    body = []
    for index, (label, value) in enumerate(items):
        y = PAD + index * row
        width = round(span * value / top, 1)
        body.append(
            f'<text x="{PAD}" y="{y + 14}" fill="#212529">{_text(_short(label))}</text>'
            f'<rect x="{PAD}" y="{y + 20}" width="{max(width, 1)}" height="14" '
            f'fill="{BRAND[0]}"><title>{_text(label)}: {thousands(value)}</title></rect>'
            f'<text x="{PAD + width + 6}" y="{y + 32}" font-size="13" fill="#212529">'
            f"{thousands(value)}</text>"
        )
    description = _describe((label, thousands(value)) for label, value in items)
    return _svg(chart_id, title, description, 2 * PAD + row * max(len(items), 1), body)


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
        caption = f"{label}: {thousands(value)} ({percent(value, first)})"
        body.append(
            f'<text x="{WIDTH / 2}" y="{y + 14}" text-anchor="middle" fill="#212529">'
            f"{_text(caption)}</text>"
            f'<rect x="{x}" y="{y + 20}" width="{width}" height="{bar}" fill="{shade}"/>'
        )
    description = _describe((label, thousands(value)) for label, value in stages)
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
    row, bar = 46, 20
    span = WIDTH - 2 * PAD
    for index, (label, values) in enumerate(rows):
        y = top + 6 + index * row
        total = sum(values)
        body.append(f'<text x="{PAD}" y="{y + 14}" fill="#212529">{_text(_short(label))}</text>')
        if not total:
            body.append(
                f'<rect x="{PAD}" y="{y + 20}" width="{span}" height="{bar}" fill="none" '
                f'stroke="#adb5bd" stroke-dasharray="4 3"/>'
            )
            continue
        x = PAD
        for (name, (fill, ink)), value in zip(series, values, strict=True):
            if not value:
                continue
            width = span * value / total
            share = percent(value, total)
            body.append(
                f'<rect x="{round(x, 1)}" y="{y + 20}" width="{round(width, 1)}" height="{bar}" '
                f'fill="{fill}"><title>{_text(name)}: {thousands(value)} ({share})</title></rect>'
            )
            if width >= len(share) * 7.5 + 8:
                body.append(
                    f'<text x="{round(x + width / 2, 1)}" y="{y + 35}" text-anchor="middle" '
                    f'font-size="12" fill="{ink}">{_text(share)}</text>'
                )
            x += width
    description = "; ".join(
        f"{label}: "
        + ", ".join(
            f"{name} {thousands(value)} ({percent(value, sum(values))})"
            for (name, _), value in zip(series, values, strict=True)
        )
        for label, values in rows
    )
    return _svg(chart_id, title, description + ".", top + 6 + row * max(len(rows), 1), body)
