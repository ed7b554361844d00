"""What the spaces app keeps about a person (their booking requests, contact details, request
letters): exported when they ask, scrubbed when they delete their account (UU PDP). The
bookings themselves stay, without the person, so the centre's calendar and counts stay true."""

from __future__ import annotations

from . import availability
from .models import Booking


def export_person(user) -> list[dict]:
    return [
        {
            "id": b.public_id,
            "room": b.space.name,
            "starts_at": b.starts_at.isoformat(),
            "ends_at": b.ends_at.isoformat(),
            "title": b.title,
            "purpose": b.purpose,
            "organisation": b.organisation,
            "contact_name": b.contact_name,
            "contact_phone": b.contact_phone,
            "contact_email": b.contact_email,
            "attendees": b.attendees,
            "use_class": b.use_class,
            "status": b.status,
            "price": b.price,
            "has_request_letter": bool(b.request_letter),
        }
        for b in Booking.objects.filter(requester=user).select_related("space").order_by("pk")
    ]


def erase_person(user) -> None:
    for booking in Booking.objects.filter(requester=user).exclude(request_letter=""):
        booking.request_letter.delete(save=False)
    Booking.objects.filter(requester=user).update(
        requester=None,
        contact_name="",
        contact_phone="",
        contact_email="",
        purpose="",
        request_letter="",
    )
    availability.changed()  # the manager's cached details name the contact
