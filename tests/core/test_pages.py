"""Home, language switch, health check, reference API, error pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_names_the_city_from_data(client, city):
    body = client.get("/").content.decode()
    assert "Ekraf Kota Malang" in body
    assert 'lang="id"' in body
    assert "bootstrap.min.css" in body


def test_home_works_before_the_city_is_loaded(client):
    assert client.get("/").status_code == 200


def test_indonesian_even_for_browsers_set_to_english(client, city):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in body


def test_english_switch(client, city):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert 'lang="en"' in body
    assert "Bahasa Indonesia" in body  # the switch back


def test_healthz_checks_database_queue_storage(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "queue": "ok", "storage": "ok"}


def test_reference_api_is_public(client, city):
    regions = client.get("/api/v1/regions", {"level": "kelurahan", "parent": "35.73.05"}).json()
    assert len(regions) == 12
    assert {
        "code": "35.73.05.1004",
        "name": "Dinoyo",
        "level": "kelurahan",
        "parent_code": "35.73.05",
    } in regions
    assert len(client.get("/api/v1/subsectors").json()) == 17
    assert any(a["code"] == "diskominfo" for a in client.get("/api/v1/agencies").json())
    assert client.get("/api/v1/regions", {"level": "provinsi"}).status_code == 422


def test_api_docs_are_served_without_a_cdn(client):
    body = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()


def test_404_in_indonesian(client, settings):
    settings.DEBUG = False
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_personal_media_is_not_served_raw(client):
    assert client.get("/media/creators/photos/x.jpg").status_code == 404


def test_request_id_is_echoed(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"


def test_values_the_database_cannot_hold_are_a_400(client, city):
    """A NUL byte reaches PostgreSQL as a DataError: the client's mistake, so 4xx, not 5xx."""
    response = client.get("/api/v1/regions", {"parent": "35.73\x00"})
    assert response.status_code in (200, 400)
    if response.status_code == 200:  # SQLite stores NUL happily and simply finds nothing
        assert response.json() == []


def test_dates_follow_the_language_on_pages_but_not_on_documents():
    from datetime import date

    from django.utils import translation

    from ekraf.core.templatetags.ekraf import tanggal, tanggal_dokumen

    day = date(2024, 1, 25)
    assert tanggal(day) == "25 Januari 2024"
    with translation.override("en"):
        assert tanggal(day) == "25 January 2024"
        assert tanggal_dokumen(day) == "25 Januari 2024"
