"""The public catalogue: upcoming trainings with filters, a detail page with seats left per
category, a calendar file, a WhatsApp share link; the home panel and the navigation."""

from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from ekraf.core.selectors import clear_city_memo
from ekraf.trainings import calendar
from ekraf.trainings.models import Session, Training
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db


def test_catalogue_lists_upcoming_public_trainings(client, diskominfo, diskopindag):
    soon = tf.training(diskominfo, title="Bimtek Konten Kreator: Branding Kota")
    later = tf.training(
        diskopindag, title="Pelatihan Foto Produk UMKM", starts_in=timedelta(days=20)
    )
    tf.training(diskominfo, title="Draf Rahasia", status=Training.Status.DRAFT)
    past = tf.training(
        diskominfo, title="Workshop Lalu", starts_in=timedelta(days=-30), status="finished"
    )
    body = client.get(reverse("trainings:catalogue")).content.decode()
    assert body.index(soon.title) < body.index(later.title)
    assert "Draf Rahasia" not in body and "Workshop Lalu" not in body
    body = client.get(reverse("trainings:catalogue"), {"when": "lalu"}).content.decode()
    assert past.title in body and soon.title not in body


def test_catalogue_filters(client, diskominfo, diskopindag):
    tf.training(diskominfo, title="Bimtek Konten Kreator", kind="bimtek")
    tf.training(diskopindag, title="Workshop Kemasan Produk", kind="workshop")
    online = tf.training(diskominfo, title="Webinar Monetisasi", space_code=None)
    Session.objects.filter(training=online).update(address="", online_url="https://meet.example/x")
    url = reverse("trainings:catalogue")

    def titles(**params):
        body = client.get(url, params).content.decode()
        return {
            t
            for t in ("Bimtek Konten Kreator", "Workshop Kemasan Produk", "Webinar Monetisasi")
            if t in body
        }

    assert titles(agency="diskopindag") == {"Workshop Kemasan Produk"}
    assert titles(kind="bimtek") == {"Bimtek Konten Kreator", "Webinar Monetisasi"}
    assert titles(q="kemasan") == {"Workshop Kemasan Produk"}
    assert titles(mode="daring") == {"Webinar Monetisasi"}
    assert titles(mode="luring") == {"Bimtek Konten Kreator", "Workshop Kemasan Produk"}


