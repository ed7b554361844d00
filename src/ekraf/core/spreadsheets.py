"""The one spreadsheet reader and the one spreadsheet writer of the platform.

Reading (creator import, score import, and every import to come): a CSV (comma, semicolon or
tab; UTF-8 or the Windows code page Excel saves in) or an XLSX, streamed row by row within the
same limits everywhere — bytes on the wire, bytes once unpacked (an XLSX is a zip: the score
import once processed a 1.66 MB file that unpacked to 1.5 GB), rows and columns. An uploaded
sheet waiting between its preview and its import is kept as a `StoredSheet` row and a private
file, never in the session (a 5,000-row preview was a 4.7 MB session value); the preview's
results live on that row, bounded.

Writing (every CSV and XLSX a person downloads): one writer that never lets a cell run as a
formula. openpyxl stores any text beginning with "=" as a live formula, so such text is written
as a typed string cell; CSV cells that a spreadsheet program would evaluate (= + - @ tab CR)
get a leading apostrophe, as OWASP advises, unless they are plainly a number or phone number.
CSV is streamed; XLSX is written in openpyxl's write-only mode to a temporary file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .errors import DomainError

MB = 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Limits:
    """What one kind of import may hold. The defaults are the platform's; an import may only
    ask for less."""

    max_bytes: int = 10 * MB
    max_unpacked: int = 64 * MB  # an XLSX's members, as their headers declare them
    max_rows: int = 20_000  # data rows, the header row not counted
    max_columns: int = 200
    max_cell_chars: int = 10_000


DEFAULT_LIMITS = Limits()
# The most a preview kept on a StoredSheet may hold (JSON text).
MAX_PREVIEW_BYTES = 2 * MB


class SheetError(DomainError):
    """The file cannot be read within the limits; the message says why, in Indonesian."""

    code = "invalid_file"


# --- reading ------------------------------------------------------------------------------------

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
# Names a CSV is saved under (Google Forms, Excel, LibreOffice, a text editor).
_TEXT_EXTENSIONS = frozenset({"csv", "tsv", "txt", "tab"})


def kind_of(name: str, head: bytes, *, field: str = "file") -> str:
    """ "xlsx" or "csv", decided by the bytes (the name only breaks a tie)."""
    lower = (name or "").lower()
    if head.startswith(_XLSX_MAGIC):
        return "xlsx"
    if head.startswith(_OLE_MAGIC) or lower.endswith(".xls"):
        raise SheetError(
            _("Berkas .xls (Excel lama) tidak didukung: simpan sebagai .xlsx atau .csv."),
            field=field,
        )
    if lower.endswith(".xlsx"):
        raise SheetError(_("Berkas XLSX tidak bisa dibaca."), field=field)
    # Text is read as CSV whatever it is called, but a file that says it is something else (a
    # PDF, a Word document, a photo) is refused rather than read as garbage rows.
    extension = lower.rsplit(".", 1)[-1] if "." in lower.rsplit("/", 1)[-1] else ""
    if (
        b"\0" in head[:4096]
        or head.startswith(b"%PDF-")
        or (extension and extension not in _TEXT_EXTENSIONS)
    ):
        raise SheetError(_("Unggah berkas .csv atau .xlsx."), field=field)
    return "csv"


def _size_of(uploaded) -> int | None:
    size = getattr(uploaded, "size", None)
    if size is None and hasattr(uploaded, "seek"):
        position = uploaded.tell()
        uploaded.seek(0, io.SEEK_END)
        size = uploaded.tell()
        uploaded.seek(position)
    return size


def check_upload(uploaded, limits: Limits = DEFAULT_LIMITS, *, field: str = "file") -> str:
    """Size and kind of an uploaded sheet, before anything is parsed; returns the kind."""
    size = _size_of(uploaded)
    if size is not None and size > limits.max_bytes:
        raise SheetError(
            _("Berkas paling besar %(mb)d MB.") % {"mb": limits.max_bytes // MB}, field=field
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    if not head:
        raise SheetError(_("Berkas kosong."), field=field)
    return kind_of(getattr(uploaded, "name", ""), head, field=field)


def _check_unpacked(fh, limits: Limits, field: str) -> None:
    """The sizes an archive declares are the most its members can yield (zipfile stops there),
    so checking them bounds what openpyxl can unpack, shared strings included."""
    try:
        with zipfile.ZipFile(fh) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SheetError(_("Berkas XLSX tidak bisa dibaca."), field=field) from exc
    finally:
        fh.seek(0)
    if unpacked > limits.max_unpacked:
        raise SheetError(
            _(
                "Isi berkas XLSX terlalu besar setelah dibuka (lebih dari %(mb)d MB); "
                "bagi menjadi beberapa berkas."
            )
            % {"mb": limits.max_unpacked // MB},
            field=field,
        )


def _cell(value, limits: Limits):
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()[: limits.max_cell_chars]
    return value


def _xlsx_rows(fh, limits: Limits, field: str) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    _check_unpacked(fh, limits, field)
    try:
        workbook = load_workbook(fh, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file
        raise SheetError(_("Berkas XLSX tidak bisa dibaca."), field=field) from exc
    try:
        sheet = workbook.worksheets[0]
        for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, [_cell(v, limits) for v in row[: limits.max_columns]]
    except SheetError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken part of the workbook
        raise SheetError(_("Berkas XLSX tidak bisa dibaca."), field=field) from exc
    finally:
        workbook.close()


_CSV_FIELD_LIMIT = 131072  # the csv module's default: no real cell is longer


def _csv_rows(fh, limits: Limits, field: str) -> Iterator[tuple[int, list]]:
    raw = getattr(fh, "file", fh)  # the Python file under Django's File wrapper
    head = raw.read(65536)
    raw.seek(0)
    try:
        head.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the 64 KiB mark is still UTF-8.
        encoding = "utf-8-sig" if exc.start > len(head) - 4 else "cp1252"
    first = head.decode(encoding, errors="ignore").splitlines()[:1]
    delimiter = max([",", ";", "\t"], key=(first[0] if first else "").count)
    text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    start = 1
    try:
        for row in reader:
            if any(len(c) > _CSV_FIELD_LIMIT for c in row):
                # An unclosed quote swallows the rest of the file into one cell. The csv
                # module's own limit is process-wide and a library (frictionless) raises it
                # on import, so the check is ours.
                raise csv.Error("field larger than field limit")
            yield start, [_cell(c, limits) for c in row[: limits.max_columns]]
            start = reader.line_num + 1  # a cell may span lines: report where the row starts
    except csv.Error as exc:
        raise SheetError(
            _("Berkas CSV rusak sekitar baris %(n)d.") % {"n": start}, field=field
        ) from exc
    finally:
        text.detach()  # leave the caller's file open


def read_rows(
    uploaded, limits: Limits = DEFAULT_LIMITS, *, field: str = "file"
) -> Iterator[tuple[int, list]]:
    """(line number as the person sees it in the file, cells) for every row, header included.

    Text cells are stripped strings; an XLSX also gives numbers, dates and datetimes as they are
    stored. More than `limits.max_rows` data rows stops the reading with SheetError.
    """
    kind = check_upload(uploaded, limits, field=field)
    reader = _xlsx_rows if kind == "xlsx" else _csv_rows
    for count, (line, cells) in enumerate(reader(uploaded, limits, field)):
        if count > limits.max_rows:  # count 0 is the header row
            raise SheetError(
                _("Berkas berisi lebih dari %(n)s baris data; bagi menjadi beberapa berkas.")
                % {"n": f"{limits.max_rows:,}".replace(",", ".")},
                field=field,
            )
        yield line, cells


def text(value) -> str:
    """A cell as text: whole numbers without ".0", dates as ISO, None as ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


