"""Verification at QR-scan rates: the answer cached per code, a lean page, revocation at once.

The cache is only on when the default cache is not the database (production: Redis); here a
local-memory default cache stands in for Redis, and the `redis` tests use a real one.
"""

import io
import os

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from pypdf import PdfReader

from ekraf.core import selectors as core_selectors
from ekraf.core.models import City
from ekraf.core.templatetags.ekraf import kind_and_title
from ekraf.credentials import openbadges, ratelimit, services
from ekraf.credentials.models import Certificate
from ekraf.trainings.models import Training
from tests import factories
from tests.credentials import factories as cf
from tests.credentials.test_verification import qr_path

pytestmark = pytest.mark.django_db

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


@pytest.fixture
def verify_cache(settings):
    settings.CACHES = {
        "default": {**LOCMEM, "LOCATION": "verify-tests"},
        "ratelimit": {**LOCMEM, "LOCATION": "ratelimit-tests"},
    }
    settings.VERIFY_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def test_first_lookup_is_one_query_and_a_repeat_none(
    client, verify_cache, cert, django_assert_num_queries
):
    core_selectors.clear_city_memo()
    with django_assert_num_queries(2):  # the certificate, and the city (memoised from then on)
        assert client.get(f"/verifikasi/{cert.code}").status_code == 200
    with django_assert_num_queries(0):
        page = client.get(f"/verifikasi/{cert.code}")
    assert page.status_code == 200 and "Budi Hartono" in page.content.decode()
    with django_assert_num_queries(0):
        api = client.get(f"/api/v1/certificates/{cert.code}")
    assert api.json()["holder_name"] == "Budi Hartono"
    with django_assert_num_queries(0):
        assert client.get(qr_path(cert)).status_code == 200


def test_the_api_answer_is_the_same_bytes_from_the_cache(client, settings, cert, monkeypatch):
    """A repeat look-up is answered with the JSON bytes kept at the first one: the same bytes
    and headers ninja makes when nothing is cached, without validating or encoding again."""
    from ekraf.credentials.api import CertificateOut

    path = f"/api/v1/certificates/{cert.code}"
    fresh = client.get(path)
    settings.CACHES = {
        "default": {**LOCMEM, "LOCATION": "verify-tests-2"},
        "ratelimit": {**LOCMEM, "LOCATION": "ratelimit-tests-2"},
    }
    settings.VERIFY_CACHE_SECONDS = 600
    first = client.get(path)

    def no_validation(*args, **kwargs):
        raise AssertionError("a cached answer is served as kept")

    monkeypatch.setattr(CertificateOut, "model_validate", no_validation)
    cached = client.get(path)
    assert fresh.content == first.content == cached.content
    for answer in (fresh, first, cached):
        assert answer["Content-Type"] == "application/json; charset=utf-8"
        assert answer["Access-Control-Allow-Origin"] == "*"
    assert cached.json()["status"] == "valid" and cached.json()["starts_on"] == "2024-01-24"


def test_revocation_shows_at_once_on_page_api_and_qr(
    client, verify_cache, cert, organiser, django_capture_on_commit_callbacks
):
    assert "ASLI" in client.get(f"/verifikasi/{cert.code}").content.decode()
    assert client.get(f"/api/v1/certificates/{cert.code}").json()["status"] == "valid"
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_certificate(organiser, cert.code, "Nama peserta keliru")
    page = client.get(f"/verifikasi/{cert.code}").content.decode()
    assert "DICABUT" in page and "Nama peserta keliru" in page
    api = client.get(f"/api/v1/certificates/{cert.code}").json()
    assert api["status"] == "revoked" and api["revoked_reason"] == "Nama peserta keliru"
    assert "DICABUT" in client.get(qr_path(cert)).content.decode()
    assert "DICABUT" in client.get(f"/verifikasi/{cert.code}").content.decode()  # now cached


def test_a_lookup_racing_with_revocation_does_not_put_back_the_valid_answer(
    verify_cache, cert, organiser, django_capture_on_commit_callbacks, monkeypatch
):
    from ekraf.credentials import selectors

    read = selectors.certificate_for_verification

    def read_then_revoked_meanwhile(code):
        stale = read(code)  # read before the revocation commits ...
        with django_capture_on_commit_callbacks(execute=True):
            services.revoke_certificate(organiser, cert.code, "Nama peserta keliru")
        return stale  # ... and put in the cache after it

    monkeypatch.setattr(selectors, "certificate_for_verification", read_then_revoked_meanwhile)
    assert selectors.verification(cert.code)["status"] == "valid"
    monkeypatch.setattr(selectors, "certificate_for_verification", read)
    assert selectors.verification(cert.code)["status"] == "revoked"


def test_unknown_code_is_not_cached_so_a_later_certificate_is_found(
    client, verify_cache, diskominfo, monkeypatch
):
    from ekraf.credentials import codes

    code = codes.new_code()
    assert client.get(f"/verifikasi/{code}").status_code == 404
    monkeypatch.setattr(codes, "new_code", lambda: code)
    training = cf.training(diskominfo)
    cf.completers(training, 1)
    cf.issue(training)
    assert Certificate.objects.get().code == code
    assert client.get(f"/verifikasi/{code}").status_code == 200


