"""Redis stops answering: a signed-in person (whose session lives in Redis) gets the 503 page
instead of a traceback, on the site and in the API; a bug is still the 500 page. Verification
keeps answering: tests/credentials/test_verification_outage.py.

Redis "down" is a Redis cache on a port where nothing listens: every command is refused at
once, as when the server is stopped. No Redis is needed to run these tests.
"""

import pytest
from django.test import override_settings
from django.urls import include, path
from redis.exceptions import ConnectionError as RedisConnectionError

pytestmark = pytest.mark.django_db

DOWN = {"BACKEND": "ekraf.core.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}


def test_a_signed_in_person_gets_the_503_page_not_a_traceback(client, settings, organiser):
    """The session lives in Redis (cached_db, as with REDIS_URL): reading it fails in a
    middleware, before any view; the page and the API both say "try again" with a 503."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(organiser)  # on the working cache
    settings.CACHES = {"default": DOWN, "ratelimit": DOWN}
    client.raise_request_exception = False
    page = client.get("/kelola/")
    assert page.status_code == 503 and page["Retry-After"] == "30"
    body = page.content.decode()
    assert "Layanan sedang terganggu" in body and "Sebagian layanan" in body
    assert "Traceback" not in body
    api = client.get("/api/v1/regions")
    assert api.status_code == 503 and api.json()["code"] == "service_unavailable"


def _redis_fails_in_the_view(request):
    raise RedisConnectionError("Connection refused")


def _a_bug(request):
    raise ValueError("a bug")


# The site's own routes too: its middleware and the error pages reverse them.
urlpatterns = [
    path("uji/redis/", _redis_fails_in_the_view),
    path("uji/bug/", _a_bug),
    path("", include("ekraf.urls")),
]


def test_redis_failing_inside_a_view_is_a_503_and_a_bug_still_a_500(client, city):
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=__name__):
        outage, bug = client.get("/uji/redis/"), client.get("/uji/bug/")
    assert outage.status_code == 503 and "Sebagian layanan" in outage.content.decode()
    assert bug.status_code == 500 and "Sebagian layanan" not in bug.content.decode()
