"""Point 4: two bookings that hold one room never overlap, buffer included; training sessions
hold rooms through the same table, so a training and a booking never share a room either.

"Buffer between bookings" means: the next use of the room may start no sooner than `buffer`
minutes after the previous one ends. Each hold is stored as [start, end + buffer)."""

import pytest
from django.db import IntegrityError, transaction

from ekraf.core.overlap import Overlap
from ekraf.spaces import services
from ekraf.spaces.models import Booking
from ekraf.trainings import services as trainings
from tests.spaces import factories as sf

pytestmark = pytest.mark.django_db
S = Booking.Status


def test_a_hold_reaches_to_the_end_plus_the_buffer(workshop, day):
    booking = sf.direct(workshop.space, sf.at(day, 10), sf.at(day, 12))
    assert booking.until == sf.at(day, 12, 30)


def test_the_buffer_allows_the_full_gap_and_refuses_a_shorter_one(workshop, day):
    sf.direct(workshop.space, sf.at(day, 10), sf.at(day, 12))
    # 12.29 is less than 30 minutes after 12.00: refused, and the answer says why.
    with pytest.raises(Overlap) as refused:
        sf.direct(workshop.space, sf.at(day, 12, 29), sf.at(day, 14))
    assert "jeda 30 menit" in refused.value.message
    # 12.30 is exactly the buffer after: allowed.
    allowed = sf.direct(workshop.space, sf.at(day, 12, 30), sf.at(day, 14))
    assert allowed.status == S.APPROVED
    # And before: a use ending at 09.31 leaves less than 30 minutes before 10.00.
    with pytest.raises(Overlap):
        sf.direct(workshop.space, sf.at(day, 8, 30), sf.at(day, 9, 31))
    assert sf.direct(workshop.space, sf.at(day, 8, 30), sf.at(day, 9, 30)).status == S.APPROVED


def test_other_rooms_and_freed_bookings_do_not_clash(workshop, day, space_manager):
    first = sf.direct(workshop.space, sf.at(day, 10), sf.at(day, 12))
    other_room = sf.room("auditorium").space
    assert sf.direct(other_room, sf.at(day, 10), sf.at(day, 12)).status == S.APPROVED
    services.cancel_booking(space_manager, first)
    assert sf.direct(workshop.space, sf.at(day, 10), sf.at(day, 12)).status == S.APPROVED


