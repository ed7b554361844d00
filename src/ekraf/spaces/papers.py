"""The front desk's printed day schedule: every room held that day, when, by whom (organiser
and contact), how many people, and whether they checked in. Drawn with reportlab in the
platform's embedded fonts (ekraf.core.pdf), so every name prints whatever its script."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ekraf.core.pdf import SANS, SANS_BOLD, register_sans
from ekraf.core.templatetags.ekraf import jam, tanggal_dokumen

BASE = ParagraphStyle("spaces-base", fontName=SANS, fontSize=9, leading=11.5)
CELL = ParagraphStyle("spaces-cell", parent=BASE, fontSize=8.5, leading=10.5)
HEAD = ParagraphStyle("spaces-head", parent=BASE, fontName=SANS_BOLD, fontSize=13, leading=16)


def _p(text, style=CELL) -> Paragraph:
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def day_schedule_pdf(day, bookings, *, centre: str) -> bytes:
    register_sans()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=_("Jadwal ruang %(day)s") % {"day": tanggal_dokumen(day)},
    )
    story = [
        Paragraph(escape(_("Jadwal Ruang — %(centre)s") % {"centre": centre}), HEAD),
        _p(tanggal_dokumen(day), BASE),
        Spacer(1, 4 * mm),
    ]
    header = [
        _("Waktu (WIB)"),
        _("Ruang"),
        _("Kegiatan"),
        _("Penyelenggara"),
        _("Kontak"),
        _("Peserta"),
        _("Status"),
        _("Check-in"),
    ]
    rows = [[_p(h, ParagraphStyle("h", parent=CELL, fontName=SANS_BOLD)) for h in header]]
    for b in bookings:
        organiser = b.organisation or (b.requester.display_name if b.requester_id else "")
        contact = "\n".join(x for x in (b.contact_name, b.contact_phone) if x)
        rows.append(
            [
                _p(f"{jam(b.starts_at)}–{jam(b.ends_at)}"),
                _p(b.space.name),
                _p(b.title),
                _p(organiser),
                _p(contact),
                _p(b.attendees),
                _p(b.get_status_display()),
                _p(jam(b.checked_in_at) if b.checked_in_at else ""),
            ]
        )
    if len(rows) == 1:
        rows.append([_p(_("Tidak ada pemakaian ruang hari ini."))] + [""] * 7)
    widths = [24, 38, 62, 42, 40, 16, 26, 18]
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return buffer.getvalue()
