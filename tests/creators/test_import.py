"""Organisers import creators from their Google Forms spreadsheet: map, preview, commit."""

import io
import zipfile

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from ekraf.accounts import permissions
from ekraf.accounts.models import User
from ekraf.core.errors import DomainError
from ekraf.creators import imports
from ekraf.creators.imports import batches
from ekraf.creators.models import CreatorProfile, ImportBatch
from tests import factories
from tests.creators import factories as cf

pytestmark = pytest.mark.django_db

START = reverse("creators:import_start")


def upload(client, content: bytes, name: str, agency: str = "diskominfo"):
    f = io.BytesIO(content)
    f.name = name
    return client.post(START, {"agency": agency, "file": f})


def batch_from(response) -> ImportBatch:
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.get(public_id=response["Location"].rstrip("/").split("/")[-1])


def mapping_post(batch: ImportBatch) -> dict:
    return {name: str(index) for name, index in batch.mapping.items()}


def test_google_forms_headers_are_mapped_automatically():
    headers = [
        "Timestamp",
        "Nama Lengkap",
        "Nama Panggilan",
        "Alamat Email",
        "Nomor WhatsApp (aktif)",
        "Jenis Kelamin",
        "Tanggal Lahir",
        "Kecamatan",
        "Kelurahan",
        "Subsektor Ekraf yang ditekuni",
        "Akun Instagram",
        "Akun TikTok",
        "Twitter/X",
        "NIK",
        "Saran untuk panitia",
    ]
    mapping = imports.guess_mapping(headers)
    named = {target: headers[index] for target, index in mapping.items()}
    assert named == {
        "full_name": "Nama Lengkap",
        "display_name": "Nama Panggilan",
        "email": "Alamat Email",
        "phone": "Nomor WhatsApp (aktif)",
        "gender": "Jenis Kelamin",
        "birth_year": "Tanggal Lahir",
        "kecamatan": "Kecamatan",
        "kelurahan": "Kelurahan",
        "subsectors": "Subsektor Ekraf yang ditekuni",
        "instagram": "Akun Instagram",
        "tiktok": "Akun TikTok",
        "x": "Twitter/X",
        "nik": "NIK",
    }


