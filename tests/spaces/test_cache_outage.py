"""A Redis that is down costs speed, never a booking: the version bump of a booking write, the
version read and the entries all fail softly (one warning each), the availability API answers
from the database, and after recovery no answer kept before the outage is served for a change
made during it (the lost bump is made first)."""

import json
import logging
import os

import pytest
import redis
from django.core.cache import caches

from ekraf.spaces import availability, services
from tests.spaces import factories as sf
from tests.spaces.factories import month_availability_url

pytestmark = pytest.mark.django_db

REDIS_CACHE = "ekraf.core.cache.RedisCache"
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
# Nothing listens on port 1: every command fails at once with a ConnectionError.
UNREACHABLE = {
    "BACKEND": REDIS_CACHE,
    "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
}
REDIS_URL = os.environ.get("EKRAF_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
LOGGER = "ekraf.spaces.availability"


@pytest.fixture(autouse=True)
def _fresh_store(settings, monkeypatch):
    """Caching on, and the process's memory of failures forgotten (it is per process)."""
    settings.SPACES_AVAILABILITY_CACHE_SECONDS = 600
    store = availability.store
    monkeypatch.setattr(store, "_failures", 0)
    monkeypatch.setattr(store, "_repaired", 0)
    monkeypatch.setattr(store, "_next_try", 0.0)
    monkeypatch.setattr(store, "retry_seconds", 0.0)  # tests recover at once
    yield


def _down(settings):
    settings.CACHES = {"default": UNREACHABLE, "ratelimit": {**LOCMEM, "LOCATION": "rl-outage"}}


def _busy(client, day) -> list[bool]:
    response = client.get(month_availability_url(day))
    assert response.status_code == 200
    return [b["firm"] for b in json.loads(response.content)["busy"] if b["kind"] != "closed"]


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


def test_a_booking_is_made_and_approved_and_the_api_answers_while_redis_is_down(
    settings, client, workshop, day, space_manager, caplog, django_capture_on_commit_callbacks
):
    _down(settings)
    caplog.set_level(logging.WARNING, logger=LOGGER)
    assert _busy(client, day) == []
    with django_capture_on_commit_callbacks(execute=True):
        booking = sf.request(workshop.space, sf.at(day, 9), sf.at(day, 11))
    assert _busy(client, day) == [False]
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(space_manager, booking)
    booking.refresh_from_db()
    assert booking.status == booking.Status.APPROVED
    assert _busy(client, day) == [True]
    assert availability.version() is None  # not to be used: answered from the database
    messages = _warnings(caplog)
    assert messages and all("Cache unavailable" in m for m in messages)
    assert all(r.levelno == logging.WARNING for r in caplog.records if r.name == LOGGER)


def test_each_failure_is_one_warning_and_a_read_skips_the_cache_after_it(
    settings, client, workshop, day, caplog, monkeypatch
):
    _down(settings)
    monkeypatch.setattr(availability.store, "retry_seconds", 60.0)
    caplog.set_level(logging.WARNING, logger=LOGGER)
    assert _busy(client, day) == []  # one failed read: one warning
    assert len(_warnings(caplog)) == 1
    # Within the retry interval the cache is not tried again: no stall, no further warning.
    assert _busy(client, day) == []
    availability.changed()
    assert len(_warnings(caplog)) == 1


def _failing(monkeypatch, backend):
    """The cache backend's every operation raises as redis-py does when Redis is unreachable."""

    def fail(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379.")

    for name in ("get", "get_many", "set", "add", "incr", "delete"):
        monkeypatch.setattr(backend, name, fail)


def test_after_recovery_no_answer_kept_before_the_outage_is_served(
    settings, client, workshop, day, space_manager, caplog
):
    """Redis was unreachable, not restarted: it comes back holding the old version and the
    answers kept under it. The bump lost during the outage is made before the cache is used."""
    settings.CACHES = {
        "default": {**LOCMEM, "LOCATION": "spaces-outage"},
        "ratelimit": {**LOCMEM, "LOCATION": "rl-outage"},
    }
    backend = caches["default"]
    backend.clear()
    assert _busy(client, day) == []  # kept under the current version
    before = availability.version()
    with pytest.MonkeyPatch.context() as outage:
        _failing(outage, backend)
        booking = sf.request(workshop.space, sf.at(day, 9), sf.at(day, 11))
        assert _busy(client, day) == [False]
    # Back, with the old version and the old (empty) answer still in it.
    assert backend.get(availability.VERSION_KEY) == before
    assert _busy(client, day) == [False]
    assert availability.version() != before
    assert not availability.store.owed
    # And the cache is used again: the next change is still seen at once.
    services.approve(space_manager, booking)
    assert _busy(client, day) == [True]
    backend.clear()


@pytest.fixture
def real_redis(settings):
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        server.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis not reachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    server.flushdb()
    yield {"BACKEND": REDIS_CACHE, "LOCATION": REDIS_URL, "KEY_PREFIX": "t"}
    server.flushdb()
    server.close()


@pytest.mark.redis
def test_on_redis_down_and_back_the_answers_stay_exact(
    settings, client, workshop, day, space_manager, real_redis, django_capture_on_commit_callbacks
):
    ratelimit = {**LOCMEM, "LOCATION": "rl-outage"}
    settings.CACHES = {"default": real_redis, "ratelimit": ratelimit}
    assert _busy(client, day) == []
    before = availability.version()
    _down(settings)  # the same processes, Redis unreachable
    with django_capture_on_commit_callbacks(execute=True):
        booking = sf.request(workshop.space, sf.at(day, 9), sf.at(day, 11))
        services.approve(space_manager, booking)
    assert _busy(client, day) == [True]
    settings.CACHES = {"default": real_redis, "ratelimit": ratelimit}  # back, old entries kept
    assert caches["default"].get(availability.VERSION_KEY) == before
    assert _busy(client, day) == [True]
    assert availability.version() > before
    assert _busy(client, day) == [True]  # now from the cache again