@pytest.mark.postgres
def test_on_postgresql_the_database_itself_refuses_an_overlap(workshop, day):
    sf.direct(workshop.space, sf.at(day, 10), sf.at(day, 12))
    raw = Booking(
        space=workshop.space,
        starts_at=sf.at(day, 12, 10),
        ends_at=sf.at(day, 13),
        until=sf.at(day, 13, 30),
        status=S.APPROVED,
        title="lewat ORM langsung",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        raw.save()  # bypassing the services: the constraint still says no


def _session_input(space, start, end):
    return trainings.SessionInput(starts_at=start, ends_at=end, space=space)


def _training(organiser, agency, space, start, end, title="Bimtek Konten Kreator"):
    return trainings.create_training(
        organiser,
        agency=agency,
        fields={"title": title},
        sessions=[_session_input(space, start, end)],
        categories=[trainings.CategoryInput(name="Umum", seats=30)],
    )


def test_a_training_session_holds_its_room(organiser, diskominfo, workshop, day):
    training = _training(organiser, diskominfo, workshop.space, sf.at(day, 9), sf.at(day, 12))
    hold = Booking.objects.get(session__training=training)
    assert hold.source == Booking.Source.TRAINING and hold.status == S.APPROVED
    assert hold.until == sf.at(day, 12, 30) and hold.attendees == 30
    # A request for the room then is refused, naming the clash (not the training to a requester).
    with pytest.raises(Overlap) as refused:
        sf.request(workshop.space, sf.at(day, 11), sf.at(day, 13))
    assert refused.value.clash.pk == hold.pk
    assert "Bimtek" not in refused.value.message


def test_a_session_cannot_take_a_booked_room(organiser, diskominfo, workshop, day):
    booked = sf.direct(workshop.space, sf.at(day, 13), sf.at(day, 15))
    with pytest.raises(Overlap) as refused:
        _training(organiser, diskominfo, workshop.space, sf.at(day, 12), sf.at(day, 13, 15))
    assert refused.value.status == 409 and refused.value.clash.pk == booked.pk
    assert refused.value.data["clash"]["id"] == booked.public_id
    from ekraf.trainings.models import Training

    assert not Training.objects.filter(title="Bimtek Konten Kreator").exists()  # rolled back


def test_moving_and_cancelling_a_training_moves_and_frees_its_holds(
    organiser, diskominfo, workshop, day
):
    training = _training(organiser, diskominfo, workshop.space, sf.at(day, 9), sf.at(day, 11))
    session = training.sessions.get()
    trainings.update_training(
        organiser,
        training,
        fields={},
        sessions=[
            trainings.SessionInput(
                id=session.pk,
                starts_at=sf.at(day, 14),
                ends_at=sf.at(day, 16),
                space=workshop.space,
            )
        ],
    )
    hold = Booking.objects.get(session=session)
    assert hold.starts_at == sf.at(day, 14) and hold.status == S.APPROVED
    # The old slot is free again.
    assert sf.direct(workshop.space, sf.at(day, 9), sf.at(day, 11)).status == S.APPROVED
    trainings.cancel_training(organiser, training, "Narasumber berhalangan")
    assert not Booking.objects.filter(session__training=training).exists()
    assert sf.direct(workshop.space, sf.at(day, 14), sf.at(day, 16)).status == S.APPROVED


def test_two_sessions_of_one_training_may_swap_times(organiser, diskominfo, workshop, day):
    a, b = (sf.at(day, 9), sf.at(day, 11)), (sf.at(day, 13), sf.at(day, 15))
    training = trainings.create_training(
        organiser,
        agency=diskominfo,
        fields={"title": "Bimtek Dua Sesi"},
        sessions=[_session_input(workshop.space, *a), _session_input(workshop.space, *b)],
        categories=[trainings.CategoryInput(name="Umum", seats=30)],
    )
    first, second = training.sessions.order_by("starts_at")
    trainings.update_training(
        organiser,
        training,
        fields={},
        sessions=[
            trainings.SessionInput(id=first.pk, starts_at=b[0], ends_at=b[1], space=workshop.space),
            trainings.SessionInput(
                id=second.pk, starts_at=a[0], ends_at=a[1], space=workshop.space
            ),
        ],
    )
    assert Booking.objects.get(session=first).starts_at == b[0]
    assert Booking.objects.get(session=second).starts_at == a[0]


def test_the_data_migration_holds_rooms_for_sessions_made_before(transactional_db):
    """Sessions saved before the spaces app (here: straight through the ORM, as the old code
    and the demo did) get their holds from the migration's function."""
    from importlib import import_module

    from django.apps import apps

    from ekraf.trainings.models import Training
    from tests import factories
    from tests.trainings import factories as tf

    factories.ensure_city()
    training = tf.training(factories.agency("diskominfo"), space_code="auditorium", sessions=2)
    cancelled = tf.training(factories.agency("diskominfo"), space_code="food-lab", sessions=1)
    Training.objects.filter(pk=cancelled.pk).update(status=Training.Status.CANCELLED)
    assert not Booking.objects.exists()
    migration = import_module("ekraf.spaces.migrations.0002_rooms_and_session_holds")
    migration.forwards(apps, None)
    holds = Booking.objects.filter(source=Booking.Source.TRAINING)
    assert holds.count() == 2 and {h.session.training_id for h in holds} == {training.pk}
    migration.backwards(apps, None)
    assert not Booking.objects.exists()
