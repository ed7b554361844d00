"""Points 2 and 3: a request holds its slot for the room's hold time (48 h), then lapses; a
request for a slot another pending request holds is queued behind it; the space manager's
queue groups requests that clash; approving one refuses the others with the reason; a series
is approved whole or with its clashing dates skipped; an edit goes back to pending."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ekraf.core.errors import Conflict, DomainError
from ekraf.core.models import AuditEvent, OutboxMessage
from ekraf.core.overlap import Overlap
from ekraf.spaces import selectors, services
from ekraf.spaces.models import Booking
from tests.spaces import factories as sf

pytestmark = pytest.mark.django_db
S = Booking.Status


def test_a_request_holds_its_slot_for_48_hours_then_lapses(workshop, day):
    now = timezone.now()
    first = sf.request(workshop.space, sf.at(day, 10), sf.at(day, 12), now=now)
    assert first.status == S.PENDING
    assert abs((first.expires_at - now) - timedelta(hours=48)) < timedelta(seconds=1)
    # Meanwhile a second request for the same slot is queued behind it, holding nothing.
    second = sf.request(workshop.space, sf.at(day, 11), sf.at(day, 13), now=now)
    assert second.status == S.QUEUED
    assert services.lapse_open_requests(now + timedelta(hours=47)) == 0
    # 48 hours without a decision: the first lapses, its slot goes to the second.
    assert services.lapse_open_requests(now + timedelta(hours=48, minutes=1)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.LAPSED and second.status == S.PENDING
    assert OutboxMessage.objects.filter(kind="room.lapsed", recipient=first.requester).exists()
    assert AuditEvent.objects.filter(action="room.lapse", target_id=str(first.pk)).exists()
    # Rerunning the job changes nothing.
    assert services.lapse_open_requests(now + timedelta(hours=49)) == 0


def test_a_request_against_an_approved_booking_is_refused_with_the_clash(
    workshop, day, space_manager
):
    taken = sf.request(workshop.space, sf.at(day, 10), sf.at(day, 12))
    services.approve(space_manager, taken)
    with pytest.raises(Overlap) as refused:
        sf.request(workshop.space, sf.at(day, 11), sf.at(day, 12))
    assert refused.value.status == 409
    assert refused.value.clash.pk == taken.pk
    clash = refused.value.data["clash"]
    assert clash["id"] == taken.public_id and "title" not in clash  # no details for requesters
    assert "sudah dipesan" in refused.value.message


def test_the_queue_groups_clashing_requests(workshop, day, space_manager):
    a = sf.request(workshop.space, sf.at(day, 9), sf.at(day, 11), title="Kopdar Fotografer")
    b = sf.request(workshop.space, sf.at(day, 10), sf.at(day, 12), title="Kelas Menjahit")
    alone = sf.request(workshop.space, sf.at(day, 15), sf.at(day, 16), title="Rapat RT")
    groups = selectors.queue()
    clashing = [g for g in groups if g.conflicting]
    assert len(clashing) == 1 and {x.pk for x in clashing[0].requests} == {a.pk, b.pk}
    assert any([x.pk for x in g.requests] == [alone.pk] for g in groups)


def test_approving_one_refuses_the_clashing_ones_with_the_reason(workshop, day, space_manager):
    a = sf.request(workshop.space, sf.at(day, 9), sf.at(day, 11), title="Kopdar Fotografer")
    b = sf.request(workshop.space, sf.at(day, 10), sf.at(day, 12), title="Kelas Menjahit")
    plan = services.plan_approval(b)
    assert [x.pk for x in plan.refuse] == [a.pk]
    # The queued one is approved: the pending one holding the slot is refused.
    services.approve(space_manager, b)
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.status == S.APPROVED and a.status == S.DECLINED
    assert "Bentrok dengan pemakaian lain yang disetujui" in a.reason
    told = OutboxMessage.objects.get(kind="room.declined", recipient=a.requester)
    assert a.reason in told.body and "wa.me" not in told.body and told.wa_text
    assert OutboxMessage.objects.filter(kind="room.approved", recipient=b.requester).exists()
    assert AuditEvent.objects.filter(action="room.refuse", target_id=str(a.pk)).exists()
    # Approving twice, or approving the refused one, is an illegal transition.
    for booking in (a, b):
        with pytest.raises(Conflict) as refused:
            services.approve(space_manager, booking)
        assert refused.value.code == "illegal_transition"


def test_decline_needs_a_reason_and_frees_the_slot_for_the_queue(workshop, day, space_manager):
    a = sf.request(workshop.space, sf.at(day, 9), sf.at(day, 11))
    b = sf.request(workshop.space, sf.at(day, 10), sf.at(day, 12))
    with pytest.raises(DomainError):
        services.decline(space_manager, a, "  ")
    services.decline(space_manager, a, "Ruang dipakai acara Pemkot.")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == S.DECLINED and a.reason == "Ruang dipakai acara Pemkot."
    assert b.status == S.PENDING  # moved up from the queue
    with pytest.raises(Conflict):
        services.decline(space_manager, a, "lagi")


def test_only_the_space_manager_decides(workshop, day, creator_user):
    a = sf.request(workshop.space, sf.at(day, 9), sf.at(day, 11))
    with pytest.raises(DomainError) as refused:
        services.approve(creator_user, a)
    assert refused.value.status == 403
    with pytest.raises(DomainError):
        services.approve(a.requester, a)


def test_a_series_is_one_row_per_week_approved_with_clashing_dates_skipped(
    workshop, day, space_manager
):
    # A training already holds the room on the third Monday.
    blocker = sf.direct(
        workshop.space, sf.at(day + timedelta(weeks=2), 9), sf.at(day + timedelta(weeks=2), 11)
    )
    series = sf.request(
        workshop.space, sf.at(day, 10), sf.at(day, 12), weeks=4, title="Kelas Batik"
    )
    rows = list(Booking.objects.filter(series=series.series).order_by("starts_at"))
    assert len(rows) == 4
    assert [timezone.localtime(r.starts_at).hour for r in rows] == [10] * 4
    assert [r.status for r in rows] == [S.PENDING, S.PENDING, S.QUEUED, S.PENDING]
    plan = services.plan_approval(series, whole_series=True)
    assert [(d.pk, c.pk) for d, c in plan.blocked] == [(rows[2].pk, blocker.pk)]
    # Whole: refused, naming the clashing date.
    with pytest.raises(Overlap) as refused:
        services.approve(space_manager, series, whole_series=True)
    assert refused.value.data["blocked"] == [rows[2].public_id]
    assert Booking.objects.filter(series=series.series, status=S.APPROVED).count() == 0
    # With the clashing dates skipped: three approved, the third declined as skipped.
    services.approve(space_manager, series, whole_series=True, skip_clashes=True)
    statuses = [
        r.status for r in Booking.objects.filter(series=series.series).order_by("starts_at")
    ]
    assert statuses == [S.APPROVED, S.APPROVED, S.DECLINED, S.APPROVED]
    skipped = Booking.objects.get(pk=rows[2].pk)
    assert "dilewati" in skipped.reason


def test_an_edit_of_an_approved_booking_goes_back_to_pending(workshop, day, space_manager):
    booking = sf.request(workshop.space, sf.at(day, 10), sf.at(day, 12))
    services.approve(space_manager, booking)
    booking.refresh_from_db()
    assert booking.price == 0 and booking.status == S.APPROVED
    moved = services.move_booking(
        booking.requester,
        booking,
        space=sf.room("auditorium").space,
        starts_at=sf.at(day, 14),
        ends_at=sf.at(day, 16),
    )
    assert moved.status == S.PENDING and moved.price is None and moved.decided_by is None
    assert moved.space.code == "auditorium"
    assert AuditEvent.objects.filter(action="room.move", target_id=str(moved.pk)).exists()
    # The space manager's own edit keeps it approved (they are the approver).
    services.approve(space_manager, moved)
    moved = services.move_booking(
        space_manager,
        Booking.objects.get(pk=moved.pk),
        space=moved.space,
        starts_at=sf.at(day, 15),
        ends_at=sf.at(day, 17),
    )
    assert moved.status == S.APPROVED


def test_a_move_into_a_taken_slot_is_refused(workshop, day, space_manager):
    taken = sf.direct(workshop.space, sf.at(day, 14), sf.at(day, 16))
    mine = sf.request(workshop.space, sf.at(day, 10), sf.at(day, 12))
    with pytest.raises(Overlap) as refused:
        services.move_booking(
            mine.requester,
            mine,
            space=workshop.space,
            starts_at=sf.at(day, 15),
            ends_at=sf.at(day, 16),
        )
    assert refused.value.clash.pk == taken.pk
    mine.refresh_from_db()
    assert timezone.localtime(mine.starts_at).hour == 10  # unchanged


def test_cancel_by_the_requester_frees_the_slot(workshop, day):
    a = sf.request(workshop.space, sf.at(day, 9), sf.at(day, 11))
    b = sf.request(workshop.space, sf.at(day, 10), sf.at(day, 12))
    services.cancel_booking(a.requester, a)
    b.refresh_from_db()
    assert b.status == S.PENDING
    with pytest.raises(Conflict):
        services.cancel_booking(a.requester, a)
    with pytest.raises(DomainError) as refused:
        services.cancel_booking(sf.requester(), b)
    assert refused.value.status == 403


def test_a_room_without_approval_books_at_once(day):
    room = sf.room("coworking", needs_approval=False)
    booking = sf.request(room.space, sf.at(day, 10), sf.at(day, 12))
    assert booking.status == S.APPROVED and booking.price == 0
