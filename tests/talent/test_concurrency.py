"""Two approvals of one speaker for overlapping engagements race on PostgreSQL: exactly one
wins (the check both may pass; the exclusion constraint refuses the loser)."""

from datetime import timedelta

import pytest

from ekraf.core.errors import Conflict
from ekraf.talent import services
from ekraf.talent.models import SpeakerBooking
from tests import factories
from tests.talent import factories as tf
from tests.trainings.test_concurrency import run_concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("one_connection_per_thread"),
]


def test_two_overlapping_acceptances_race_and_exactly_one_wins():
    factories.ensure_city()
    agency = factories.agency("diskominfo")
    staff = tf.staff(agency)
    dewi = tf.talent("Dewi Rebutan")
    start = tf.at(days=4, hour=9)
    bookings = []
    for i in range(8):
        request = tf.speaker_request(
            staff, agency, start=start + timedelta(minutes=10 * i), event=f"Acara {i}"
        )
        bookings.append(services.shortlist(staff, request, dewi))
    tasks = [(lambda b=b: services.accept(dewi.user, b)) for b in bookings]
    results, errors = run_concurrently(tasks, len(tasks))
    assert len(results) == 1, errors
    assert len(errors) == 7 and all(isinstance(e, Conflict) for e in errors), errors
    held = SpeakerBooking.objects.filter(creator=dewi, status__in=SpeakerBooking.HOLDING)
    assert held.count() == 1
