"""Ticket QR codes (SVG and PNG, served by our own views) and the ticket PDF.

The QR holds only the ticket code (10 Crockford characters; 8 on older tickets): a small, version-1 code that any
phone camera reads fast at the door, and the same thing a person can type when the camera
fails. Nothing personal is in it.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A6
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from ekraf.core.pdf import SANS, SANS_BOLD, register_sans
from ekraf.core.templatetags.ekraf import jam, tanggal_dokumen

from .notices import display_code, place_of


def qr(content: str):
    return segno.make(content, error="m", micro=False)


def qr_svg(content: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    qr(content).save(out, kind="svg", scale=scale, border=4, xmldecl=False, dark="#000")
    return out.getvalue()


def qr_png(content: str, scale: int = 10) -> bytes:
    out = io.BytesIO()
    qr(content).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


class QRFlowable(Flowable):
    """A QR code drawn as vector squares (sharp at any zoom and when printed)."""

    def __init__(self, content: str, size: float):
        super().__init__()
        self.code = qr(content)
        self.size = size
        self.width = self.height = size
        self.hAlign = "CENTER"

    def draw(self):
        rows = list(self.code.matrix_iter(scale=1, border=4))
        module = self.size / len(rows)
        canvas = self.canv
        canvas.setFillColor(colors.white)
        canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        for y, row in enumerate(rows):
            for x, dark in enumerate(row):
                if dark:
                    canvas.rect(
                        x * module, self.size - (y + 1) * module, module, module, stroke=0, fill=1
                    )


def _styles():
    # DejaVu Sans, embedded: the person's name prints whatever its script (ekraf.core.pdf).
    register_sans()
    base = ParagraphStyle("base", fontName=SANS, fontSize=8.5, leading=11)
    return {
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, textColor=colors.grey),
        "title": ParagraphStyle("title", parent=base, fontName=SANS_BOLD, fontSize=11, leading=14),
        "name": ParagraphStyle("name", parent=base, fontName=SANS_BOLD, fontSize=10, leading=13),
        "code": ParagraphStyle(
            "code", parent=base, fontName=SANS_BOLD, fontSize=16, leading=20, alignment=1
        ),
        "base": base,
    }


def ticket_pdf(registration, sessions, platform_name: str) -> bytes:
    """An A6 ticket: training, person, schedule, QR and the typed code."""
    out = io.BytesIO()
    training = registration.training
    doc = SimpleDocTemplate(
        out,
        pagesize=A6,
        leftMargin=8 * mm,
        rightMargin=8 * mm,
        topMargin=7 * mm,
        bottomMargin=7 * mm,
        title=f"Tiket {training.title}",
        author=training.agency.name,
        initialFontName=SANS,
    )
    s = _styles()
    story = [
        Paragraph(escape(f"{platform_name} · {training.agency.short_name}"), s["small"]),
        Spacer(1, 2 * mm),
        Paragraph(escape(training.title), s["title"]),
        Spacer(1, 2 * mm),
        Paragraph(escape(registration.full_name), s["name"]),
        Paragraph(escape(f"Kategori {registration.category.name}"), s["base"]),
        Spacer(1, 2 * mm),
    ]
    for session in sessions:
        line = (
            f"{tanggal_dokumen(session.starts_at)}, {jam(session.starts_at)}–{jam(session.ends_at)} WIB"
            f" · {place_of(session)}"
        )
        story.append(Paragraph(escape(line), s["base"]))
    story += [
        Spacer(1, 3 * mm),
        QRFlowable(registration.ticket_code, 42 * mm),
        Paragraph(escape(display_code(registration.ticket_code)), s["code"]),
        Paragraph(
            escape("Tunjukkan QR ini di pintu masuk, atau sebutkan kodenya kepada petugas."),
            s["small"],
        ),
    ]
    doc.build(story)
    return out.getvalue()


def email_attachments(public_id: str) -> list[tuple[str, bytes, str]]:
    """The ticket as e-mail attachments (QR image and PDF), built by the worker when the
    confirmation is sent; nothing if the seat was given up in the meantime."""
    from ekraf.core.selectors import current_city

    from .models import Registration

    registration = (
        Registration.objects.select_related("training__agency", "category")
        .filter(public_id=public_id, status=Registration.Status.CONFIRMED)
        .first()
    )
    if registration is None:
        return []
    sessions = list(registration.training.sessions.select_related("space"))
    city = current_city()
    pdf = ticket_pdf(registration, sessions, city.platform_name if city else "Ekraf")
    code = registration.ticket_code
    return [
        (f"tiket-{code}.png", qr_png(code), "image/png"),
        (f"tiket-{code}.pdf", pdf, "application/pdf"),
    ]
