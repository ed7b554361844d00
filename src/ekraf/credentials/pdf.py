"""The certificate PDF: A4 landscape, drawn with reportlab, fonts embedded.

Everything that costs time and is the same for many certificates is prepared once per process
and reused: the fonts (parsed once by reportlab), logos and signature images (read from
storage once, scaled to their printed size, kept as ImageReaders keyed by file name).
The QR code is drawn as one vector path, so it stays sharp at any zoom and prints crisply.
"""

from __future__ import annotations

import io
import re
import threading

from django.core.files.storage import default_storage
from reportlab import rl_config
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from ekraf.core import uploads
from ekraf.core.pdf import SERIF, SERIF_BOLD, register_serif
from ekraf.core.templatetags.ekraf import MONTHS_ID, kind_and_title, tanggal_dokumen

from .models import Certificate, Kind

WIDTH, HEIGHT = landscape(A4)
REGULAR, BOLD = SERIF, SERIF_BOLD  # DejaVu Serif, embedded (ekraf.core.pdf)
NAVY = HexColor("#1f3a5f")
GOLD = HexColor("#b8923a")
GREY = HexColor("#4a4a4a")
# Points, quiet zone included: a version-10 QR (57 modules + 8 of quiet zone) gets 2.2 pt
# (0.78 mm) modules: 2.2 px each at 72 dpi, 4.6 px at 150 dpi (tests/credentials/test_qr.py).
QR_SIZE = 144
DISCLAIMER = (
    "E-sertifikat ini adalah bukti {what} pelatihan dan BUKAN sertifikat kompetensi profesi "
    "(BNSP). Sertifikat kompetensi hanya diterbitkan oleh Lembaga Sertifikasi Profesi (LSP) "
    "berlisensi BNSP."
)


# Binary (Flate) streams instead of ASCII85-wrapped ones: smaller files, less work per page.
rl_config.useA85 = 0


register_fonts = register_serif


_images: dict[str, ImageReader | None] = {}
_images_lock = threading.Lock()


def image(name: str, max_px: int) -> ImageReader | None:
    """A stored image scaled to at most `max_px`, cached per process (None if unreadable)."""
    if not name:
        return None
    key = f"{name}@{max_px}"
    if key in _images:
        return _images[key]
    with _images_lock:
        try:
            with default_storage.open(name, "rb") as fh:
                # Bounded as the upload gate bounds it (a logo or signature stored before the
                # gate, or shipped with the city's data, is never decoded whole).
                picture = uploads.decode_stored(fh.read(), max_px)
            if picture.mode not in ("RGB", "RGBA", "L", "LA"):
                picture = picture.convert("RGBA")
            reader = ImageReader(picture)
        except (OSError, ValueError):
            return None  # not cached: the file may appear later
        if len(_images) > 256:
            _images.clear()
        _images[key] = reader
        return reader


def forget_images() -> None:
    _images.clear()


