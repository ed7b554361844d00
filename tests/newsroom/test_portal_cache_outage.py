"""A Redis that is down costs the portal's anonymous readers speed, never a page: each failed
cache operation is one warning, the page is built from the database, a publication goes
through, and after recovery a page kept before the outage is not served for a story published
during it (the generation bump lost meanwhile is made first)."""

import logging

import pytest
import redis
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from ekraf.newsroom import cache as portal_cache

from . import factories as nf

pytestmark = pytest.mark.django_db

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
UNREACHABLE = {
    "BACKEND": "ekraf.core.cache.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
}
LOGGER = "ekraf.newsroom.cache"


@pytest.fixture(autouse=True)
def _fresh_store(monkeypatch):
    store = portal_cache.store
    monkeypatch.setattr(store, "_failures", 0)
    monkeypatch.setattr(store, "_repaired", 0)
    monkeypatch.setattr(store, "_next_try", 0.0)
    monkeypatch.setattr(store, "retry_seconds", 0.0)


def _anonymous(url):
    client = Client()
    client.cookies.clear()
    return client.get(url)


def test_anonymous_readers_get_their_pages_and_stories_publish_while_redis_is_down(
    settings, reporter, editor, caplog, django_capture_on_commit_callbacks
):
    settings.CACHES = {"default": UNREACHABLE, "ratelimit": {**LOCMEM, "LOCATION": "rl"}}
    caplog.set_level(logging.WARNING, logger=LOGGER)
    with django_capture_on_commit_callbacks(execute=True):
        story = nf.published(reporter, editor, title="Cerita saat Redis padam")
    for url in (reverse("newsroom:portal"), reverse("newsroom:story", args=[story.public_id])):
        response = _anonymous(url)
        assert response.status_code == 200, url
        assert "Cerita saat Redis padam" in response.content.decode()
    warnings = [r for r in caplog.records if r.name == LOGGER]
    assert warnings and all(r.levelno == logging.WARNING for r in warnings)


def test_after_recovery_a_page_kept_before_the_outage_is_not_served(
    settings, reporter, editor, django_capture_on_commit_callbacks
):
    settings.CACHES = {"default": {**LOCMEM, "LOCATION": "portal-outage"}}
    backend = caches["default"]
    backend.clear()
    nf.published(reporter, editor, title="Cerita pertama")
    portal = reverse("newsroom:portal")
    assert "Cerita pertama" in _anonymous(portal).content.decode()  # kept
    before = portal_cache.generation()

    def fail(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379.")

    with pytest.MonkeyPatch.context() as outage:
        for name in ("get", "get_many", "set", "add", "incr", "delete"):
            outage.setattr(backend, name, fail)
        with django_capture_on_commit_callbacks(execute=True):
            nf.published(reporter, editor, title="Cerita saat padam")
        assert "Cerita saat padam" in _anonymous(portal).content.decode()
    # Back, still holding the old generation and the page kept under it.
    assert backend.get(portal_cache.GENERATION_KEY) == before
    assert "Cerita saat padam" in _anonymous(portal).content.decode()
    assert portal_cache.generation() != before
    assert "Cerita saat padam" in _anonymous(portal).content.decode()  # cached again
    backend.clear()
