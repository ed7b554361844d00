"""A deleted (anonymised) profile is out of the registry: not listed, not searchable, not in the
API, and its staff page says "Akun dihapus" (410 Gone) with nothing beyond what is kept."""

import pytest
from django.urls import reverse

from ekraf.accounts import services as account_services
from ekraf.core.models import AuditEvent
from ekraf.creators import services
from tests.creators import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def deleted(city):
    profile = cf.creator(
        "Dewi Pergi",
        nik=cf.NIK_WOMAN,
        gender="P",
        phone="+6281277770001",
        subsectors=("kuliner", "musik"),
        channels=[("instagram", "@dewi.pergi", 500)],
        public=True,
    )
    services.erase_profile(profile.user)
    account_services.anonymise_user(profile.user)
    profile.refresh_from_db()
    return profile


def test_the_staff_page_of_a_deleted_profile_says_so_and_shows_nothing_else(
    client, deleted, organiser, admin_user
):
    url = reverse("creators:staff_detail", args=[deleted.public_id])
    for user in (organiser, admin_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 410
        body = response.content.decode()
        assert "Akun dihapus" in body and "menghapus akunnya pada" in body
        assert deleted.public_id in body
        # No scrubbed placeholder or kept reference data is dressed up as a profile.
        for absent in (
            "dihapus-",  # the anonymised e-mail
            "Kuliner",  # subsectors stay on the row for statistics, not for staff to read
            "Tampilkan NIK lengkap",
            "tidak bersedia dihubungi",
            "Persetujuan aktif",
        ):
            assert absent not in body, absent
    # Nothing to reveal, and no reveal is audited.
    assert client.post(url, {"reason": "cek"}).status_code == 410
    assert not AuditEvent.objects.filter(action="creators.nik_revealed").exists()


def test_deleted_profiles_are_not_listed_searched_or_served_by_the_api(client, deleted, organiser):
    client.force_login(organiser)
    for q in ("", "Pelaku dihapus", "dihapus"):
        response = client.get(reverse("creators:staff_list"), {"q": q})
        assert deleted.pk not in [p.pk for p in response.context["page"]]
        assert reverse("creators:staff_detail", args=[deleted.public_id]) not in (
            response.content.decode()
        )
    _record, token = account_services.create_api_token(organiser, "uji")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listed = client.get("/api/v1/creators", **headers).json()
    assert deleted.public_id not in [i["public_id"] for i in listed["items"]]
    assert client.get(f"/api/v1/creators/{deleted.public_id}", **headers).status_code == 404
    export = client.get(reverse("creators:staff_export", args=["csv"]))
    assert deleted.public_id.encode() not in b"".join(export.streaming_content)
