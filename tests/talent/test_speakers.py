"""Journey 9: an agency asks for a narasumber, staff shortlist from the directory, the speaker
accepts or declines, a speaker is never booked twice at once, the agency rates the session and
the rating joins the speaker's record; every step notifies through the outbox with wa.me."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ekraf.core.errors import DomainError, NotAllowed
from ekraf.core.models import OutboxMessage
from ekraf.core.overlap import Overlap
from ekraf.talent import selectors, services
from ekraf.talent.models import SpeakerBooking, SpeakerRequest
from ekraf.talent.services import IllegalTransition
from tests.talent import factories as tf

pytestmark = pytest.mark.django_db
B = SpeakerBooking.Status


def test_request_needs_event_topic_and_a_period_in_the_future(staff, diskominfo):
    with pytest.raises(DomainError) as exc:
        tf.speaker_request(staff, diskominfo, event="")
    assert exc.value.field == "event"
    with pytest.raises(DomainError) as exc:
        tf.speaker_request(staff, diskominfo, hours=-1)
    assert exc.value.field == "ends_at"
    with pytest.raises(DomainError):
        tf.speaker_request(staff, diskominfo, start=timezone.now() - timedelta(days=1))


def test_staff_request_only_for_their_agency(staff, diskopindag):
    with pytest.raises(NotAllowed):
        tf.speaker_request(staff, diskopindag)


def test_shortlist_accept_rate_feeds_the_speaker_record(staff, diskominfo):
    dewi = tf.talent("Dewi Narasumber", pathways=["narasumber"], phone="+6281234500011")
    request = tf.speaker_request(staff, diskominfo)
    booking = services.shortlist(staff, request, dewi)
    asked = OutboxMessage.objects.get(kind="speaker.asked")
    assert asked.to_phone == "+6281234500011" and "Seminar Ekonomi Kreatif" in asked.body
    services.accept(dewi.user, booking)
    request.refresh_from_db()
    assert request.status == SpeakerRequest.Status.BOOKED
    assert OutboxMessage.objects.filter(kind="speaker.accepted", recipient=staff).exists()
    assert OutboxMessage.objects.filter(kind="speaker.booked", recipient=dewi.user).exists()
    with pytest.raises(IllegalTransition):
        services.rate(staff, booking, rating=5)  # not started yet
    SpeakerBooking.objects.filter(pk=booking.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    booking.refresh_from_db()
    with pytest.raises(DomainError):
        services.rate(staff, booking, rating=6)
    services.rate(staff, booking, rating=4, comment="Materi jelas, peserta antusias")
    record = selectors.speaker_record(dewi)
    assert (record.completed, record.rated, record.average) == (1, 1, 4.0)
    request.refresh_from_db()
    assert request.status == SpeakerRequest.Status.COMPLETED


def test_only_the_speaker_answers_and_only_once(staff, diskominfo):
    dewi = tf.talent("Dewi", pathways=["narasumber"])
    booking = services.shortlist(staff, tf.speaker_request(staff, diskominfo), dewi)
    with pytest.raises(NotAllowed):
        services.accept(staff, booking)
    services.decline(dewi.user, booking, reason="Sedang di luar kota")
    assert OutboxMessage.objects.filter(kind="speaker.declined").exists()
    with pytest.raises(IllegalTransition):
        services.accept(dewi.user, booking)


def test_creators_outside_the_directory_cannot_be_shortlisted(staff, diskominfo):
    hidden = tf.talent("Tersembunyi", consent=False)
    with pytest.raises(DomainError):
        services.shortlist(staff, tf.speaker_request(staff, diskominfo), hidden)


def test_never_two_overlapping_accepted_engagements(staff, diskominfo):
    dewi = tf.talent("Dewi", pathways=["narasumber"])
    first = tf.speaker_request(staff, diskominfo, start=tf.at(hour=9))
    second = tf.speaker_request(staff, diskominfo, start=tf.at(hour=10), event="Talkshow")
    adjacent = tf.speaker_request(staff, diskominfo, start=tf.at(hour=11), event="Sesi sore")
    services.accept(dewi.user, services.shortlist(staff, first, dewi))
    clashing = services.shortlist(staff, second, dewi)
    with pytest.raises(Overlap) as exc:
        services.accept(dewi.user, clashing)
    assert exc.value.status == 409 and "terjadwal" in exc.value.message
    clashing.refresh_from_db()
    assert clashing.status == B.SHORTLISTED
    services.accept(dewi.user, services.shortlist(staff, adjacent, dewi))  # 11.00 = end of first


def test_full_request_refuses_another_acceptance(staff, diskominfo):
    request = tf.speaker_request(staff, diskominfo)
    a, b = tf.talent("A"), tf.talent("B")
    first, second = services.shortlist(staff, request, a), services.shortlist(staff, request, b)
    services.accept(a.user, first)
    with pytest.raises(IllegalTransition):
        services.accept(b.user, second)


def test_withdraw_reopens_and_cancel_withdraws_everyone(staff, diskominfo):
    request = tf.speaker_request(staff, diskominfo)
    a = tf.talent("A")
    booking = services.shortlist(staff, request, a)
    services.accept(a.user, booking)
    services.withdraw(staff, booking)
    request.refresh_from_db()
    assert request.status == SpeakerRequest.Status.OPEN
    services.shortlist(staff, request, a)
    services.cancel_request(staff, request)
    assert set(request.bookings.values_list("status", flat=True)) == {B.WITHDRAWN}


def test_other_agency_cannot_manage_the_request(staff, other_staff, diskominfo):
    request = tf.speaker_request(staff, diskominfo)
    with pytest.raises(NotAllowed):
        services.shortlist(other_staff, request, tf.talent("A"))


def test_reminder_the_day_before_is_sent_once(staff, diskominfo):
    dewi = tf.talent("Dewi")
    request = tf.speaker_request(staff, diskominfo, start=timezone.now() + timedelta(hours=20))
    services.accept(dewi.user, services.shortlist(staff, request, dewi))
    assert services.send_speaker_reminders() == 1
    assert services.send_speaker_reminders() == 0
    reminder = OutboxMessage.objects.get(kind="speaker.reminder")
    assert "Seminar Ekonomi Kreatif" in reminder.wa_text and reminder.recipient == dewi.user


def test_pages_of_journey_9(client, staff, diskominfo):
    dewi = tf.talent("Dewi Narasumber", pathways=["narasumber"])
    client.force_login(staff)
    start = tf.at(days=5, hour=13)
    response = client.post(
        reverse("talent:speaker_requests"),
        {
            "agency": diskominfo.pk,
            "event": "Festival Literasi",
            "topic": "Menulis untuk media sosial",
            "pathway": "narasumber",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "format": "talk",
            "speakers_needed": 1,
        },
    )
    assert response.status_code == 302
    request = SpeakerRequest.objects.get(event="Festival Literasi")
    page = client.get(response["Location"])
    assert "Dewi Narasumber" in page.text
    client.post(response["Location"], {"action": f"shortlist:{dewi.public_id}"})
    booking = request.bookings.get()
    client.force_login(dewi.user)
    mine = client.get(reverse("talent:my_speaking"))
    assert "Festival Literasi" in mine.text
    client.post(reverse("talent:my_speaking"), {"action": f"accept:{booking.public_id}"})
    booking.refresh_from_db()
    assert booking.status == B.ACCEPTED