def test_500_row_xlsx_with_3_bad_rows(client, organiser):
    rows = [cf.GOOGLE_FORMS_HEADERS] + [cf.forms_row(i) for i in range(1, 501)]
    # Spreadsheet lines: the header is line 1, so data row i sits on line i + 1.
    rows[41] = cf.forms_row(41, **{"Alamat Email": "bukan-email"})  # line 42
    rows[250] = cf.forms_row(250, **{"Nomor WhatsApp": "12345"})  # line 251
    rows[499] = cf.forms_row(499, **{"Kelurahan": "Atlantis"})  # line 500
    client.force_login(organiser)
    batch = batch_from(upload(client, cf.xlsx_bytes(rows), "Pendaftaran Bimtek (Jawaban).xlsx"))
    assert batch.status == ImportBatch.Status.UPLOADED
    assert batch.headers == cf.GOOGLE_FORMS_HEADERS
    page = client.get(reverse("creators:import_detail", args=[batch.public_id])).content.decode()
    assert "Petakan kolom" in page

    response = client.post(
        reverse("creators:import_detail", args=[batch.public_id]), mapping_post(batch)
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert (batch.total_rows, batch.valid_rows, batch.error_rows, batch.duplicate_rows) == (
        500,
        497,
        3,
        0,
    )
    assert [(p["line"], p["column"]) for p in batch.problems] == [
        (42, "Alamat Email"),
        (251, "Nomor WhatsApp"),
        (500, "Kelurahan"),
    ]
    page = client.get(reverse("creators:import_detail", args=[batch.public_id])).content.decode()
    assert "Kelurahan tidak dikenal: Atlantis" in page
    assert "peserta1@contoh.id" in page  # a sample of what will be imported
    # Nothing written until the organiser commits.
    assert not CreatorProfile.objects.exists()
    assert not User.objects.filter(email__startswith="peserta").exists()

    response = client.post(reverse("creators:import_commit", args=[batch.public_id]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert batch.created_count == 497
    assert CreatorProfile.objects.count() == 497
    profile = CreatorProfile.objects.get(user__email="peserta7@contoh.id")
    assert profile.source == CreatorProfile.Source.IMPORT
    assert profile.source_agency.code == "diskominfo"
    assert profile.import_batch == batch
    assert profile.phone == "+6281300000007"
    assert profile.gender == "P"
    assert profile.kelurahan.name == "Tlogomas"
    assert {s.code for s in profile.subsectors.all()} == {"fotografi", "film-animasi-video"}
    assert profile.channels.get().url == "https://www.instagram.com/peserta.7/"
    assert not profile.user.has_usable_password()
    assert permissions.is_creator(profile.user)
    assert not batch.file  # the organiser's file is not kept once imported
    assert batch.sample == []  # nor the preview's names and e-mails
    # A second commit does nothing.
    client.post(reverse("creators:import_commit", args=[batch.public_id]))
    assert CreatorProfile.objects.count() == 497


def test_duplicates_against_the_registry_and_within_the_file_are_reported(client, organiser):
    cf.creator("Sudah Ada", email="ada@contoh.id", phone="+6281300000002")
    rows = [
        cf.GOOGLE_FORMS_HEADERS,
        cf.forms_row(1, **{"Alamat Email": "ADA@contoh.id"}),  # line 2: e-mail in the registry
        cf.forms_row(2),  # line 3: phone in the registry
        cf.forms_row(3, NIK=cf.NIK_WOMAN, **{"Jenis Kelamin": "Perempuan"}),  # line 4
        cf.forms_row(4, **{"Alamat Email": "peserta3@contoh.id"}),  # line 5: same as line 4
        cf.forms_row(5, NIK="3573 0552 0395 0013", **{"Jenis Kelamin": "P"}),  # line 6: NIK
        cf.forms_row(6),  # line 7: fine
    ]
    client.force_login(organiser)
    batch = batch_from(upload(client, cf.xlsx_bytes(rows), "peserta.xlsx"))
    client.post(
        reverse("creators:import_detail", args=[batch.public_id]),
        mapping_post(batch) | {"nik_confirmed": "on"},  # NIKs are read (test_import_nik.py)
    )
    batch.refresh_from_db()
    assert (batch.valid_rows, batch.duplicate_rows, batch.error_rows) == (2, 4, 0)
    problems = {(p["line"], p["kind"]): p["message"] for p in batch.problems}
    assert problems[(2, "duplicate")] == "Email sudah terdaftar di registri."
    assert problems[(3, "duplicate")] == "Nomor telepon sudah terdaftar di registri."
    assert problems[(5, "duplicate")] == "Sama dengan baris 4 di berkas ini."
    assert problems[(6, "duplicate")] == "Sama dengan baris 4 di berkas ini."
    client.post(reverse("creators:import_commit", args=[batch.public_id]))
    assert set(
        CreatorProfile.objects.filter(source="import").values_list("user__email", flat=True)
    ) == {"peserta3@contoh.id", "peserta6@contoh.id"}
    assert User.objects.filter(email__iexact="ada@contoh.id").count() == 1  # never merged


def test_an_email_longer_than_a_username_is_a_row_error_not_a_failed_commit(client, organiser):
    # The e-mail becomes the username (150 characters): PostgreSQL refused the whole commit.
    long_email = "a" * 141 + "@contoh.id"
    rows = [
        cf.GOOGLE_FORMS_HEADERS,
        cf.forms_row(1, **{"Alamat Email": long_email}),
        cf.forms_row(2),
    ]
    client.force_login(organiser)
    batch = batch_from(upload(client, cf.xlsx_bytes(rows), "peserta.xlsx"))
    client.post(reverse("creators:import_detail", args=[batch.public_id]), mapping_post(batch))
    batch.refresh_from_db()
    assert (batch.valid_rows, batch.error_rows) == (1, 1)
    assert batch.problems[0]["line"] == 2
    assert batch.problems[0]["message"] == "Email terlalu panjang (paling banyak 150 karakter)."
    response = client.post(reverse("creators:import_commit", args=[batch.public_id]))
    assert response.status_code == 302
    assert CreatorProfile.objects.filter(source="import").count() == 1


def test_csv_with_semicolons_multiline_cells_and_windows_encoding(client, organiser):
    content = (
        "Timestamp;Nama Lengkap;Alamat Email;Kelurahan;Bio\r\n"
        '1/8/2023 9:00;Sri Rahayu;sri@contoh.id;Kel. Oro-oro Dowo;"Baris satu\r\nbaris dua"\r\n'
        "1/8/2023 9:01;;tanpa-nama@contoh.id;Klojen;\r\n"
        "1/8/2023 9:02;José Müller;jose@contoh.id;klojen;Café\r\n"
    ).encode("cp1252")
    client.force_login(organiser)
    batch = batch_from(upload(client, content, "ekspor.csv"))
    assert batch.mapping == {"full_name": 1, "email": 2, "kelurahan": 3, "bio": 4}
    client.post(reverse("creators:import_detail", args=[batch.public_id]), mapping_post(batch))
    batch.refresh_from_db()
    assert batch.problems == [
        {"line": 4, "column": "Nama Lengkap", "message": "Nama lengkap kosong.", "kind": "error"}
    ]  # the multi-line cell of line 2 pushes the next row to line 4, as a text editor shows
    client.post(reverse("creators:import_commit", args=[batch.public_id]))
    sri = CreatorProfile.objects.get(user__email="sri@contoh.id")
    assert sri.kelurahan.name == "Oro-oro Dowo"
    assert sri.bio == "Baris satu\nbaris dua"
    assert CreatorProfile.objects.get(user__email="jose@contoh.id").full_name == "José Müller"


def test_required_columns_must_be_mapped(client, organiser):
    client.force_login(organiser)
    batch = batch_from(upload(client, cf.xlsx_bytes([["Nama", "Kota"], ["A", "B"]]), "a.xlsx"))
    response = client.post(
        reverse("creators:import_detail", args=[batch.public_id]), {"full_name": "0"}
    )
    assert response.status_code == 200
    assert "email" in response.context["mapping_form"].errors
    with pytest.raises(DomainError, match="Pilih kolom untuk: Email"):
        imports.preview(organiser, batch, {"full_name": 0})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UPLOADED


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"hello", "data.pdf", "Unggah berkas .csv atau .xlsx"),
        (b"bukan zip", "data.xlsx", "Berkas XLSX tidak bisa dibaca"),
        (b"\r\n\r\n", "kosong.csv", "Baris pertama berkas harus berisi judul kolom"),
    ],
)
def test_unreadable_files_are_refused_clearly(client, organiser, content, name, message):
    client.force_login(organiser)
    response = upload(client, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def xlsx_bomb() -> bytes:
    """A valid workbook whose shared strings unpack from ~100 KB to 110 MB."""
    source = zipfile.ZipFile(io.BytesIO(cf.xlsx_bytes([["Nama", "Email"], ["A", "a@contoh.id"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                bomb.writestr(info, source.read(info))
        with bomb.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            part.write(b"<si><t>Nama</t></si><si><t>Email</t></si><si><t>")
            for _ in range(110):
                part.write(b"A" * 1024 * 1024)
            part.write(b"</t></si></sst>")
    return out.getvalue()


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(client, organiser):
    content = xlsx_bomb()
    assert len(content) < 1024 * 1024  # well under the 10 MB upload limit
    client.force_login(organiser)
    response = upload(client, content, "pendaftar.xlsx")
    assert response.status_code == 200
    assert "terlalu besar setelah dibuka" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_commit_is_all_or_nothing(client, organiser, monkeypatch):
    rows = [cf.GOOGLE_FORMS_HEADERS] + [cf.forms_row(i) for i in range(1, 1201)]
    client.force_login(organiser)
    batch = batch_from(upload(client, cf.xlsx_bytes(rows), "besar.xlsx"))
    client.post(reverse("creators:import_detail", args=[batch.public_id]), mapping_post(batch))
    real_create = batches._create
    calls = []

    def fail_on_third_chunk(batch, chunk):
        calls.append(len(chunk))
        if len(calls) == 3:
            raise IntegrityError("simulated: someone signed up meanwhile")
        real_create(batch, chunk)

    monkeypatch.setattr(batches, "_create", fail_on_third_chunk)
    response = client.post(reverse("creators:import_commit", args=[batch.public_id]), follow=True)
    assert "Tidak ada yang disimpan" in response.content.decode()
    assert calls == [500, 500, 200]
    assert not CreatorProfile.objects.exists()
    assert not User.objects.filter(email__startswith="peserta").exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED


def test_another_agency_is_refused_the_batch(client, organiser, other_organiser, admin_user):
    client.force_login(organiser)
    batch = batch_from(
        upload(client, cf.xlsx_bytes([cf.GOOGLE_FORMS_HEADERS, cf.forms_row(1)]), "a.xlsx")
    )
    detail = reverse("creators:import_detail", args=[batch.public_id])
    commit = reverse("creators:import_commit", args=[batch.public_id])
    client.force_login(other_organiser)
    assert client.get(detail).status_code == 403
    assert client.post(detail, mapping_post(batch)).status_code == 403
    assert client.post(commit).status_code == 403
    assert batch.public_id not in client.get(START).content.decode()
    # An organiser cannot upload on behalf of an agency they do not belong to.
    response = upload(
        client, cf.xlsx_bytes([cf.GOOGLE_FORMS_HEADERS]), "b.xlsx", agency="diskominfo"
    )
    assert response.status_code == 200 and ImportBatch.objects.count() == 1
    # API: the same refusal.
    response = client.get(f"/api/v1/creator-imports/{batch.public_id}")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert client.get("/api/v1/creator-imports/TIDAKADA00").status_code == 404
    # Agency staff and creators have no import pages at all.
    client.force_login(
        factories.user("staf", role="agency_staff", agency=factories.agency("disporapar"))
    )
    assert client.get(START).status_code == 403
    client.force_login(admin_user)
    assert client.get(detail).status_code == 200


def test_import_status_in_the_api(client, organiser):
    rows = [cf.GOOGLE_FORMS_HEADERS, cf.forms_row(1), cf.forms_row(2, **{"Alamat Email": ""})]
    client.force_login(organiser)
    batch = batch_from(upload(client, cf.xlsx_bytes(rows), "a.xlsx"))
    client.post(reverse("creators:import_detail", args=[batch.public_id]), mapping_post(batch))
    data = client.get(f"/api/v1/creator-imports/{batch.public_id}").json()
    assert data["status"] == "previewed"
    assert data["agency"] == "diskominfo"
    assert (data["total_rows"], data["valid_rows"], data["error_rows"]) == (2, 1, 1)
    assert data["problems"] == [
        {"line": 3, "column": "Alamat Email", "message": "Email kosong.", "kind": "error"}
    ]


def test_imported_creator_claims_the_account_by_password_reset(client, organiser):
    client.force_login(organiser)
    batch = batch_from(
        upload(client, cf.xlsx_bytes([cf.GOOGLE_FORMS_HEADERS, cf.forms_row(9)]), "a.xlsx")
    )
    client.post(reverse("creators:import_detail", args=[batch.public_id]), mapping_post(batch))
    client.post(reverse("creators:import_commit", args=[batch.public_id]))
    client.logout()
    client.post(reverse("accounts:password_reset"), {"email": "peserta9@contoh.id"})
    assert len(mail.outbox) == 1
    link = next(w for w in mail.outbox[0].body.split() if "/atur-sandi/" in w)
    path = link[link.index("/atur-sandi/") :]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(
        form_url,
        {"new_password1": "Klaim-Akun-2024!", "new_password2": "Klaim-Akun-2024!"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("accounts:login"),
        {"username": "peserta9@contoh.id", "password": "Klaim-Akun-2024!"},
    )
    assert response.status_code == 302  # e-mail verified by following the link
    assert client.get(reverse("creators:my_profile")).status_code == 200


def test_abandoned_and_stale_files_are_deleted(client, organiser):
    import datetime

    from django.utils import timezone

    client.force_login(organiser)
    kept = batch_from(upload(client, cf.xlsx_bytes([cf.GOOGLE_FORMS_HEADERS]), "baru.xlsx"))
    stale = batch_from(upload(client, cf.xlsx_bytes([cf.GOOGLE_FORMS_HEADERS]), "lama.xlsx"))
    ImportBatch.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    storage, stale_name = stale.file.storage, stale.file.name
    assert imports.purge_stale_files() == 1
    stale.refresh_from_db()
    assert stale.status == ImportBatch.Status.ABANDONED and not storage.exists(stale_name)
    kept_name = kept.file.name
    client.post(reverse("creators:import_abandon", args=[kept.public_id]))
    kept.refresh_from_db()
    assert kept.status == ImportBatch.Status.ABANDONED and not storage.exists(kept_name)
