"""Reading a quiz export (Google Forms CSV/XLSX, or a hand-made sheet) into rows of text.

Google Forms exports a quiz as one row per response with "Timestamp", "Email Address" and
"Score" ("8 / 10") — in Indonesian "Stempel waktu", "Alamat email", "Skor". Organisers often
add a WhatsApp number or the ticket code as a question. Columns are recognised by name, in
either language; the score may be "8 / 10", "80", or "85,5".
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

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


_PATTERNS = {
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


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(filename: str, content: bytes) -> list[dict[str, str]]:
    """Rows as {header: text}. Empty rows are dropped; every value is a string (so the rows
    can wait in the session between preview and import)."""
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("Berkas terlalu besar (maksimal 5 MB)."))
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif name.endswith((".csv", ".txt")):
        rows = _read_csv(content)
    else:
        raise ImportFileError(_("Unggah berkas CSV atau XLSX."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("Berkas berisi lebih dari %(n)s baris.") % {"n": MAX_ROWS})
    return rows


def _read_csv(content: bytes) -> list[dict[str, str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise ImportFileError(_("Berkas tidak bisa dibaca sebagai teks."))
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return _to_dicts(list(reader))


def _read_xlsx(content: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any broken file is the organiser's to fix
        raise ImportFileError(_("Berkas XLSX tidak bisa dibuka.")) from exc
    try:
        sheet = workbook.worksheets[0]
        table = [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
    finally:
        workbook.close()
    return _to_dicts(table)


def _to_dicts(table: list[list]) -> list[dict[str, str]]:
    if not table:
        return []
    headers = [_text(h) or f"kolom {i + 1}" for i, h in enumerate(table[0])]
    rows = []
    for line, raw in enumerate(table[1:], start=2):
        values = [_text(v) for v in raw]
        if not any(values):
            continue
        row = {h: (values[i] if i < len(values) else "") for i, h in enumerate(headers)}
        row[LINE] = str(line)
        rows.append(row)
    return rows
