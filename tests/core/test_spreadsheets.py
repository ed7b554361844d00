"""The one spreadsheet reader and writer (ekraf.core.spreadsheets): the same limits for every
import, previews kept outside the session, and no cell that runs as a formula in any file the
platform writes."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from ekraf.core import spreadsheets
from ekraf.core.spreadsheets import Limits, Sheet, SheetError


def xlsx_upload(rows, name="data.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def csv_upload(text: str, name="data.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding))


def test_csv_with_semicolons_in_the_windows_code_page_reads_as_the_organiser_sees_it():
    upload = csv_upload("Nama;Kota\nJosé Núñez;Malang\n\nSiti;Batu\n", encoding="cp1252")
    headers, rows = spreadsheets.read_table(upload)
    assert headers == ["Nama", "Kota"]
    assert list(rows) == [
        (2, {"Nama": "José Núñez", "Kota": "Malang"}),
        (4, {"Nama": "Siti", "Kota": "Batu"}),
    ]


def test_xlsx_keeps_numbers_and_dates_and_reports_lines():
    import datetime as dt

    upload = xlsx_upload([["Nama", "Skor", "Tanggal"], ["Ayu", 8.0, dt.date(2026, 1, 5)]])
    rows = list(spreadsheets.read_rows(upload))
    assert rows[1][0] == 2 and rows[1][1][0] == "Ayu" and rows[1][1][1] == 8
    _headers, table = spreadsheets.read_table(xlsx_upload([["Skor"], [8.0]]))
    assert list(table) == [(2, {"Skor": "8"})]


def test_the_kind_comes_from_the_bytes():
    with pytest.raises(SheetError, match="xls"):
        list(
            spreadsheets.read_rows(
                SimpleUploadedFile("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
            )
        )
    with pytest.raises(SheetError, match="XLSX"):
        list(spreadsheets.read_rows(SimpleUploadedFile("palsu.xlsx", b"Nama,Kota\n")))
    # An XLSX named .csv is still read as the workbook it is.
    upload = xlsx_upload([["Nama"], ["Budi"]], name="salah-nama.csv")
    assert list(spreadsheets.read_rows(upload))[1][1] == ["Budi"]


def zip_bomb_xlsx(unpacked_mb: int) -> SimpleUploadedFile:
    """A valid workbook whose shared strings unpack to `unpacked_mb` MB (compresses ~1000:1)."""
    base = xlsx_upload([["Nama"], ["x"]]).read()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("xl/padding.bin", b"\0" * (unpacked_mb * 1024 * 1024))
    return SimpleUploadedFile("bom.xlsx", out.getvalue())


def test_a_zip_bomb_is_refused_before_openpyxl_unpacks_it(monkeypatch):
    bomb = zip_bomb_xlsx(80)
    assert bomb.size < 1024 * 1024

    def never(*args, **kwargs):
        raise AssertionError("opened the bomb")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    with pytest.raises(SheetError, match="terlalu besar setelah dibuka"):
        list(spreadsheets.read_rows(bomb))


def test_limits_on_bytes_rows_and_columns():
    with pytest.raises(SheetError, match="paling besar 1 MB"):
        list(
            spreadsheets.read_rows(
                csv_upload("a\n" + "x" * 2 * 1024 * 1024), Limits(max_bytes=1024 * 1024)
            )
        )
    many = csv_upload("Nama\n" + "".join(f"orang {i}\n" for i in range(11)))
    with pytest.raises(SheetError, match="lebih dari 10 baris"):
        list(spreadsheets.read_rows(many, Limits(max_rows=10)))
    assert len(list(spreadsheets.read_rows(many, Limits(max_rows=11)))) == 12
    wide = csv_upload(",".join(f"k{i}" for i in range(500)) + "\n")
    assert len(next(spreadsheets.read_rows(wide))[1]) == 200


def test_a_broken_csv_says_where():
    """Even after a library raised the csv module's process-wide field limit (frictionless
    does on import), an unclosed quote is reported, not read as one enormous cell."""
    import csv

    before = csv.field_size_limit(2**31 - 1)
    try:
        with pytest.raises(SheetError, match="baris"):
            list(spreadsheets.read_rows(csv_upload('Nama\n"tidak ditutup\n' + "x" * 200_000)))
    finally:
        csv.field_size_limit(before)


@pytest.mark.django_db
def test_a_kept_sheet_lives_outside_the_session_and_only_its_owner_finds_it(
    admin_user, creator_user
):
    upload = csv_upload("Email,Skor\na@b.id,8\n")
    sheet = spreadsheets.keep(admin_user, "trainings.scores", upload)
    spreadsheets.set_preview(sheet, {"rows": [{"line": 2, "score": "80"}]})
    assert spreadsheets.stored(creator_user, "trainings.scores", sheet.public_id) is None
    again = spreadsheets.stored(admin_user, "trainings.scores", sheet.public_id)
    assert again.preview["rows"][0]["score"] == "80"
    with again.file.open("rb") as fh:
        assert list(spreadsheets.read_rows(fh))[1][1] == ["a@b.id", "8"]
    with pytest.raises(SheetError):
        spreadsheets.set_preview(again, {"x": "y" * (3 * 1024 * 1024)})
    spreadsheets.discard(again)
    assert spreadsheets.stored(admin_user, "trainings.scores", sheet.public_id) is None


ATTACKS = ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_no_cell_of_a_written_xlsx_is_a_formula():
    data = spreadsheets.xlsx_bytes(
        [Sheet("Peserta", ["Nama"], [[a] for a in ATTACKS] + [["+6281234567890"]])]
    )
    sheet = load_workbook(io.BytesIO(data)).active
    values = [row[0].value for row in sheet.iter_rows(min_row=2)]
    types = [row[0].data_type for row in sheet.iter_rows(min_row=2)]
    assert "f" not in types
    assert values[0] == ATTACKS[0]  # shown exactly as typed, as text
    assert values[-1] == "+6281234567890"


def test_no_cell_of_a_written_csv_starts_like_a_formula():
    text = "".join(
        spreadsheets.csv_stream(["Nama"], [[a] for a in ATTACKS] + [["+62 812 3456"], [-5]])
    )
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    for (cell,) in rows[1 : len(ATTACKS) + 1]:
        assert cell.startswith("'")
    assert rows[-2] == ["+62 812 3456"] and rows[-1] == ["-5"]


def test_written_times_are_local_and_control_characters_cannot_break_the_file():
    import datetime as dt

    from django.utils import timezone

    moment = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)
    data = spreadsheets.xlsx_bytes(
        [Sheet("A\x01", ["Waktu", "Catatan"], [[moment, "a\x00b\x1fc"]])]
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == timezone.localtime(moment).replace(tzinfo=None)
    assert sheet["B2"].value == "abc"
