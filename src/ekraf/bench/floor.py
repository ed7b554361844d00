"""The certificate day's floor: the same page drawn with bare reportlab.

Same size (A4 landscape), same embedded fonts, the frame, the logo, the texts a certificate
prints, one signature image and the QR code (same error level and fixed mask) as vector
squares; no token signing, no PAdES signature, no database, no storage. What issuance costs beyond this is the price of making
the certificate real (numbering, signatures, storage, notification).
"""

from __future__ import annotations

import io
import time

import segno
from PIL import Image
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# The real page's reportlab settings (binary streams) and QR parameters, so the floor differs
# from issuance only by what issuance adds.
from ekraf.core.pdf import FONTS_DIR as FONTS  # the certificate's own font files
from ekraf.credentials import pdf as _credentials_pdf  # noqa: F401 - sets rl_config.useA85 = 0
from ekraf.credentials.tokens import QR_ERROR, QR_MASK

WIDTH, HEIGHT = landscape(A4)


def _fonts():
    if "FloorSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("FloorSerif", str(FONTS / "DejaVuSerif.ttf")))
        pdfmetrics.registerFont(TTFont("FloorSerif-Bold", str(FONTS / "DejaVuSerif-Bold.ttf")))


def _picture(size: int, colour) -> ImageReader:
    return ImageReader(Image.new("RGBA", (size, size), colour))


def draw(fields: dict, logo: ImageReader, signature: ImageReader) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(WIDTH, HEIGHT), pageCompression=1)
    c.rect(18, 18, WIDTH - 36, HEIGHT - 36)
    c.rect(25, 25, WIDTH - 50, HEIGHT - 50)
    c.drawImage(logo, WIDTH / 2 - 27, 500, 54, 54, mask="auto")
    lines = [
        ("FloorSerif-Bold", 12, 484, f"PEMERINTAH {fields['city_name'].upper()}"),
        ("FloorSerif-Bold", 12.5, 468, fields["agency_name"].upper()),
        ("FloorSerif-Bold", 30, 428, "E-SERTIFIKAT"),
        ("FloorSerif", 11, 408, f"Nomor: {fields['number']}"),
        ("FloorSerif", 12, 380, "diberikan kepada"),
        ("FloorSerif-Bold", 26, 350, fields["holder_name"]),
        ("FloorSerif", 12, 322, "telah mengikuti dan menyelesaikan"),
        ("FloorSerif-Bold", 15, 300, fields["training_title"]),
        ("FloorSerif", 11, 280, f"{fields['hours']} JP, {fields['place']}"),
        ("FloorSerif", 11, 170, f"Malang, {fields['issued_on']}"),
        ("FloorSerif-Bold", 11, 100, "Dr. Ir. Bambang Suprapto, M.Si."),
        ("FloorSerif", 9, 86, "NIP 196805121994031007"),
        ("FloorSerif", 7.5, 40, "E-sertifikat ini BUKAN sertifikat kompetensi profesi (BNSP)."),
    ]
    for font, size, y, text in lines:
        c.setFont(font, size)
        c.drawCentredString(WIDTH / 2, y, text)
    c.drawImage(signature, WIDTH / 2 - 60, 110, 120, 44, mask="auto")
    # The same QR as the real page: its error level and its fixed mask (ekraf.credentials.tokens).
    qr = segno.make(fields["url"], error=QR_ERROR, micro=False, boost_error=False, mask=QR_MASK)
    matrix = list(qr.matrix)
    module = 124 / len(matrix)
    path = c.beginPath()
    for row, bits in enumerate(matrix):
        for col, bit in enumerate(bits):
            if bit:
                path.rect(60 + col * module, 60 + (len(matrix) - row) * module, module, module)
    c.drawPath(path, stroke=0, fill=1)
    c.showPage()
    c.save()
    return out.getvalue()


def measure(certificates: list[dict], base_url: str) -> dict:
    """Seconds per page over the given certificates' fields (drawn once each)."""
    _fonts()
    logo = _picture(180, (31, 58, 95, 255))
    signature = _picture(240, (20, 30, 110, 255))
    draw({**certificates[0], "url": base_url + "/v/x"}, logo, signature)  # warm: font parsing
    started = time.perf_counter()
    size = 0
    for fields in certificates:
        size += len(draw({**fields, "url": f"{base_url}/v/{'x' * 260}"}, logo, signature))
    seconds = time.perf_counter() - started
    return {
        "pages": len(certificates),
        "seconds_per_page": seconds / len(certificates),
        "bytes_per_page": size // len(certificates),
    }
