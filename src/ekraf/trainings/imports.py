"""Reading a quiz export (Google Forms CSV/XLSX, or a hand-made sheet) into rows of text.

Google Forms exports a quiz as one row per response with "Timestamp", "Email Address" and
"Score" ("8 / 10") — in Indonesian "Stempel waktu", "Alamat email", "Skor". Organisers often
add a WhatsApp number or the ticket code as a question. Columns are recognised by name, in
either language; the score may be "8 / 10", "80", or "85,5".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ekraf.core import spreadsheets
from ekraf.core.spreadsheets import Limits

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
LINE = "__line__"  # each row remembers its line in the file, for the problem list


class ImportFileError(ValueError):
    """The file cannot be read; the message says why, for the organiser."""


@dataclass
class Columns:
    score: str | None = None
    email: str | None = None
    phone: str | None = None
    code: str | None = None
    timestamp: str | None = None


_PATTERNS = {
    "timestamp": re.compile(r"^(timestamp|stempel\s*waktu|waktu|cap\s*waktu)$"),
    "score": re.compile(r"^(score|skor|nilai|total\s*(score|skor|nilai)|points?|poin)$"),
    "email": re.compile(r"(e-?mail)"),
    "phone": re.compile(r"(whats\s*app|\bwa\b|telepon|telp|phone|\bhp\b|ponsel|nomor\s*hp)"),
    "code": re.compile(r"(kode\s*tiket|ticket|tiket)"),
}


def identify_columns(headers) -> Columns:
    found = Columns()
    for header in headers:
        if header == LINE:
            continue
        key = re.sub(r"\s+", " ", str(header or "").strip().lower())
        for name, pattern in _PATTERNS.items():
            if getattr(found, name) is None and pattern.search(key):
                setattr(found, name, header)
                break
    return found


def parse_score(value) -> Decimal:
    """'8 / 10' → 80, '85,5' → 85.5, '90' → 90 (0–100, two decimals)."""
    text = str(value if value is not None else "").strip()
    if not text:
        raise ValueError(_("nilai kosong"))
    fraction = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*/\s*(\d+(?:[.,]\d+)?)", text)
    try:
        if fraction:
            got, out_of = (Decimal(p.replace(",", ".")) for p in fraction.groups())
            if out_of == 0:
                raise ValueError(_("nilai '%(v)s' tidak sah") % {"v": text})
            score = got * 100 / out_of
        else:
            score = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(_("nilai '%(v)s' bukan angka") % {"v": text}) from exc
    if not Decimal(0) <= score <= Decimal(100):
        raise ValueError(_("nilai '%(v)s' di luar 0–100") % {"v": text})
    return score.quantize(Decimal("0.01"))


LIMITS = Limits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS)


def read_upload(uploaded) -> list[dict[str, str]]:
    """Rows as {header: text, LINE: line in the file}, read by the platform's one spreadsheet
    reader (core.spreadsheets: its limits on bytes, unpacked size, rows and columns)."""
    try:
        _headers, body = spreadsheets.read_table(uploaded, LIMITS)
        rows = []
        for line, row in body:
            row[LINE] = str(line)
            rows.append(row)
    except spreadsheets.SheetError as exc:
        raise ImportFileError(exc.message) from exc
    return rows


def read_rows(filename: str, content: bytes) -> list[dict[str, str]]:
    """The same, from bytes (tests, the API)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return read_upload(SimpleUploadedFile(filename or "berkas", content))


_TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M")


def parse_timestamp(value) -> datetime | None:
    """A Google Forms "Timestamp" as the XLSX (ISO) or the CSV (2024/01/25 10:00:00, sometimes
    with " GMT+7") gives it; None when it cannot be read without guessing day and month."""
    text = re.sub(r"\s*(GMT|UTC)[+-]?\d*$", "", str(value or "").strip())
    text = text.split(".")[0]
    for fmt in _TIMESTAMP_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None