def test_the_page_reads_no_session_and_sets_no_cookie(
    client, verify_cache, cert, creator_user, django_assert_num_queries
):
    client.force_login(creator_user)
    client.get(f"/verifikasi/{cert.code}")  # the answer is now cached
    with django_assert_num_queries(0):  # a session read would be a query (database sessions)
        response = client.get(f"/verifikasi/{cert.code}")
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "<form" not in response.content.decode()
    # The security headers stay.
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_lean_page_shows_the_city_from_data_and_links_to_the_full_site(client, cert):
    city = City.objects.get()
    body = client.get(f"/verifikasi/{cert.code}").content.decode()
    assert city.platform_name in body and city.name in body
    assert 'href="/"' in body and 'lang="id"' in body
    assert "navbar" not in body
    city.platform_name = "Portal Ekraf Kota Contoh"
    city.save()  # the memo is cleared in this process at once
    assert "Portal Ekraf Kota Contoh" in client.get(f"/verifikasi/{cert.code}").content.decode()


def test_english_when_chosen_by_cookie_or_by_the_link(client, verify_cache, cert):
    body = client.get(f"/verifikasi/{cert.code}").content.decode()
    assert "Hasil verifikasi" in body and 'href="?lang=en"' in body
    english = client.get(f"/verifikasi/{cert.code}?lang=en")
    assert "Verification result" in english.content.decode()
    assert english["Content-Language"] == "en" and not english.cookies
    assert 'href="?lang=id"' in english.content.decode()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    by_cookie = client.get(f"/verifikasi/{cert.code}").content.decode()
    assert '<html lang="en">' in by_cookie and "Verification result" in by_cookie
    back = client.get(f"/verifikasi/{cert.code}?lang=id").content.decode()
    assert '<html lang="id">' in back and "Hasil verifikasi" in back
    # An unknown language in the link falls back to the chosen one.
    assert "Verification result" in client.get(f"/verifikasi/{cert.code}?lang=xx").content.decode()


def test_rate_limited_page_is_lean_with_retry_after(client, cert, settings):
    settings.VERIFY_RATE_PER_MINUTE = 1
    assert client.get(f"/verifikasi/{cert.code}").status_code == 200
    response = client.get(f"/verifikasi/{cert.code}")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "Terlalu banyak permintaan" in response.content.decode()
    assert "Cookie" not in response.get("Vary", "") and not response.cookies


# --- the training's kind is not printed twice -----------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "title", "expected"),
    [
        ("Workshop", "Fotografi Produk", "Workshop “Fotografi Produk”"),
        ("Workshop", "Workshop Fotografi Produk", "“Workshop Fotografi Produk”"),
        ("Workshop", "WORKSHOP: Fotografi", "“WORKSHOP: Fotografi”"),
        ("Workshop", "Workshops of the City", "Workshop “Workshops of the City”"),
        ("Pelatihan", "pelatihan konten", "“pelatihan konten”"),
        ("Bimbingan teknis", "Bimtek Fotografi Produk", "“Bimtek Fotografi Produk”"),
        ("Bimbingan teknis", "Fotografi Produk", "Bimbingan teknis “Fotografi Produk”"),
        ("", "Fotografi", "“Fotografi”"),
    ],
)
def test_kind_and_title(kind, title, expected):
    assert kind_and_title(kind, title) == expected


@pytest.fixture
def workshop_cert(diskominfo):
    training = cf.training(diskominfo, title="Workshop Fotografi Produk")
    Training.objects.filter(pk=training.pk).update(kind=Training.Kind.WORKSHOP)
    training.refresh_from_db()
    cf.registration(training, factories.user("w", full_name="Rina Wati"))
    cf.issue(training)
    return Certificate.objects.get()


def test_a_title_starting_with_its_kind_is_not_prefixed_again(client, workshop_cert):
    cert = workshop_cert
    assert cert.training_kind == "Workshop"
    page = client.get(f"/verifikasi/{cert.code}").content.decode()
    assert "“Workshop Fotografi Produk”" in page and "Workshop “Workshop" not in page
    with default_storage.open(cert.pdf, "rb") as fh:
        text = " ".join(PdfReader(io.BytesIO(fh.read())).pages[0].extract_text().split())
    assert "menyelesaikan “Workshop Fotografi Produk”" in text and "Workshop “Workshop" not in text
    assert openbadges._description(cert).startswith("“Workshop Fotografi Produk” oleh")


def test_the_wallet_share_text_names_the_training_once(client, workshop_cert):
    from urllib.parse import unquote

    client.force_login(workshop_cert.holder)
    item = client.get("/sertifikat-saya/").context["items"][0]
    text = unquote(item["whatsapp_url"])
    assert "keikutsertaan “Workshop Fotografi Produk”" in text or (
        "kelulusan “Workshop Fotografi Produk”" in text
    )
    assert "Workshop “Workshop" not in text


