"""Point 6: requesters are told through the outbox, each message with a WhatsApp text for its
wa.me link: received, approved, declined, lapsed, the reminder the day before, released."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from ekraf.core import periodic
from ekraf.core.models import OutboxMessage
from ekraf.spaces import services
from ekraf.spaces.models import Booking
from tests.spaces import factories as sf

pytestmark = pytest.mark.django_db


def test_received_and_approved_with_wa_links(workshop, day, space_manager):
    booking = sf.request(
        workshop.space, sf.at(day, 10), sf.at(day, 12), contact_phone="081298765432"
    )
    received = OutboxMessage.objects.get(kind="room.received")
    assert received.recipient == booking.requester and received.to_phone == "+6281298765432"
    assert "kami tahan untuk Anda sampai" in received.body
    assert received.wa_url.startswith("https://wa.me/6281298765432?text=")
    services.approve(space_manager, booking)
    approved = OutboxMessage.objects.get(kind="room.approved")
    assert "DISETUJUI" in approved.body and "gratis" in approved.body
    assert "Ruang Workshop" in approved.wa_text


def test_the_reminder_goes_the_day_before_once(workshop, space_manager):
    services.set_hours(space_manager, workshop, {d: (time(8), time(21)) for d in range(7)})
    tomorrow = timezone.localdate() + timedelta(days=1)
    booking = sf.direct(workshop.space, sf.at(tomorrow, 10), sf.at(tomorrow, 12), by=space_manager)
    week_later = tomorrow + timedelta(days=7)
    later = sf.direct(
        workshop.space, sf.at(week_later, 10), sf.at(week_later, 12), by=space_manager
    )
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0  # once
    reminder = OutboxMessage.objects.get(kind="room.reminder")
    assert "besok" in reminder.body and reminder.recipient == booking.requester
    assert Booking.objects.get(pk=later.pk).reminded_at is None


def test_the_periodic_jobs_are_registered():
    names = {job.name for job in periodic.jobs()}
    assert {"spaces.lapse_open_requests", "spaces.reminders"} <= names


def test_personal_data_is_exported_and_erased(workshop, day):
    from ekraf.accounts import personal_data

    booking = sf.request(workshop.space, sf.at(day, 10), sf.at(day, 12), contact_name="Rina")
    exported = personal_data.export_for(booking.requester)["spaces"]
    assert exported[0]["id"] == booking.public_id and exported[0]["has_request_letter"]
    personal_data.erase_for(booking.requester)
    booking.refresh_from_db()
    assert booking.requester is None and booking.contact_name == "" and not booking.request_letter
