"""current_city() is read once per process and TTL, and a change in this process shows at once."""

import pytest
from django.conf import settings

from ekraf.core import selectors
from ekraf.core.models import City
from ekraf.core.services import load_city

pytestmark = pytest.mark.django_db


def test_the_city_is_read_once_then_memoised(city, django_assert_num_queries):
    selectors.clear_city_memo()
    with django_assert_num_queries(1):
        assert selectors.current_city().pk == city.pk
    with django_assert_num_queries(0):
        assert selectors.current_city().pk == city.pk


def test_a_change_in_this_process_shows_at_once(city, django_capture_on_commit_callbacks):
    assert selectors.current_city().platform_name == city.platform_name
    city.platform_name = "Portal Kreatif"
    with django_capture_on_commit_callbacks(execute=True):
        city.save()
    assert selectors.current_city().platform_name == "Portal Kreatif"
    City.objects.all().delete()
    assert selectors.current_city() is None


def test_load_city_takes_effect(db):
    assert selectors.current_city() is None  # memoised "no city yet"
    load_city(settings.EKRAF_CITY_DATA_DIR)
    assert selectors.current_city() == City.objects.get()


def test_other_processes_changes_show_after_the_ttl(city, monkeypatch):
    """A change made elsewhere (another web process) sends no signal here: the memo expires."""
    now = [1000.0]
    monkeypatch.setattr(selectors.time, "monotonic", lambda: now[0])
    selectors.clear_city_memo()
    assert selectors.current_city().name == city.name
    City.objects.update(name="Kota Lain")  # no signal, as if from another process
    assert selectors.current_city().name == city.name
    now[0] += selectors.CITY_MEMO_SECONDS + 1
    assert selectors.current_city().name == "Kota Lain"


def test_pages_do_not_read_the_city_each_request(client, city, django_assert_num_queries):
    client.get("/privasi/")
    with django_assert_num_queries(0):
        response = client.get("/privasi/")
    assert city.platform_name in response.content.decode()
