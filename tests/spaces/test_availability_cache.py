"""Issue 11's bench target: a month's availability (API and the public month page) is kept in
the cache under a version every change of a hold bumps. A repeat reads no bookings; a booking
made, approved, cancelled, a closure added: visible on the very next request."""

import json
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ekraf.spaces import availability, services
from ekraf.spaces.models import Blackout
from tests.spaces import factories as sf
from tests.spaces.factories import month_availability_url

pytestmark = pytest.mark.django_db

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


@pytest.fixture(autouse=True)
def spaces_cache(settings):
    settings.CACHES = {
        "default": {**LOCMEM, "LOCATION": "spaces-availability-tests"},
        "ratelimit": {**LOCMEM, "LOCATION": "ratelimit-tests"},
    }
    settings.SPACES_AVAILABILITY_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def _month(day) -> str:
    return reverse("spaces:calendar") + f"?bulan={day:%Y-%m}"


def _busy(client, day) -> list[dict]:
    response = client.get(month_availability_url(day))
    assert response.status_code == 200
    return [b for b in json.loads(response.content)["busy"] if b["kind"] != "closed"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_a_booking_change_is_visible_on_the_next_request(client, workshop, day, space_manager):
    assert _busy(client, day) == []
    assert "ditahan" not in client.get(_month(day)).content.decode()
    booking = sf.request(workshop.space, sf.at(day, 9), sf.at(day, 11))
    # made: the very next request shows the hold, tentative
    assert [b["firm"] for b in _busy(client, day)] == [False]
    assert "1 ditahan" in client.get(_month(day)).content.decode()
    services.approve(space_manager, booking)
    assert [b["firm"] for b in _busy(client, day)] == [True]
    month = client.get(_month(day)).content.decode()
    assert "1 terisi" in month and "ditahan" not in month
    booking.refresh_from_db()
    services.cancel_booking(space_manager, booking, reason="Acara batal")
    assert _busy(client, day) == []
    assert "terisi" not in client.get(_month(day)).content.decode()


def test_a_closure_is_visible_on_the_next_request(client, workshop, day, space_manager):
    assert "Tutup</div>" not in client.get(_month(day)).content.decode()
    services.add_blackout(
        space_manager,
        workshop,
        kind=Blackout.Kind.MAINTENANCE,
        reason="Pengecatan",
        starts_at=sf.at(day, 8),
        ends_at=sf.at(day, 17),
    )
    assert "Tutup</div>" in client.get(_month(day)).content.decode()


def test_a_repeat_reads_no_bookings_and_the_count_stays_constant(client, workshop, day):
    sf.request(workshop.space, sf.at(day, 9), sf.at(day, 11))
    client.get(_month(day))  # the city is read once per process (memo), not per page
    availability.changed()
    miss, hit = _queries(client, _month(day)), _queries(client, _month(day))
    assert hit == 0 and miss <= 4  # rooms, their hours, bookings, closures
    assert (
        _queries(client, month_availability_url(day)) == 3
        and _queries(client, month_availability_url(day)) == 0
    )
    # A range that does not run midnight to midnight is answered, never kept.
    odd = "/api/v1/spaces/availability?" + urlencode(
        {"from": sf.at(day, 7, 13).isoformat(), "to": sf.at(day, 19, 1).isoformat()}
    )
    assert _queries(client, odd) == _queries(client, odd) == 3
    # Many more bookings in every room: the same number of queries, hit or miss.
    for code in ("ruang-workshop", "auditorium", "podcast", "food-lab"):
        space = sf.room(code).space
        for d in range(5):
            when = day + timedelta(days=d)
            sf.request(space, sf.at(when, 16), sf.at(when, 17), attendees=4)
    assert _queries(client, _month(day)) == miss
    assert _queries(client, _month(day)) == hit
    assert (
        _queries(client, month_availability_url(day)) == 3
        and _queries(client, month_availability_url(day)) == 0
    )


def test_the_version_moves_inside_the_transaction_and_again_at_commit(
    django_capture_on_commit_callbacks,
):
    """A reader between the write and its commit may cache what it saw before the commit, but
    under a version the commit leaves behind."""
    before = availability.version()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        availability.changed()
        during = availability.version()
        assert during != before
    assert availability.version() not in (before, during)


def test_a_lost_version_starts_above_every_earlier_one():
    availability.changed()
    old = availability.version()
    cache.delete(availability.VERSION_KEY)
    assert availability.version() > old


def test_without_the_setting_nothing_is_cached(settings, client, workshop, day):
    settings.SPACES_AVAILABILITY_CACHE_SECONDS = 0
    cache.clear()
    client.get(_month(day))
    assert _queries(client, _month(day)) == _queries(client, _month(day)) > 0
    assert cache.get(availability.VERSION_KEY) is None
