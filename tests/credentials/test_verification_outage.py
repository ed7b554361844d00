"""Verification while Redis stops answering: a QR scan is still answered (from the
database, unthrottled, logged), and a revocation made during the outage shows as soon as
Redis is back, not when the old answer expires (selectors.repair_withdrawn_answers).

Redis "down" is a Redis cache on a port where nothing listens: every command is refused at
once, as when the server is stopped. No Redis is needed to run these tests.
"""

import pytest
from django.core.cache import cache
from redis.exceptions import ConnectionError as RedisConnectionError

from ekraf.core import selectors as core_selectors
from ekraf.credentials import selectors, services
from tests.credentials.test_verification import qr_path
from tests.ops.test_redis_outage import DOWN

pytestmark = pytest.mark.django_db

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": DOWN, "ratelimit": DOWN}
    settings.VERIFY_CACHE_SECONDS = 600
    core_selectors.clear_city_memo()
    yield
    core_selectors.clear_city_memo()


def test_a_qr_scan_is_answered_from_the_database_while_redis_is_down(client, redis_down, cert):
    page = client.get(f"/verifikasi/{cert.code}")
    assert page.status_code == 200
    assert "Budi Hartono" in page.content.decode() and "ASLI" in page.content.decode()
    assert client.get(qr_path(cert)).status_code == 200
    api = client.get(f"/api/v1/certificates/{cert.code}")
    assert api.status_code == 200 and api.json()["status"] == "valid"
    assert client.get("/verifikasi/ZZZZZZZZZZZZZ").status_code == 404  # unknown, still clear


def test_a_revocation_during_an_outage_shows_once_redis_is_back(
    client, settings, cert, organiser, django_capture_on_commit_callbacks, monkeypatch
):
    """Redis answers the scans, then fails just as the certificate is revoked (the revoked
    answer cannot be written over the kept one), then answers again holding the old "valid"
    answer: the periodic repair replaces it within a minute, not ten."""
    settings.CACHES = {
        "default": {**LOCMEM, "LOCATION": "outage-tests"},
        "ratelimit": {**LOCMEM, "LOCATION": "outage-ratelimit"},
    }
    settings.VERIFY_CACHE_SECONDS = 600
    cache.clear()
    assert client.get(f"/api/v1/certificates/{cert.code}").json()["status"] == "valid"

    def refused(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    with monkeypatch.context() as outage:
        outage.setattr(selectors.cache, "set", refused)
        with django_capture_on_commit_callbacks(execute=True):
            services.revoke_certificate(organiser, cert.code, "Nama peserta keliru")
    stale = client.get(f"/api/v1/certificates/{cert.code}").json()
    assert stale["status"] == "valid"  # what Redis still held when it came back

    assert selectors.repair_withdrawn_answers() == 1
    api = client.get(f"/api/v1/certificates/{cert.code}").json()
    assert api["status"] == "revoked" and api["revoked_reason"] == "Nama peserta keliru"
    assert "DICABUT" in client.get(f"/verifikasi/{cert.code}").content.decode()
    cache.clear()


def test_the_repair_reads_only_recent_withdrawals(
    settings, cert, organiser, django_assert_num_queries
):
    from ekraf.core import periodic

    assert "credentials-repair-withdrawn-answers" in {job.name for job in periodic.jobs()}
    settings.VERIFY_CACHE_SECONDS = 0
    assert selectors.repair_withdrawn_answers() == 0  # no cache of answers: nothing to repair
    settings.VERIFY_CACHE_SECONDS = 600
    with django_assert_num_queries(1):
        assert selectors.repair_withdrawn_answers() == 0  # nothing withdrawn
