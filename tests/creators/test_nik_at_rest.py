"""The raw NIK is nowhere in the database: not in any column, any table, any log row."""

import io
import json

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse

from ekraf.creators.models import CreatorProfile
from tests import factories
from tests.creators import factories as cf

pytestmark = pytest.mark.django_db

NIK_FORM = "3573051203950012"  # typed on the profile page
NIK_API = "3573055203950013"  # sent through PUT /api/v1/me/profile
NIK_IMPORT = "3573050101900021"  # in an organiser's spreadsheet


def _text_columns():
    for model in apps.get_models():
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if names:
            yield model, names


def _raw_dump() -> str:
    """Every row of every table as the database returns it, including tables without models."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        out = []
        for table in tables:
            cursor.execute(f'SELECT t::text FROM "{table}" t')  # noqa: S608 - our own table names
            out.extend(row[0] for row in cursor.fetchall())
    return "\n".join(out)


def test_raw_nik_appears_nowhere_in_the_database(client, organiser, admin_user):
    # 1. A creator types a NIK on the profile page.
    form_user = factories.user("kreator", role="creator")
    client.force_login(form_user)
    response = client.post(
        reverse("creators:edit_profile"),
        {
            "full_name": "Budi Form",
            "gender": "L",
            "birth_year": "1995",
            "nik": "3573 0512 0395 0012",
            "nik_consent": "on",
            "kanal-TOTAL_FORMS": "0",
            "kanal-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    # 2. Another sends one through the API.
    api_user = factories.user("kreator", role="creator")
    client.force_login(api_user)
    response = client.put(
        "/api/v1/me/profile",
        json.dumps({"full_name": "Siti API", "gender": "P", "nik": NIK_API, "nik_consent": True}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    # 3. An organiser imports one from a spreadsheet.
    client.force_login(organiser)
    upload = io.BytesIO(
        cf.xlsx_bytes(
            [cf.GOOGLE_FORMS_HEADERS, cf.forms_row(1, NIK=NIK_IMPORT, **{"Jenis Kelamin": "L"})]
        )
    )
    upload.name = "peserta.xlsx"
    response = client.post(
        reverse("creators:import_start"), {"agency": "diskominfo", "file": upload}
    )
    batch_url = response["Location"]
    client.post(
        batch_url,
        {"full_name": "1", "email": "2", "gender": "4", "nik": "9", "nik_confirmed": "on"},
    )
    client.post(batch_url + "terapkan/")
    assert CreatorProfile.objects.exclude(nik_hash="").count() == 3
    # 4. Staff reveal one (the audit log records the reveal, not the NIK).
    client.force_login(admin_user)
    profile = CreatorProfile.objects.get(full_name="Budi Form")
    body = client.post(
        reverse("creators:staff_detail", args=[profile.public_id]),
        {"reason": "verifikasi identitas peserta impor"},
    ).content.decode()
    assert NIK_FORM in body

    for model, names in _text_columns():
        for row in model._default_manager.values_list(*names):
            text = json.dumps(row, default=str)
            for nik in (NIK_FORM, NIK_API, NIK_IMPORT):
                assert nik not in text, f"{model._meta.label} holds a raw NIK"
    dump = _raw_dump()
    assert "3573••••••••0012" in dump  # the dump really has the profiles in it
    for nik in (NIK_FORM, NIK_API, NIK_IMPORT):
        assert nik not in dump
