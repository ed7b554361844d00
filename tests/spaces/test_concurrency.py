"""No room held twice, proven on PostgreSQL with real concurrent connections (the harness of
tests/trainings/test_concurrency.py: a thread and a connection per worker, capped by the
server's free connection slots, all released at once).

Each test sets two groups of attempts on one room with a 30-minute buffer: group A at
10.00–11.00, group B at 11.15–12.00. Within a group they overlap outright; across the groups
they clash only through the buffer (11.15 is less than 30 minutes after 11.00). Exactly one
attempt of all may win."""

from collections import Counter

import pytest
from django.db import IntegrityError

from ekraf.core.errors import Conflict
from ekraf.core.overlap import Overlap
from ekraf.spaces import services
from ekraf.spaces.models import Booking
from ekraf.trainings import services as trainings
from ekraf.trainings.models import Training
from tests import factories
from tests.spaces import factories as sf
from tests.trainings.test_concurrency import _workers, run_concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("one_connection_per_thread"),
]
S = Booking.Status


def _slots(day, n):
    a = (sf.at(day, 10), sf.at(day, 11))
    b = (sf.at(day, 11, 15), sf.at(day, 12))
    return [a if i % 2 else b for i in range(n)]


def _held(room):
    return Booking.objects.filter(space=room.space, status__in=Booking.HOLDING)


def test_overlapping_approvals_from_many_connections_approve_exactly_one():
    factories.ensure_city()
    room = sf.room("ruang-workshop", buffer_minutes=30)
    day = sf.monday(1)
    manager = sf.manager()
    requests = [sf.request(room.space, start, end) for start, end in _slots(day, 40)]
    assert Counter(b.status for b in requests) == {S.PENDING: 1, S.QUEUED: 39}
    tasks = [(lambda b=b: services.approve(manager, b)) for b in requests]
    tasks += [(lambda b=b: services.approve(manager, b)) for b in requests[:10]]  # double clicks
    results, errors = run_concurrently(tasks, _workers(len(tasks)))
    assert len(results) == 1, errors
    assert all(isinstance(e, Conflict) for e in errors), errors
    statuses = Counter(Booking.objects.filter(space=room.space).values_list("status", flat=True))
    assert statuses == {S.APPROVED: 1, S.DECLINED: 39}
    assert _held(room).count() == 1


def test_overlapping_direct_bookings_by_staff_hold_the_room_once():
    factories.ensure_city()
    room = sf.room("ruang-workshop", buffer_minutes=30)
    day = sf.monday(1)
    manager = sf.manager()
    tasks = [
        (lambda s=start, e=end: sf.direct(room.space, s, e, by=manager))
        for start, end in _slots(day, 60)
    ]
    results, errors = run_concurrently(tasks, _workers(len(tasks)))
    assert len(results) == 1
    assert len(errors) == 59 and all(isinstance(e, Overlap) for e in errors), errors
    # The racing writes the check could not see were refused by the exclusion constraint and
    # reported like any clash: with the booking in the way.
    winner = results[0]
    assert all(e.clash is not None and e.clash.pk == winner.pk for e in errors)
    # (In a run here all 59 refusals came from the constraint, not the check: every thread
    # passed the check at once.)
    assert any(isinstance(e.__cause__, IntegrityError) for e in errors)
    assert _held(room).count() == 1


def test_training_sessions_and_bookings_racing_for_one_room_hold_it_once():
    factories.ensure_city()
    room = sf.room("ruang-workshop", buffer_minutes=30)
    day = sf.monday(1)
    manager = sf.manager()
    diskominfo = factories.agency("diskominfo")
    organiser = factories.user("org", role="organiser", agency=diskominfo)

    def training(start, end, n):
        return trainings.create_training(
            organiser,
            agency=diskominfo,
            fields={"title": f"Bimtek Balapan {n}"},
            sessions=[trainings.SessionInput(starts_at=start, ends_at=end, space=room.space)],
            categories=[trainings.CategoryInput(name="Umum", seats=20)],
        )

    slots = _slots(day, 40)
    tasks = []
    for n, (start, end) in enumerate(slots):
        if n % 2:
            tasks.append(lambda s=start, e=end, n=n: training(s, e, n))
        else:
            tasks.append(lambda s=start, e=end: sf.direct(room.space, s, e, by=manager))
    results, errors = run_concurrently(tasks, _workers(len(tasks)))
    assert len(results) == 1
    assert all(isinstance(e, Overlap) for e in errors), errors
    assert _held(room).count() == 1
    # A refused training left nothing behind: its whole creation was rolled back.
    won_training = isinstance(results[0], Training)
    assert Training.objects.filter(title__startswith="Bimtek Balapan").count() == int(won_training)