# --- the rate limit and the answer cache on a real Redis -------------------------------------------

REDIS_URL = os.environ.get("EKRAF_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def on_redis(settings):
    """Both caches on an empty Redis database (only the test DB is flushed, before and after)."""
    import redis

    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        server.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis not reachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    server.flushdb()
    redis_cache = "ekraf.core.cache.RedisCache"
    settings.CACHES = {
        "default": {"BACKEND": redis_cache, "LOCATION": REDIS_URL, "KEY_PREFIX": "t"},
        "ratelimit": {"BACKEND": redis_cache, "LOCATION": REDIS_URL},
    }
    settings.VERIFY_CACHE_SECONDS = 600
    yield server
    server.flushdb()
    server.close()


@pytest.mark.redis
def test_rate_limit_on_redis_counts_in_one_key_with_an_expiry(client, cert, settings, on_redis):
    from django.core.cache import caches

    settings.VERIFY_RATE_PER_MINUTE = 3
    for _ in range(3):
        assert client.get(f"/verifikasi/{cert.code}").status_code == 200
    limited = client.get(f"/api/v1/certificates/{cert.code}")
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    page = client.get(f"/verifikasi/{cert.code}")
    assert page.status_code == 429 and page["Retry-After"] == "60"
    assert client.get(f"/verifikasi/{cert.code}", REMOTE_ADDR="10.0.0.9").status_code == 200
    keys = on_redis.keys("*rl:verify:127.0.0.1:*")
    assert len(keys) == 1
    assert 0 < on_redis.ttl(keys[0]) <= ratelimit.KEY_SECONDS
    assert int(on_redis.get(keys[0])) == 5
    # The same client object serves every call of this process.
    rl = caches["ratelimit"]
    assert rl._cache.get_client(write=True) is rl._cache.get_client(write=True)


@pytest.mark.redis
def test_verification_cache_on_redis_and_revocation(
    client, cert, organiser, on_redis, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.get(f"/api/v1/certificates/{cert.code}")
    with django_assert_num_queries(0):
        assert client.get(f"/api/v1/certificates/{cert.code}").json()["status"] == "valid"
    assert on_redis.keys(f"t:*verify:v1:{cert.code}")
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_certificate(organiser, cert.code, "Diterbitkan keliru oleh panitia")
    assert on_redis.keys(f"t:*verify:page:*:id:valid:{cert.code}") == []  # only the API asked
    assert client.get(f"/api/v1/certificates/{cert.code}").json()["status"] == "revoked"
    assert "DICABUT" in client.get(f"/verifikasi/{cert.code}").content.decode()


@pytest.mark.redis
def test_a_repeat_lookup_is_one_redis_round_trip_and_no_query(
    client, cert, on_redis, django_assert_num_queries, monkeypatch
):
    """The rate limit's count and the cached answer (and page) travel in one pipeline."""
    from redis.connection import AbstractConnection

    sent = []
    original = AbstractConnection.send_packed_command

    def counting(self, command, *args, **kwargs):
        sent.append(command)
        return original(self, command, *args, **kwargs)

    client.get(f"/verifikasi/{cert.code}")  # fills the answer and the page
    client.get(f"/api/v1/certificates/{cert.code}")
    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    for path in (f"/verifikasi/{cert.code}", f"/api/v1/certificates/{cert.code}"):
        sent.clear()
        with django_assert_num_queries(0):
            response = client.get(path)
        assert response.status_code == 200
        assert len(sent) == 1, path
    assert "ASLI" in client.get(f"/verifikasi/{cert.code}").content.decode()


@pytest.mark.redis
def test_a_count_that_fetches_nothing_is_one_redis_round_trip(rf, on_redis, monkeypatch):
    """ratelimit.allow (the verification form) counts and reads nothing else."""
    from redis.connection import AbstractConnection

    sent = []
    original = AbstractConnection.send_packed_command

    def counting(self, command, *args, **kwargs):
        sent.append(command)
        return original(self, command, *args, **kwargs)

    ratelimit.allow(rf.get("/verifikasi/"), "verify")  # the window's first: INCR, then EXPIRE
    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    assert ratelimit.allow(rf.get("/verifikasi/"), "verify")
    assert len(sent) == 1


@pytest.mark.redis
def test_refused_by_the_limit_in_the_same_round_trip(client, cert, settings, on_redis):
    settings.VERIFY_RATE_PER_MINUTE = 2
    assert client.get(f"/api/v1/certificates/{cert.code}").status_code == 200
    assert client.get(f"/verifikasi/{cert.code}").status_code == 200
    assert client.get(f"/api/v1/certificates/{cert.code}").status_code == 429
    assert client.get(f"/verifikasi/{cert.code}").status_code == 429
    assert client.get("/verifikasi/0000-0000-0000-0").status_code == 429  # mistyped: counted too
