"""Charts drawn on the server as accessible SVG: no script, no network, readable by a screen
reader (role="img", a title and a description naming every value), with the numbers also in
the table beside each chart. The SVG scales to the width of a phone (viewBox, width 100%)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 600, 220, 48, 28, 12


def fmt(value, digits=1) -> str:
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"
    return text.replace(",", "\u2009").replace(".", ",")  # 1 234,5 (Indonesian)


def _svg(chart_id: str, title: str, desc: str, body: str, height: int) -> str:
    return (
        f'<svg class="ekraf-chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'xmlns="http://www.w3.org/2000/svg" focusable="false">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>{body}</svg>'
    )


def line(chart_id: str, title: str, points: list[tuple[str, float | None]]) -> str:
    """A line over months: points are (short label, value or None for no figure)."""
    known = [v for _l, v in points if v is not None]
    top = max(known, default=0) or 1
    inner_w = WIDTH - PAD_LEFT - 10
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = inner_w / max(len(points) - 1, 1)

    def xy(i, v):
        return PAD_LEFT + i * step, PAD_TOP + inner_h * (1 - v / top)

    parts = [
        f'<line x1="{PAD_LEFT}" y1="{PAD_TOP + inner_h}" x2="{WIDTH - 10}" '
        f'y2="{PAD_TOP + inner_h}" stroke="#6c757d"/>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + 10}" text-anchor="end" font-size="12" '
        f'fill="#212529">{escape(fmt(top))}</text>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + inner_h}" text-anchor="end" font-size="12" '
        f'fill="#212529">0</text>',
    ]
    path = [xy(i, v) for i, (_l, v) in enumerate(points) if v is not None]
    if len(path) > 1:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in path)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="#0a58ca" stroke-width="2.5"/>'
        )
    for i, (label, v) in enumerate(points):
        x = PAD_LEFT + i * step
        if v is not None:
            cx, cy = xy(i, v)
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="#0a58ca"/>')
        if len(points) <= 13 or i % 2 == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="11" '
                f'fill="#212529">{escape(label)}</text>'
            )
    desc = "; ".join(f"{label}: {fmt(v)}" for label, v in points)
    return mark_safe(_svg(chart_id, title, desc, "".join(parts), HEIGHT))  # noqa: S308 - escaped


def bars(chart_id: str, title: str, rows: list[tuple[str, float | None]], limit=12) -> str:
    """Horizontal bars, largest first (at most `limit`; the table lists all)."""
    rows = rows[:limit]
    bar_h, gap, label_w = 18, 6, 190
    height = max(len(rows), 1) * (bar_h + gap) + 8
    top = max((v or 0 for _l, v in rows), default=0) or 1
    inner_w = WIDTH - label_w - 70
    parts = []
    for i, (label, v) in enumerate(rows):
        y = 4 + i * (bar_h + gap)
        w = inner_w * (v or 0) / top
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="12" '
            f'fill="#212529">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#0a58ca"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" font-size="12" '
            f'fill="#212529">{escape(fmt(v))}</text>'
        )
    desc = "; ".join(f"{label}: {fmt(v)}" for label, v in rows)
    return mark_safe(_svg(chart_id, title, desc, "".join(parts), height))  # noqa: S308 - escaped