def test_catalogue_query_count_is_constant(client, diskominfo, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        clear_city_memo()  # each count includes reading the city (memoised per process)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("trainings:catalogue")).status_code == 200
        return len(ctx.captured_queries)

    t = tf.training(diskominfo, categories=(("Umum", 5), ("ASN", 5)))
    tf.register(t)
    one = count()
    for _ in range(10):
        t = tf.training(diskominfo, sessions=3, categories=(("Umum", 5), ("ASN", 5)))
        tf.register(t)
    assert count() == one


def test_detail_shows_seats_left_per_category(client, diskominfo):
    t = tf.training(diskominfo, categories=(("Umum", 3), ("ASN", 2)))
    umum, asn = t.categories.order_by("position")
    for _ in range(3):
        tf.register(t, category=umum)
    tf.register(t, category=umum)  # waitlisted
    tf.register(t, category=asn, audience="asn")
    body = client.get(reverse("trainings:detail", args=[t.public_id])).content.decode()
    assert 'data-seats-left="Umum">0<' in body
    assert 'data-seats-left="ASN">1<' in body
    assert "Sisa 1 kursi" in body


def test_detail_offers_calendar_and_whatsapp(client, training):
    body = client.get(reverse("trainings:detail", args=[training.public_id])).content.decode()
    assert reverse("trainings:ics", args=[training.public_id]) in body
    share = next(part for part in body.split('"') if part.startswith("https://wa.me/?text="))
    text = unquote(share.split("text=", 1)[1])
    assert "Bimtek Konten Kreator: Branding Kota" in text
    assert f"/pelatihan/{training.public_id}/" in text


def test_detail_invites_visitors_to_sign_in_and_shows_mine(client, training, creator_user):
    url = reverse("trainings:detail", args=[training.public_id])
    assert "Masuk untuk mendaftar" in client.get(url).content.decode()
    r = tf.register(training, creator_user)
    client.force_login(creator_user)
    body = client.get(url).content.decode()
    assert "Lihat tiket" in body and reverse("trainings:ticket", args=[r.public_id]) in body


def test_ics_file(client, training):
    response = client.get(reverse("trainings:ics", args=[training.public_id]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 2
    first = training.sessions.order_by("starts_at").first()
    assert f"UID:{first.public_id}@" in text
    assert "SUMMARY:Bimtek Konten Kreator: Branding Kota (sesi 1/2)" in text
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75


def test_ics_escapes_and_folds_as_rfc_5545_says(training):
    """Commas, semicolons and newlines in a title are escaped and long lines folded without
    splitting a character (core.ics writes the format for every calendar)."""
    training.title = (
        "Bimtek ékraf; konten, foto\ndan video " + "Pelatihan kreator konten ékraf " * 4
    )
    text = calendar.training_ics(training, list(training.sessions.all()), timezone.now())
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Bimtek ékraf\\; konten\\, foto\\ndan video Pelatihan" in unfolded


def test_ics_in_utc(training):
    from datetime import UTC

    first = training.sessions.order_by("starts_at").first()
    text = calendar.training_ics(training, list(training.sessions.all()), timezone.now())
    assert f"DTSTART:{first.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in text


def test_online_link_is_for_participants_only(client, diskominfo):
    t = tf.training(diskominfo, space_code=None, sessions=1)
    Session.objects.filter(training=t).update(address="", online_url="https://zoom.us/j/999")
    assert (
        "zoom.us/j/999"
        not in client.get(reverse("trainings:detail", args=[t.public_id])).content.decode()
    )
    assert (
        "zoom.us/j/999"
        not in client.get(reverse("trainings:ics", args=[t.public_id])).content.decode()
    )
    r = tf.register(t)
    client.force_login(r.user)
    assert (
        "zoom.us/j/999"
        in client.get(reverse("trainings:ticket", args=[r.public_id])).content.decode()
    )


def test_home_panel_and_navigation(client, training, organiser, creator_user):
    body = client.get("/").content.decode()
    assert "Pelatihan mendatang" in body and training.title in body
    assert 'href="/pelatihan/"' in body
    assert "Kelola pelatihan" not in body and "Pelatihan saya" not in body
    client.force_login(creator_user)
    assert "Pelatihan saya" in client.get("/").content.decode()
    client.force_login(organiser)
    assert "Kelola pelatihan" in client.get("/").content.decode()


def test_home_panel_query_count_is_constant(client, diskominfo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tf.training(diskominfo)
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for _ in range(5):
        tf.training(diskominfo)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(one.captured_queries) == len(many.captured_queries)


def test_junk_in_urls_and_queries_is_a_4xx_not_a_5xx(client, organiser, training):
    """NUL bytes and malformed ids never reach the database (PostgreSQL would refuse them)."""
    assert client.get("/pelatihan/", {"q": "a\x00b", "agency": "\x00"}).status_code == 200
    assert client.get("/pelatihan/%00/").status_code == 404
    assert client.get("/pelatihan/tiket/%00/").status_code in (302, 404)
    client.force_login(organiser)
    assert client.get("/kelola/pelatihan/", {"q": "\x00"}).status_code == 200
    url = reverse("trainings:manage_participants", args=[training.public_id])
    assert client.get(url, {"q": "\x00"}).status_code == 200
    assert client.post(url, {"action": "checkin:\x00:\x00"}).status_code == 302
    assert client.get(f"/kelola/pelatihan/{training.public_id}/peserta/%00/").status_code == 404
    assert client.get("/api/v1/trainings", {"q": "\x00"}).status_code == 400
    assert client.get("/api/v1/trainings/%00").status_code == 404
