"""Imported NIKs need a lawful basis: the organiser confirms, at the mapping step, that the
agency collected them with each person's consent; every imported NIK then carries a NIK
consent record "impor:<agency code>:<version>". Without the confirmation the NIK column is
ignored, and the preview says so."""

import pytest
from django.urls import reverse

from ekraf.core.models import AuditEvent
from ekraf.creators import imports, services
from ekraf.creators.models import Consent, CreatorProfile, ImportBatch
from tests.creators import factories as cf

pytestmark = pytest.mark.django_db


def upload_with_niks(client):
    rows = [
        cf.GOOGLE_FORMS_HEADERS,
        cf.forms_row(1, NIK=cf.NIK_WOMAN, **{"Jenis Kelamin": "Perempuan"}),
        cf.forms_row(2, NIK="3573 0512 0395 0012", **{"Jenis Kelamin": "Laki-laki"}),
        cf.forms_row(3, NIK="1234"),  # an invalid NIK: an error only when NIKs are read
        cf.forms_row(4),
    ]
    import io

    f = io.BytesIO(cf.xlsx_bytes(rows))
    f.name = "peserta.xlsx"
    response = client.post(reverse("creators:import_start"), {"agency": "diskominfo", "file": f})
    return ImportBatch.objects.get(public_id=response["Location"].rstrip("/").split("/")[-1])


def map_and_preview(client, batch, **extra):
    data = {name: str(index) for name, index in batch.mapping.items()} | extra
    url = reverse("creators:import_detail", args=[batch.public_id])
    client.post(url, data)
    batch.refresh_from_db()
    return client.get(url).content.decode()


def commit(client, batch):
    client.post(reverse("creators:import_commit", args=[batch.public_id]))
    batch.refresh_from_db()


def test_without_the_confirmation_the_nik_column_is_ignored(client, organiser):
    client.force_login(organiser)
    batch = upload_with_niks(client)
    assert "nik" in batch.mapping  # guessed from the header, as before
    page = client.get(reverse("creators:import_detail", args=[batch.public_id])).content.decode()
    assert imports.NIK_CONFIRMATION.text[:60] in page  # the statement is on the mapping step
    page = map_and_preview(client, batch)
    assert "Kolom NIK diabaikan:" in page
    assert (batch.valid_rows, batch.error_rows) == (4, 0)  # the bad NIK is not even read
    assert batch.nik_confirmed_at is None
    commit(client, batch)
    imported = CreatorProfile.objects.filter(import_batch=batch)
    assert imported.count() == 4
    assert not imported.exclude(nik_hash="").exists()
    assert not Consent.objects.filter(purpose=Consent.Purpose.NIK).exists()
    assert not AuditEvent.objects.filter(action="creators.import_nik_confirmed").exists()


def test_with_the_confirmation_each_nik_gets_its_consent_record(client, organiser):
    client.force_login(organiser)
    batch = upload_with_niks(client)
    page = map_and_preview(client, batch, nik_confirmed="on")
    assert "Kolom NIK diabaikan:" not in page and "NIK diimpor: Anda menyatakan" in page
    assert batch.nik_confirmed_by == organiser
    assert batch.nik_confirmation_version == imports.NIK_CONFIRMATION.version
    assert (batch.valid_rows, batch.error_rows) == (3, 1)  # now the bad NIK is an error
    commit(client, batch)
    with_nik = CreatorProfile.objects.filter(import_batch=batch).exclude(nik_hash="")
    assert with_nik.count() == 2
    consents = Consent.objects.filter(purpose=Consent.Purpose.NIK)
    assert sorted(c.profile_id for c in consents) == sorted(p.pk for p in with_nik)
    version = f"impor:diskominfo:{imports.NIK_CONFIRMATION.version}"
    assert {c.text_version for c in consents} == {version}
    assert all(c.is_active for c in consents)
    # The profile without a NIK has no NIK consent.
    plain = CreatorProfile.objects.filter(import_batch=batch, nik_hash="").get()
    assert not plain.consents.filter(purpose=Consent.Purpose.NIK).exists()
    event = AuditEvent.objects.get(action="creators.import_nik_confirmed")
    assert event.actor == organiser
    assert event.detail["niks"] == 2 and event.detail["agency"] == "diskominfo"

    # The person sees where the consent came from, and removing the NIK withdraws it.
    person = with_nik.first()
    export = services.export_profile(person.user)
    assert [c["text_version"] for c in export["consents"]] == [version]
    assert Consent.objects.get(profile=person).version_label == (
        f"dari impor diskominfo (pernyataan v{imports.NIK_CONFIRMATION.version})"
    )
    services.update_profile(person.user, person, services.ProfileInput(nik=""))
    assert not Consent.objects.get(profile=person).is_active


def test_unticking_on_a_new_preview_ignores_the_niks_again(client, organiser):
    client.force_login(organiser)
    batch = upload_with_niks(client)
    map_and_preview(client, batch, nik_confirmed="on")
    assert batch.nik_confirmed_at is not None
    page = map_and_preview(client, batch)
    assert batch.nik_confirmed_at is None and "Kolom NIK diabaikan:" in page
    commit(client, batch)
    assert not CreatorProfile.objects.filter(import_batch=batch).exclude(nik_hash="").exists()


def test_confirming_without_a_nik_column_records_nothing(client, organiser):
    client.force_login(organiser)
    batch = upload_with_niks(client)
    mapping = {name: index for name, index in batch.mapping.items() if name != "nik"}
    imports.preview(organiser, batch, mapping, nik_confirmed=True)
    assert batch.nik_confirmed_at is None
    page = client.get(reverse("creators:import_detail", args=[batch.public_id])).content.decode()
    assert "Kolom NIK diabaikan:" not in page and "NIK diimpor: Anda menyatakan" not in page


def test_the_api_says_whether_niks_were_imported(client, organiser):
    from ekraf.accounts import services as account_services

    client.force_login(organiser)
    batch = upload_with_niks(client)
    map_and_preview(client, batch, nik_confirmed="on")
    _record, token = account_services.create_api_token(organiser, "uji")
    data = client.get(
        f"/api/v1/creator-imports/{batch.public_id}", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert data["nik_imported"] is True