def read_table(
    uploaded, limits: Limits = DEFAULT_LIMITS, *, field: str = "file"
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header row, and then each non-empty row as {header: text} with its line number.
    Blank or repeated headers are named "kolom N" so no column is lost."""
    rows = read_rows(uploaded, limits, field=field)
    first = next(rows, None)
    if first is None:
        raise SheetError(_("Berkas kosong."), field=field)
    headers, seen = [], set()
    for i, value in enumerate(first[1]):
        name = text(value)[:100] or _("kolom %(n)d") % {"n": i + 1}
        if name in seen:
            name = f"{name} ({i + 1})"
        seen.add(name)
        headers.append(name)

    def body() -> Iterator[tuple[int, dict[str, str]]]:
        for line, cells in rows:
            values = [text(v) for v in cells]
            if any(values):
                yield (
                    line,
                    {h: (values[i] if i < len(values) else "") for i, h in enumerate(headers)},
                )

    return headers, body()


# --- sheets kept between preview and import ---------------------------------------------------


def keep(owner, purpose: str, uploaded, limits: Limits = DEFAULT_LIMITS, *, field="file"):
    """Store an uploaded sheet privately for a later step (preview, then import), after its size
    and kind are checked. Returns the StoredSheet; only its public id goes into a session or URL."""
    from .models import StoredSheet

    kind = check_upload(uploaded, limits, field=field)
    name = (getattr(uploaded, "name", "") or f"berkas.{kind}").rsplit("/", 1)[-1][:200]
    sheet = StoredSheet(owner=owner, purpose=purpose, original_name=name, kind=kind)
    uploaded.seek(0)
    sheet.file.save(f"{sheet.public_id}.{kind}", uploaded, save=False)
    sheet.save()
    return sheet


def stored(owner, purpose: str, public_id: str):
    """The owner's kept sheet for this purpose, or None (another person's id finds nothing)."""
    from .models import StoredSheet

    if not public_id:
        return None
    return StoredSheet.objects.filter(owner=owner, purpose=purpose, public_id=public_id).first()


def set_preview(sheet, preview: dict) -> None:
    """Keep a preview's results on the sheet's row, within MAX_PREVIEW_BYTES."""
    import json

    encoded = json.dumps(preview, default=str)
    if len(encoded.encode()) > MAX_PREVIEW_BYTES:
        raise SheetError(
            _("Pratinjau terlalu besar untuk disimpan; bagi berkas menjadi beberapa bagian.")
        )
    sheet.preview = preview
    sheet.save(update_fields=["preview"])


def discard(sheet) -> None:
    """The kept file and its row go (after the import, or when abandoned)."""
    if sheet is None:
        return
    if sheet.file:
        sheet.file.delete(save=False)
    sheet.delete()


def purge_stale(hours: int = 48) -> int:
    """Periodic: kept sheets nobody came back for are deleted with their files."""
    from .models import StoredSheet

    cutoff = timezone.now() - dt.timedelta(hours=hours)
    count = 0
    for sheet in StoredSheet.objects.filter(created_at__lt=cutoff).iterator():
        discard(sheet)
        count += 1
    return count


# --- writing ------------------------------------------------------------------------------------

_NUMBER_OR_PHONE = re.compile(r"^[+-]?\d[\d .]*$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (so XLSX) cannot hold; openpyxl raises on them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value):
    """A value for a CSV cell: text a spreadsheet program would run as a formula is quoted."""
    if isinstance(value, str) and value[:1] in _FORMULA_START and not _NUMBER_OR_PHONE.match(value):
        return "'" + value
    return _plain(value)


def _plain(value):
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    if value is None:
        return ""
    return value


@dataclass
class Sheet:
    """One worksheet (or one CSV): a title, the header, and rows produced lazily."""

    title: str
    headers: list[str]
    rows: Iterable[Iterable] = field(default_factory=list)


class _Echo:
    def write(self, value):
        return value


def csv_stream(headers: list[str], rows: Iterable[Iterable], *, bom: bool = True) -> Iterator[str]:
    """A CSV as it is produced (UTF-8 with a BOM, so Excel shows names right; open data for
    machines goes without it)."""
    writer = csv.writer(_Echo())
    if bom:
        yield "\ufeff"
    yield writer.writerow([safe_cell(h) for h in headers])
    for values in rows:
        yield writer.writerow([safe_cell(v) for v in values])


def csv_response(filename: str, headers: list[str], rows: Iterable[Iterable]):
    response = StreamingHttpResponse(
        csv_stream(headers, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _xlsx_cell(sheet, value, bold=None):
    from openpyxl.cell import WriteOnlyCell

    value = _plain(value)
    if isinstance(value, str):
        value = _ILLEGAL_XML.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    if bold is not None:
        cell.font = bold
    return cell


def write_xlsx(sheets: list[Sheet], out) -> None:
    """Write the workbook to a binary file object, row by row (write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(_ILLEGAL_XML.sub("", spec.title)[:31] or "Sheet")
        sheet.append([_xlsx_cell(sheet, h, bold) for h in spec.headers])
        for values in spec.rows:
            sheet.append([_xlsx_cell(sheet, v) for v in values])
    workbook.save(out)


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    out = io.BytesIO()
    write_xlsx(sheets, out)
    return out.getvalue()


def xlsx_response(filename: str, sheets: list[Sheet]) -> FileResponse:
    """An XLSX download written to a temporary file, never held whole in memory."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    write_xlsx(sheets, out)
    out.seek(0)
    response = FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response
