"""Fonts for every PDF the platform makes: certificates, attendance sheets, reports, tickets.

reportlab's standard fonts (Helvetica, Times, Courier) are not embedded and cover Latin-1 only:
"Łukasz Żółć" or "Nguyễn Thị Hằng" would not print. These are DejaVu fonts shipped in
`core/fonts/` (see its README for where they come from and their licence), embedded as subsets.

Each family is parsed once per process, when first used: certificate generation registers only
the serif, papers and tickets only the sans.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parent / "fonts"

SERIF, SERIF_BOLD = "EkrafSerif", "EkrafSerif-Bold"
SANS, SANS_BOLD = "EkrafSans", "EkrafSans-Bold"


def _family(regular: str, bold: str, regular_file: str, bold_file: str) -> None:
    pdfmetrics.registerFont(TTFont(regular, str(FONTS_DIR / regular_file)))
    pdfmetrics.registerFont(TTFont(bold, str(FONTS_DIR / bold_file)))
    # <b> in a Paragraph, and bold table headers, find the bold face of the family.
    addMapping(regular, 0, 0, regular)
    addMapping(regular, 1, 0, bold)
    addMapping(regular, 0, 1, regular)
    addMapping(regular, 1, 1, bold)


@cache
def register_serif() -> None:
    """DejaVu Serif, for certificates."""
    _family(SERIF, SERIF_BOLD, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf")


@cache
def register_sans() -> None:
    """DejaVu Sans, for papers and tickets."""
    _family(SANS, SANS_BOLD, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
