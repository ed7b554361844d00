"""Journey 2, continued: three cancel, the first three on the waiting list are offered the
freed seats (accept/decline links valid 48 h), an expired or declined offer passes on, and each
freed seat is offered to one person at a time."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ekraf.core.errors import Conflict, NotFound
from ekraf.core.models import OutboxMessage
from ekraf.trainings import notices, services
from ekraf.trainings.models import Registration
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db
S = Registration.Status


def _fill(training, n):
    return [tf.register(training) for _ in range(n)]


def _statuses(registrations):
    fresh = dict(
        Registration.objects.filter(pk__in=[r.pk for r in registrations]).values_list(
            "pk", "status"
        )
    )
    return [fresh[r.pk] for r in registrations]


def test_three_cancel_and_the_first_three_waiting_are_offered(training):
    people = _fill(training, 45)
    for r in people[:3]:
        services.cancel_registration(r.user, r)
    statuses = _statuses(people)
    assert statuses[:3] == [S.CANCELLED] * 3
    assert statuses[30:33] == [S.OFFERED] * 3
    assert statuses[33:] == [S.WAITLISTED] * 12
    offered = Registration.objects.filter(training=training, status=S.OFFERED)
    for r in offered:
        hours = (r.offer_expires_at - r.offered_at).total_seconds() / 3600
        assert hours == pytest.approx(48)
    offers = OutboxMessage.objects.filter(kind="training.offer")
    assert offers.count() == 3
    assert set(offers.values_list("recipient", flat=True)) == {r.user_id for r in people[30:33]}
    body = offers.first().body
    assert "/terima/" in body and "/tolak/" in body
    # Seats held never exceed the quota: confirmed + offered = 30.
    held = Registration.objects.filter(training=training, status__in=Registration.HOLDS_SEAT)
    assert held.count() == 30


def test_offer_accepted_by_link_without_signing_in(client, training):
    people = _fill(training, 31)
    services.cancel_registration(people[0].user, people[0])
    waiting = Registration.objects.get(pk=people[30].pk)
    assert waiting.status == S.OFFERED
    url = reverse("trainings:offer", args=[notices.offer_token(waiting), "terima"])
    page = client.get(url)  # a mail scanner following the link changes nothing
    assert page.status_code == 200 and "Ya, saya terima" in page.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    response = client.post(url, follow=True)
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED
    assert waiting.ticket_code in response.content.decode().replace("-", "")
    again = client.post(url)  # the link is void once used
    assert again.status_code == 409


def test_declined_offer_goes_to_the_next_person(client, training):
    people = _fill(training, 32)
    services.cancel_registration(people[0].user, people[0])
    first, second = (Registration.objects.get(pk=p.pk) for p in people[30:32])
    assert (first.status, second.status) == (S.OFFERED, S.WAITLISTED)
    url = reverse("trainings:offer", args=[notices.offer_token(first), "tolak"])
    client.post(url)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.CANCELLED
    assert second.status == S.OFFERED


def test_expired_offers_pass_on_and_the_job_is_idempotent(training):
    people = _fill(training, 33)
    services.cancel_registration(people[0].user, people[0])
    offered = Registration.objects.get(pk=people[30].pk)
    later = offered.offer_expires_at + timedelta(seconds=1)
    assert services.expire_offers(now=offered.offer_expires_at - timedelta(seconds=1)) == 0
    assert services.expire_offers(now=later) == 1
    assert services.expire_offers(now=later) == 0  # running twice changes nothing more
    assert _statuses(people[30:33]) == [S.CANCELLED, S.OFFERED, S.WAITLISTED]
    assert OutboxMessage.objects.filter(kind="training.offer_expired").count() == 1
    assert OutboxMessage.objects.filter(kind="training.offer").count() == 2
    # A link to the expired offer no longer works.
    with pytest.raises(Conflict):
        services.load_offer(
            notices.offer_token(
                Registration(public_id=offered.public_id, offer_expires_at=offered.offer_expires_at)
            )
        )


def test_accepting_after_expiry_is_refused(training):
    people = _fill(training, 31)
    services.cancel_registration(people[0].user, people[0])
    offered = Registration.objects.get(pk=people[30].pk)
    with pytest.raises(Conflict, match="berakhir"):
        services.accept_offer(offered, now=offered.offer_expires_at + timedelta(minutes=1))


def test_a_tampered_offer_link_is_refused(training):
    with pytest.raises(NotFound):
        services.load_offer("bukan-token")


def test_offer_never_outlives_the_first_session(diskominfo):
    t = tf.training(diskominfo, categories=(("Umum", 1),), starts_in=timedelta(hours=10))
    a, b = _fill(t, 2)
    services.cancel_registration(a.user, a)
    b.refresh_from_db()
    assert b.status == S.OFFERED
    assert b.offer_expires_at == t.sessions.order_by("starts_at").first().starts_at


def test_zero_offer_hours_promotes_at_once(diskominfo):
    t = tf.training(diskominfo, categories=(("Umum", 1),), offer_hours=0)
    a, b = _fill(t, 2)
    services.cancel_registration(a.user, a)
    b.refresh_from_db()
    assert b.status == S.CONFIRMED
    kinds = (
        OutboxMessage.objects.filter(recipient=b.user).order_by("pk").values_list("kind", flat=True)
    )
    assert list(kinds) == ["training.waitlisted", "training.confirmed"]


def test_more_seats_are_offered_to_the_queue(diskominfo, organiser):
    t = tf.training(diskominfo, categories=(("Umum", 2),))
    people = _fill(t, 5)
    category = t.categories.get()
    sessions = [
        services.SessionInput(id=s.pk, starts_at=s.starts_at, ends_at=s.ends_at, space=s.space)
        for s in t.sessions.all()
    ]
    services.update_training(
        organiser,
        t,
        fields={},
        sessions=sessions,
        categories=[services.CategoryInput(id=category.pk, name="Umum", seats=4)],
    )
    assert _statuses(people) == [S.CONFIRMED, S.CONFIRMED, S.OFFERED, S.OFFERED, S.WAITLISTED]
    with pytest.raises(Conflict, match="tidak bisa kurang"):
        services.update_training(
            organiser,
            t,
            fields={},
            categories=[services.CategoryInput(id=category.pk, name="Umum", seats=3)],
        )


def test_a_waitlisted_person_cancelling_frees_no_seat(training):
    people = _fill(training, 32)
    services.cancel_registration(people[31].user, people[31])
    assert _statuses(people[30:]) == [S.WAITLISTED, S.CANCELLED]
    assert not OutboxMessage.objects.filter(kind="training.offer").exists()


def test_new_registrations_queue_behind_the_waiting_list(diskominfo):
    """A seat offered to the queue is not taken by someone registering later."""
    t = tf.training(diskominfo, categories=(("Umum", 1),))
    a, b = _fill(t, 2)
    services.cancel_registration(a.user, a)
    late = tf.register(t)
    assert late.status == S.WAITLISTED
    services.decline_offer(Registration.objects.get(pk=b.pk))
    late.refresh_from_db()
    assert late.status == S.OFFERED


def test_offer_on_the_ticket_page_for_the_signed_in_person(client, training):
    people = _fill(training, 31)
    services.cancel_registration(people[0].user, people[0])
    waiting = people[30]
    client.force_login(waiting.user)
    page = client.get(reverse("trainings:ticket", args=[waiting.public_id])).content.decode()
    assert "Terima kursi" in page
    client.post(reverse("trainings:respond_offer", args=[waiting.public_id]), {"answer": "terima"})
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED


def test_finishing_closes_the_waiting_list(diskominfo, organiser):
    t = tf.training(diskominfo, categories=(("Umum", 1),), starts_in=timedelta(days=-2))
    a = Registration.objects.create(
        training=t, category=t.categories.get(), user=tf.person(), status=S.CONFIRMED, full_name="A"
    )
    b = Registration.objects.create(
        training=t,
        category=t.categories.get(),
        user=tf.person(),
        status=S.WAITLISTED,
        full_name="B",
    )
    services.finish_training(organiser, t, now=timezone.now())
    b.refresh_from_db()
    a.refresh_from_db()
    assert b.status == S.UNSEATED and "selesai" in b.cancel_reason
    assert a.status == S.CONFIRMED
