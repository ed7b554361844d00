"""The papers an organiser must print, sign and file: the attendance sheet (daftar hadir) of a
session, the activity report (laporan kegiatan), and the participant list as a spreadsheet.

Drawn with reportlab in DejaVu Sans, embedded (ekraf.core.pdf), so every participant's name
prints whatever its script and the text stays selectable and searchable; the spreadsheet is
written by the platform's one spreadsheet writer (ekraf.core.spreadsheets).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ekraf.core import spreadsheets
from ekraf.core.pdf import SANS, SANS_BOLD, register_sans
from ekraf.core.templatetags.ekraf import jam, tanggal_dokumen

from .notices import place_of

BASE = ParagraphStyle("base", fontName=SANS, fontSize=9, leading=11.5)
STYLES = {
    "base": BASE,
    "small": ParagraphStyle("small", parent=BASE, fontSize=8, leading=10),
    "cell": ParagraphStyle("cell", parent=BASE, fontSize=8.5, leading=10.5),
    "head": ParagraphStyle(
        "head", parent=BASE, fontName=SANS_BOLD, fontSize=13, leading=16, alignment=1
    ),
    "sub": ParagraphStyle("sub", parent=BASE, fontSize=10, leading=13, alignment=1),
    "sig_left": ParagraphStyle("sig_left", parent=BASE, fontSize=8, alignment=0),
    "sig_right": ParagraphStyle("sig_right", parent=BASE, fontSize=8, alignment=2),
    "h2": ParagraphStyle(
        "h2", parent=BASE, fontName=SANS_BOLD, fontSize=10.5, leading=14, spaceBefore=8
    ),
}


class _Table(Table):
    """A table whose cells default to the embedded sans (reportlab's default is Helvetica, which
    a table names in the PDF even when every cell holds a Paragraph)."""

    def __init__(self, data, *args, style=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.setStyle([("FONTNAME", (0, 0), (-1, -1), SANS)])
        if style is not None:
            self.setStyle(style)


GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("FONTNAME", (0, 0), (-1, 0), SANS_BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
)


def P(text, style="cell"):
    return Paragraph(escape(str(text if text is not None else "")), STYLES[style])


def _page_number(canvas, doc):
    canvas.saveState()
    canvas.setFont(SANS, 7.5)
    canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"Halaman {doc.page}")
    canvas.restoreState()


def _doc(out, title: str, author: str) -> SimpleDocTemplate:
    register_sans()
    return SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=title,
        author=author,
        initialFontName=SANS,  # no standard, unembedded font, not even in the page's setup
    )


def _signature(city_short_name: str, signer: str, role: str = "Penyelenggara,"):
    today = tanggal_dokumen(timezone.localdate())
    place = f"{city_short_name}, {today}" if city_short_name else today
    block = _Table(
        [
            [""],
            [P(place, "base")],
            [P(role, "base")],
            [Spacer(1, 18 * mm)],
            [P(signer or "(................................)", "base")],
        ],
        colWidths=[70 * mm],
    )
    block.hAlign = "RIGHT"
    return KeepTogether([Spacer(1, 6 * mm), block])


def origin_of(registration) -> str:
    """Where a participant comes from, as the sheet shows it: their institution or community,
    else their kelurahan and kecamatan."""
    if registration.origin:
        return registration.origin
    if registration.kelurahan_id:
        k = registration.kelurahan
        return f"{k.name}, {k.parent.name}" if k.parent_id else k.name
    return ""


def attendance_sheet_pdf(session, rows, *, city_short_name: str, signer: str = "") -> bytes:
    """Daftar hadir: no., name, origin, category, check-in time, and a signature column with the
    numbers staggered left/right as on the paper forms everyone knows."""
    training = session.training
    out = io.BytesIO()
    doc = _doc(out, f"Daftar hadir {training.title}", training.agency.name)
    sessions = list(training.sessions.all())
    number = next((i for i, s in enumerate(sessions, start=1) if s.pk == session.pk), 1)
    story = [
        P(training.agency.name.upper(), "sub"),
        P("DAFTAR HADIR PESERTA", "head"),
        P(training.title, "sub"),
        Spacer(1, 4 * mm),
        _Table(
            [
                [
                    P("Sesi", "base"),
                    P(
                        f": {number} dari {len(sessions)}"
                        + (f" — {session.title}" if session.title else ""),
                        "base",
                    ),
                ],
                [
                    P("Hari, tanggal", "base"),
                    P(
                        f": {_weekday(session.starts_at)}, {tanggal_dokumen(session.starts_at)}",
                        "base",
                    ),
                ],
                [
                    P("Waktu", "base"),
                    P(f": {jam(session.starts_at)}–{jam(session.ends_at)} WIB", "base"),
                ],
                [P("Tempat", "base"), P(f": {place_of(session)}", "base")],
            ],
            colWidths=[30 * mm, 150 * mm],
            hAlign="LEFT",
            style=[
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
            ],
        ),
        Spacer(1, 4 * mm),
    ]
    data = [[P("No."), P("Nama"), P("Asal"), P("Kategori"), P("Jam hadir"), P("Tanda tangan")]]
    for i, registration in enumerate(rows, start=1):
        checked = getattr(registration, "checked_in_at", None)
        data.append(
            [
                P(i),
                P(registration.full_name),
                P(origin_of(registration)),
                P(registration.category.name),
                P(jam(checked) if checked else ""),
                P(f"{i}. ..........", "sig_left" if i % 2 else "sig_right"),
            ]
        )
    if len(data) == 1:
        data.append([P(""), P("Belum ada peserta terkonfirmasi."), P(""), P(""), P(""), P("")])
    table = _Table(
        data,
        colWidths=[10 * mm, 52 * mm, 45 * mm, 22 * mm, 17 * mm, 34 * mm],
        repeatRows=1,
        rowHeights=[None] + [9 * mm] * (len(data) - 1),
    )
    table.setStyle(GRID)
    story += [table, _signature(city_short_name, signer)]
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return out.getvalue()


WEEKDAYS_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def _weekday(value) -> str:
    return WEEKDAYS_ID[timezone.localtime(value).weekday()]


def _num(value) -> str:
    """85 / 85,5 / 33,3 as Indonesian documents write numbers; "—" when there is none."""
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _pct(value) -> str:
    return "—" if value is None else f"{_num(value)}%"


def report_pdf(data, *, city_short_name: str, signer: str = "") -> bytes:
    """Laporan kegiatan: the training, numbers by category, gender and kecamatan, attendance
    and completion rates, pre/post averages, and what participants said."""
    t = data.training
    out = io.BytesIO()
    doc = _doc(out, f"Laporan kegiatan {t.title}", t.agency.name)
    first, last = (data.sessions[0], data.sessions[-1]) if data.sessions else (None, None)
    dates = "—"
    if first:
        dates = tanggal_dokumen(first.starts_at)
        if tanggal_dokumen(last.starts_at) != dates:
            dates += f" s.d. {tanggal_dokumen(last.starts_at)}"
    rule = f"hadir minimal {t.completion_min_attendance}% sesi"
    if t.completion_min_post_test is not None:
        rule += f", post-test minimal {_num(t.completion_min_post_test)}"
    story = [
        P(t.agency.name.upper(), "sub"),
        P("LAPORAN KEGIATAN", "head"),
        P(t.title, "sub"),
        Spacer(1, 3 * mm),
        P("1. Data kegiatan", "h2"),
    ]
    info = [
        ["Nama kegiatan", t.title],
        ["Jenis", t.get_kind_display()],
        ["Penyelenggara", t.agency.name],
        ["Sasaran", t.audience or "—"],
        ["Waktu", f"{dates} ({len(data.sessions)} sesi, {t.hours} JP)"],
        ["Tempat", "; ".join(sorted({place_of(s) for s in data.sessions})) or "—"],
        ["Status", t.get_status_display()],
        ["Syarat kelulusan", rule],
    ]
    story.append(_kv(info))
    story.append(P("2. Peserta", "h2"))
    rows = [["Kategori", "Kursi", "Terkonfirmasi", "Daftar tunggu", "Ditawari"]]
    for c in data.categories:
        rows.append([c.name, c.seats, c.confirmed, c.waiting, c.offered])
    rows.append(
        [
            "Jumlah",
            sum(c.seats for c in data.categories),
            data.confirmed,
            sum(c.waiting for c in data.categories),
            sum(c.offered for c in data.categories),
        ]
    )
    story.append(_grid(rows, [60, 25, 30, 30, 25]))
    d = data.demand
    seats = sum(c.seats for c in data.categories)
    story.append(P("Peminat dibanding kursi:", "small"))
    story.append(
        _grid(
            [
                ["Kursi", "Mendaftar", "Daftar tunggu", "Ditawari", "Menolak/tak menjawab"],
                [
                    seats,
                    d.get("applied", 0),
                    d.get("waitlisted", 0),
                    d.get("offered", 0),
                    d.get("declined", 0),
                ],
                ["Dibatalkan", "Tidak mendapat kursi", "Tidak lolos seleksi", "", ""],
                [d.get("cancelled", 0), d.get("unseated", 0), d.get("rejected", 0), "", ""],
            ],
            [30, 30, 30, 30, 50],
        )
    )
    story.append(P(f"Pendaftaran yang dibatalkan: {data.cancelled}.", "small"))
    story.append(Spacer(1, 2 * mm))
    story.append(
        _side_by_side(
            _grid([["Jenis kelamin", "Jumlah"], *data.by_gender], [40, 25]),
            _grid([["Kecamatan", "Jumlah"], *data.by_district], [55, 25]),
        )
    )
    story.append(P("3. Kehadiran", "h2"))
    rows = [["Sesi", "Tanggal", "Hadir", "Dari terkonfirmasi"]]
    for i, (session, n) in enumerate(data.attendance, start=1):
        rows.append([f"Sesi {i}", tanggal_dokumen(session.starts_at), n, data.confirmed])
    story.append(_grid(rows, [30, 45, 25, 40]))
    story.append(P(f"Tingkat kehadiran: {_pct(data.attendance_rate)}.", "base"))
    story.append(P("4. Hasil belajar dan kelulusan", "h2"))
    story.append(
        _kv(
            [
                ["Rata-rata pre-test", _num(data.pre_average)],
                ["Rata-rata post-test", _num(data.post_average)],
                [
                    "Lulus",
                    f"{data.completed} dari {data.confirmed} peserta ({_pct(data.completion_rate)})",
                ],
            ]
        )
    )
    story.append(P("5. Umpan balik peserta", "h2"))
    fb = data.feedback
    if fb.count:
        story.append(P(f"{fb.count} tanggapan, rata-rata {_num(fb.average)} dari 5.", "base"))
        story.append(
            _grid(
                [["Nilai", "Jumlah"], *[(f"{r} bintang", n) for r, n in fb.distribution]], [30, 25]
            )
        )
        rated = [a for a in fb.aspects if a.count]
        if len(rated) > 1:
            story.append(Spacer(1, 2 * mm))
            story.append(P("Penilaian per aspek (1–5):", "base"))
            story.append(
                _grid(
                    [
                        ["Aspek", "Rata-rata", "Tanggapan", "5", "4", "3", "2", "1"],
                        *[
                            [a.label, _num(a.average), a.count, *[n for _r, n in a.distribution]]
                            for a in rated
                        ],
                    ],
                    [40, 22, 22, 14, 14, 14, 14, 14],
                )
            )
        for question, texts in fb.open_answers:
            if texts:
                story.append(Spacer(1, 2 * mm))
                story.append(P(question, "base"))
                for answer in texts[:12]:
                    story.append(P(f"- \u201c{answer}\u201d", "small"))
        if fb.comments:
            story.append(Spacer(1, 2 * mm))
            story.append(P("Komentar terpilih:", "base"))
            for f in fb.comments[:12]:
                story.append(P(f"- \u201c{f.comment}\u201d ({f.rating}/5)", "small"))
    else:
        story.append(P("Belum ada umpan balik.", "base"))
    story.append(_signature(city_short_name, signer))
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return out.getvalue()


def _kv(rows):
    table = _Table(
        [[P(k, "base"), P(v, "base")] for k, v in rows],
        colWidths=[40 * mm, 140 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return table


def _grid(rows, widths_mm):
    table = _Table(
        [[P(c) for c in row] for row in rows], colWidths=[w * mm for w in widths_mm], hAlign="LEFT"
    )
    table.setStyle(GRID)
    return table


def _side_by_side(left, right):
    table = _Table([[left, right]], hAlign="LEFT")
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return table


def participants_sheet(training, rows, sessions, questions=(), answers=None):
    """The participant list as a spreadsheet sheet, one row per registration, for the one
    spreadsheet writer (a name such as "=HYPERLINK(…)" stays text, never a formula). `rows`
    come from selectors.participants, so hidden contacts are already blank. The training's
    own questions are columns at the end, `answers` {registration id: {question id: value}}
    (selectors.answers_by_registration)."""
    from .models import answer_text

    answers = answers or {}
    headers = [
        "No",
        "Kode tiket",
        "Nama",
        "Email",
        "Telepon",
        "Jenis kelamin",
        "Tahun lahir",
        "Kelurahan",
        "Kecamatan",
        "Asal/instansi",
        "Status peserta",
        "Kategori",
        "Status",
        "Terdaftar",
        *[f"Hadir sesi {i}" for i in range(1, len(sessions) + 1)],
        "Pre-test",
        "Post-test",
        "Lulus",
        "Keterangan",
        *[q.label for q in questions],
    ]

    def values():
        for i, r in enumerate(rows, start=1):
            checkins = getattr(r, "checkins", {})
            yield [
                i,
                r.ticket_code,
                r.full_name,
                r.email,
                r.phone,
                {"L": "Laki-laki", "P": "Perempuan"}.get(r.gender, ""),
                r.birth_year,
                r.kelurahan.name if r.kelurahan_id else "",
                r.kelurahan.parent.name if r.kelurahan_id and r.kelurahan.parent_id else "",
                r.origin,
                r.get_audience_display() if r.audience else "",
                r.category.name,
                r.get_status_display(),
                r.created_at,
                *[checkins[s.pk].checked_in_at if s.pk in checkins else None for s in sessions],
                r.pre_test_score,
                r.post_test_score,
                {True: "Ya", False: "Tidak"}.get(r.completed, ""),
                r.completion_reason,
                *[answer_text(answers.get(r.pk, {}).get(q.pk)) for q in questions],
            ]

    return spreadsheets.Sheet("Peserta", headers, values())