def date_range(start, end) -> str:
    """'25 Januari 2024', '20–21 Januari 2024', '30 Januari – 2 Februari 2024'."""
    if not start:
        return ""
    if not end or end == start:
        return tanggal_dokumen(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}\u2013{end.day} {MONTHS_ID[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {MONTHS_ID[start.month - 1]} \u2013 {tanggal_dokumen(end)}"
    return f"{tanggal_dokumen(start)} \u2013 {tanggal_dokumen(end)}"


def _centred(c, text: str, y: float, font: str, size: float, max_width: float = 720) -> None:
    while size > 8 and pdfmetrics.stringWidth(text, font, size) > max_width:
        size -= 0.5
    c.setFont(font, size)
    c.drawCentredString(WIDTH / 2, y, text)


def _paragraph(c, text: str, y: float, font: str, size: float, width: float, leading: float):
    lines = simpleSplit(text, font, size, width)
    c.setFont(font, size)
    for line in lines:
        c.drawCentredString(WIDTH / 2, y, line)
        y -= leading
    return y


QR_BORDER = 4  # modules of quiet zone, as the standard asks
_DARK_RUN = re.compile(b"\x01+")


def _qr(c, qr, x: float, y: float, size: float) -> None:
    """The QR as one path of filled runs (with its white quiet zone).

    The runs are found in segno's matrix (bytearrays of 0/1) by a regular expression: walking
    it module by module in Python, through matrix_iter, cost more than drawing the page's text.
    """
    matrix = qr.matrix
    module = size / (len(matrix) + 2 * QR_BORDER)
    c.setFillColor(white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    path = c.beginPath()
    left = x + QR_BORDER * module
    top = y + size - QR_BORDER * module
    for r, row in enumerate(matrix):
        bottom = top - (r + 1) * module
        for run in _DARK_RUN.finditer(row):
            start, end = run.span()
            path.rect(left + start * module, bottom, (end - start) * module, module)
    c.drawPath(path, stroke=0, fill=1)


def _signatory(c, signatory: dict, centre: float, header: str | None) -> None:
    c.setFillColor(GREY)
    y = 196
    if header:
        c.setFont(REGULAR, 10)
        c.drawCentredString(centre, y, header)
    y -= 14
    c.setFont(REGULAR, 9)
    for line in simpleSplit(signatory.get("title", ""), REGULAR, 9, 200)[:2]:
        c.drawCentredString(centre, y, line)
        y -= 11
    picture = image(signatory.get("signature", ""), 280)
    if picture is not None:
        c.drawImage(picture, centre - 60, 116, 120, 44, preserveAspectRatio=True, mask="auto")
    c.setFillColorRGB(0, 0, 0)
    name = signatory.get("name", "")
    size = 10.5
    while size > 7 and pdfmetrics.stringWidth(name, BOLD, size) > 210:
        size -= 0.5
    c.setFont(BOLD, size)
    c.drawCentredString(centre, 104, name)
    width = pdfmetrics.stringWidth(name, BOLD, size)
    c.setLineWidth(0.6)
    c.line(centre - width / 2, 101.5, centre + width / 2, 101.5)
    if signatory.get("nip"):
        c.setFont(REGULAR, 9)
        c.drawCentredString(centre, 91, f"NIP. {signatory['nip']}")


def render(
    cert: Certificate, *, qr, logo_name: str, city_name: str, verify_url: str, watermark: str = ""
) -> bytes:
    """One certificate as PDF bytes (not yet signed). `watermark` is written across the page
    (a preview: "CONTOH")."""
    register_fonts()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(WIDTH, HEIGHT), pageCompression=1, initialFontName=REGULAR)
    kind_word = "KELULUSAN" if cert.kind == Kind.COMPLETION else "KEIKUTSERTAAN"
    c.setTitle(f"E-Sertifikat {cert.number}")
    c.setAuthor(cert.agency_name)
    c.setSubject(f"E-sertifikat {kind_word.lower()}: {cert.training_title}")
    c.setCreator("Ekraf")

    # Frame.
    c.setStrokeColor(NAVY)
    c.setLineWidth(3)
    c.rect(18, 18, WIDTH - 36, HEIGHT - 36)
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.8)
    c.rect(25, 25, WIDTH - 50, HEIGHT - 50)

    # Header: logo, city, agency.
    logo = image(logo_name, 180)
    if logo is not None:
        c.drawImage(logo, WIDTH / 2 - 27, 500, 54, 54, preserveAspectRatio=True, mask="auto")
    c.setFillColor(NAVY)
    if city_name:
        _centred(c, f"PEMERINTAH {city_name.upper()}", 484, BOLD, 12)
    _centred(c, cert.agency_name.upper(), 468, BOLD, 12.5)

    # Title and number.
    c.setFillColor(NAVY)
    _centred(c, "E-SERTIFIKAT", 428, BOLD, 30)
    c.setFillColor(GOLD)
    _centred(c, kind_word, 408, BOLD, 13)
    c.setFillColor(GREY)
    _centred(c, f"Nomor: {cert.number}", 391, REGULAR, 10)

    # Holder.
    _centred(c, "diberikan kepada", 363, REGULAR, 11)
    c.setFillColorRGB(0, 0, 0)
    _centred(c, cert.holder_name, 334, BOLD, 24, max_width=680)
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.8)
    c.line(WIDTH / 2 - 210, 325, WIDTH / 2 + 210, 325)

    # What for.
    action = (
        "atas keberhasilannya menyelesaikan"
        if cert.kind == Kind.COMPLETION
        else "atas keikutsertaannya dalam"
    )
    what_training = kind_and_title(cert.training_kind, cert.training_title)
    sentence = f"{action} {what_training} yang diselenggarakan oleh {cert.agency_name}"
    when = date_range(cert.starts_on, cert.ends_on)
    if when:
        sentence += f" pada {when}"
    if cert.place:
        sentence += f" di {cert.place}"
    if cert.hours:
        sentence += f", sebanyak {cert.hours} jam pelajaran (JP)"
    c.setFillColor(GREY)
    _paragraph(c, sentence + ".", 304, REGULAR, 11.5, 640, 15)

    # Disclaimer.
    what = "kelulusan" if cert.kind == Kind.COMPLETION else "keikutsertaan"
    c.setFillColor(NAVY)
    _paragraph(c, DISCLAIMER.format(what=what), 232, REGULAR, 8, 620, 10)

    # Signatories (one or two); place and date above the right-most.
    signing = (
        f"{cert.signing_place}, {tanggal_dokumen(cert.issued_on)}"
        if cert.signing_place
        else tanggal_dokumen(cert.issued_on)
    )
    people = cert.signatories[:2]
    centres = [690] if len(people) <= 1 else [480, 690]
    for i, (person, centre) in enumerate(zip(people, centres, strict=False)):
        _signatory(c, person, centre, signing if i == len(people) - 1 else None)

    # QR, code, where to verify.
    _qr(c, qr, 40, 34, QR_SIZE)
    text_x = 40 + QR_SIZE + 6
    c.setFillColor(GREY)
    c.setFont(REGULAR, 8.5)
    c.drawString(text_x, 130, "Kode verifikasi")
    c.setFillColorRGB(0, 0, 0)
    c.setFont(BOLD, 12)
    c.drawString(text_x, 115, cert.display_code)
    c.setFillColor(GREY)
    c.setFont(REGULAR, 8)
    c.drawString(text_x, 100, "Pindai QR atau buka")
    c.drawString(text_x, 89, verify_url)
    c.drawString(text_x, 78, "untuk memeriksa keaslian.")

    if watermark:
        _watermark(c, watermark)
    c.showPage()
    c.save()
    return out.getvalue()


def _watermark(c, text: str) -> None:
    """Big, diagonal, semi-transparent: a preview can never pass for a certificate."""
    c.saveState()
    c.setFillColorRGB(0.8, 0.1, 0.1, alpha=0.28)
    c.translate(WIDTH / 2, HEIGHT / 2)
    c.rotate(24)
    c.setFont(BOLD, 110)
    c.drawCentredString(0, -10, text)
    c.setFont(BOLD, 20)
    c.drawCentredString(0, -48, "TIDAK BERLAKU · BELUM BERNOMOR")
    c.restoreState()
