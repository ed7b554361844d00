"""Point 8: the demo gives every room a week of bookings — approved, pending, a series, a
declined one — among the training sessions, and the `ruang` login a queue to work through."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from ekraf.accounts.models import User
from ekraf.core.demokit import DemoContext
from ekraf.core.models import OutboxMessage, Space
from ekraf.spaces import demo, selectors
from ekraf.spaces.models import Booking

pytestmark = pytest.mark.django_db
S = Booking.Status


@pytest.fixture
def demo_city(city, settings):
    from ekraf.accounts import demo as accounts_demo
    from ekraf.trainings import demo as trainings_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ctx = DemoContext(seed=2024, out=io.StringIO())
    accounts_demo.build(ctx)
    trainings_demo.build(ctx)
    demo.build(ctx)
    return ctx


def test_every_room_has_a_week_of_bookings_and_the_manager_a_queue(demo_city, client):
    requests = Booking.objects.exclude(source=Booking.Source.TRAINING)
    rooms_used = set(requests.values_list("space__code", flat=True))
    assert rooms_used == set(Space.objects.values_list("code", flat=True))
    statuses = Counter(requests.values_list("status", flat=True))
    assert statuses[S.APPROVED] >= 11 and statuses[S.PENDING] >= 5
    assert statuses[S.DECLINED] >= 1 and statuses[S.QUEUED] >= 1
    assert requests.filter(series__isnull=False, status=S.APPROVED).count() >= 3
    assert requests.filter(source=Booking.Source.DIRECT).exists()
    assert Booking.objects.filter(source=Booking.Source.TRAINING).exists()
    assert any(g.conflicting for g in selectors.queue())
    assert not OutboxMessage.objects.filter(kind__startswith="room.", status="pending").exists()
    manager = User.objects.get(username="ruang")
    client.force_login(manager)
    body = client.get(reverse("spaces:manage_queue")).content.decode()
    assert "saling bentrok" in body


def test_load_demo_runs_the_spaces_step_after_trainings(city, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert text.index("Pelatihan") < text.index("Ruang MCC")
    assert "pemesanan ruang" in text


@pytest.mark.parametrize("weekday", [5, 6, 0])  # loaded on a Saturday, a Sunday, a Monday
def test_the_demo_loaded_on_any_day_has_its_direct_booking_and_closed_saturday(
    city, settings, monkeypatch, weekday
):
    """The sixth day of the demo's week is the closed Saturday when the demo is loaded on a
    Saturday (in the city's time): the manager's direct booking must fall on an open day."""
    import datetime as dt
    from types import SimpleNamespace

    from django.utils import timezone

    from ekraf.accounts import demo as accounts_demo
    from ekraf.spaces.models import Blackout

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    real = timezone.localdate()
    today = real + dt.timedelta(days=(weekday - real.weekday()) % 7)
    fake = SimpleNamespace(
        localdate=lambda: today, now=timezone.now, make_aware=timezone.make_aware
    )
    monkeypatch.setattr(demo, "timezone", fake)
    ctx = DemoContext(seed=2024, out=io.StringIO())
    accounts_demo.build(ctx)
    demo.build(ctx)
    direct = Booking.objects.get(source=Booking.Source.DIRECT)
    closed = Blackout.objects.get(kind=Blackout.Kind.MAINTENANCE)
    assert timezone.localtime(closed.starts_at).date().weekday() == 5
    assert not closed.starts_at <= direct.starts_at < closed.ends_at
