"""The period report for the committee's meeting ("Laporan Ekosistem Ekonomi Kreatif Kota
Malang, Januari–Juni 2026"): for each indicator its definition, a chart, its table and the
date of the data; the indicators not yet available are listed as such. Drawn with reportlab
in the embedded DejaVu Sans (ekraf.core.pdf), from the same rollups as the dashboard."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

from ekraf.core.pdf import SANS, SANS_BOLD, register_sans
from ekraf.core.selectors import current_city

from .charts import fmt
from .templatetags.insights import figure as figure_text

BASE = ParagraphStyle("base", fontName=SANS, fontSize=9, leading=11.5)
SMALL = ParagraphStyle("small", parent=BASE, fontSize=7.5, leading=9.5)
H1 = ParagraphStyle("h1", parent=BASE, fontName=SANS_BOLD, fontSize=15, leading=19)
H2 = ParagraphStyle("h2", parent=BASE, fontName=SANS_BOLD, fontSize=11, leading=14, spaceBefore=8)
BLUE = colors.HexColor("#0a58ca")
WIDTH = 180 * mm


def _p(text, style=BASE):
    return Paragraph(escape(str(text)), style)


def title_of(data) -> str:
    city = current_city()
    first, last = data.filters.first, data.filters.last
    if first.year == last.year:
        period = f"{date_format(first, 'F')}–{date_format(last, 'F Y')}"
    else:
        period = f"{date_format(first, 'F Y')}–{date_format(last, 'F Y')}"
    if first == last:
        period = date_format(last, "F Y")
    return _("Laporan Ekosistem Ekonomi Kreatif %(city)s, %(period)s") % {
        "city": city.name if city else "",
        "period": period,
    }


def line_drawing(points) -> Drawing:
    height = 45 * mm
    d = Drawing(WIDTH, height)
    known = [v for _l, v in points if v is not None]
    top = max(known, default=0) or 1
    left, bottom = 14 * mm, 8 * mm
    inner_w, inner_h = WIDTH - left - 4 * mm, height - bottom - 4 * mm
    step = inner_w / max(len(points) - 1, 1)
    d.add(Line(left, bottom, WIDTH - 4 * mm, bottom, strokeColor=colors.grey))
    d.add(
        String(
            left - 2, bottom + inner_h - 3, fmt(top), fontName=SANS, fontSize=7, textAnchor="end"
        )
    )
    d.add(String(left - 2, bottom - 2, "0", fontName=SANS, fontSize=7, textAnchor="end"))
    coords = []
    for i, (label, v) in enumerate(points):
        x = left + i * step
        d.add(String(x, 2, label, fontName=SANS, fontSize=6.5, textAnchor="middle"))
        if v is not None:
            y = bottom + inner_h * v / top
            coords.extend([x, y])
            d.add(Circle(x, y, 1.6, fillColor=BLUE, strokeColor=BLUE))
    if len(coords) > 2:
        d.add(PolyLine(coords, strokeColor=BLUE, strokeWidth=1.5))
    return d


def bar_drawing(rows) -> Drawing:
    rows = rows[:12]
    bar, gap, label_w = 4 * mm, 1.5 * mm, 55 * mm
    height = max(len(rows), 1) * (bar + gap) + 2 * mm
    d = Drawing(WIDTH, height)
    top = max((v or 0 for _l, v in rows), default=0) or 1
    inner = WIDTH - label_w - 20 * mm
    for i, (label, v) in enumerate(rows):
        y = height - (i + 1) * (bar + gap)
        w = inner * (v or 0) / top
        d.add(String(label_w - 2, y + 1, label[:34], fontName=SANS, fontSize=7, textAnchor="end"))
        d.add(Rect(label_w, y, w, bar, fillColor=BLUE, strokeColor=None))
        d.add(String(label_w + w + 2, y + 1, fmt(v), fontName=SANS, fontSize=7))
    return d


def _table(head, rows):
    table = Table([head, *rows], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), SANS),
            ("FONTNAME", (0, 0), (-1, 0), SANS_BOLD),
            ("FONTSIZE", (0, 0), (-1, -1), 7.5),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ]
    )
    return table


def build(data) -> bytes:
    register_sans()
    out = io.BytesIO()
    title = title_of(data)
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title,
        author=_("Komite Ekonomi Kreatif"),
        initialFontName=SANS,
    )
    asof = (
        date_format(timezone.localtime(data.refreshed_to), "j F Y H:i")
        if data.refreshed_to
        else _("belum direkap")
    )
    story = [
        _p(title, H1),
        Spacer(1, 2 * mm),
        _p(
            _("Data per %(date)s WIB (rekap bulanan). Dicetak %(now)s WIB.")
            % {"date": asof, "now": date_format(timezone.localtime(), "j F Y H:i")}
        ),
        _p(
            _("Angka tanpa penyamaran sel kecil: untuk rapat komite, bukan untuk diterbitkan."),
            SMALL,
        ),
    ]
    for series in data.series:
        ind = series.indicator
        part = [
            _p(f"{ind.code} · {ind.name}: {figure_text(series.total.figure, ind)}", H2),
            _p(_("Definisi: %(c)s") % {"c": ind.concept}, SMALL),
            _p(_("Rumus: %(f)s") % {"f": ind.formula}, SMALL),
        ]
        if ind.caveats:
            part.append(_p(_("Catatan: %(c)s") % {"c": ind.caveats}, SMALL))
        if series.not_filtered:
            part.append(_p(_("Tidak dipilah menurut: ") + ", ".join(series.not_filtered), SMALL))
        if series.has_series:
            part.append(
                line_drawing([(date_format(c.label, "M y"), c.figure) for c in series.months])
            )
            part.append(
                _table(
                    [_("Bulan"), _("Nilai")],
                    [
                        [date_format(c.label, "F Y"), figure_text(c.figure, ind)]
                        for c in series.months
                    ],
                )
            )
        if series.breakdowns:
            dim, heading, cells = series.breakdowns[0]
            if cells:
                part.append(Spacer(1, 2 * mm))
                part.append(bar_drawing([(c.label, c.figure) for c in cells]))
                part.append(
                    _table(
                        [heading, _("Nilai")],
                        [[c.label, figure_text(c.figure, ind)] for c in cells],
                    )
                )
        story.append(KeepTogether(part[:4]))
        story.extend(part[4:])
    if data.pending:
        story.append(_p(_("Indikator belum tersedia"), H2))
        for ind in data.pending:
            story.append(_p(f"{ind.code} · {ind.name} — {_('belum tersedia')}", SMALL))
    doc.build(story)
    return out.getvalue()


def response(data) -> HttpResponse:
    body = build(data)
    response = HttpResponse(body, content_type="application/pdf")
    name = f"laporan-ekraf-{data.filters.first:%Y%m}-{data.filters.last:%Y%m}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
