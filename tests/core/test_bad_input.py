"""Input no legitimate client sends is refused with 4xx, never a server error."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/kreator/AB%00CD/", 404),
        ("/verifikasi/ABCD%00", 404),
        ("/kelola/sertifikat/pelatihan/X%00/", 404),
        ("/openbadges/achievements/X%00", 404),
        ("/kelola/pelaku/AB%00/", 404),
        ("/api/v1/creators/AB%00CD", 404),
        ("/api/v1/jobs/J%00", 404),
        ("/api/v1/creators?subsector=a%00b", 400),
        ("/api/v1/regions?parent=%00", 400),
        # In a page's search box or filter a NUL means nothing: dropped, the page answers.
        ("/kelola/pelaku/?q=ayu%00", 200),
        ("/kelola/pelaku/?kecamatan=%00&q%00=x", 200),
    ],
)
def test_a_nul_character_in_the_address_never_reaches_the_database(client, admin_user, url, status):
    # PostgreSQL refuses NUL in any text it compares: without the check these were 500s there
    # (on SQLite, 404s and 200s that searched for the NUL).
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == status
    if url.startswith("/api/"):
        assert response.json()["code"] == ("not_found" if status == 404 else "invalid")
    if status == 200:
        assert "\x00" not in response.wsgi_request.GET.urlencode()


@pytest.fixture
def certificate(settings, tmp_path, diskominfo):
    from ekraf.credentials import keys
    from ekraf.credentials.models import Certificate
    from tests.credentials import factories as cf

    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    keys.forget()
    keys.init()
    training = cf.training(diskominfo)
    cf.registration(training)
    cf.issue(training)
    yield Certificate.objects.get()
    keys.forget()


def test_a_nul_character_in_a_json_body_is_a_400(client, organiser, certificate):
    from ekraf.accounts import services as account_services

    token = account_services.create_api_token(organiser, "uji")[1]
    response = client.post(
        f"/api/v1/certificates/{certificate.code}/revoke",
        {"reason": "Data peserta\u0000 keliru"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    response = client.post(
        "/api/v1/auth/token",
        {"username": "organiser\u0000", "password": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
